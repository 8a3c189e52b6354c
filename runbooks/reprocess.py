"""`reprocess`: start the reprocess workflow for object keys or a prefix.

The execution input has the shape of the API's `POST /v1/workflows/reprocess` body
(`lambda_functions/api/schemas/reprocess_request.json`), so the workflow sees the same
request whichever way it was started.
"""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from shared.names import INCOMING_PREFIX

from runbooks.changes import confirmed
from runbooks.command import Command
from runbooks.targets import Targets, UsageError

MAX_KEY_LENGTH = 1024
MAX_REQUESTED_BY_LENGTH = 128


def reprocess_input(
    keys: list[str] | None, prefix: str | None, requested_by: str, max_keys: int
) -> dict[str, Any]:
    """The execution input, validated the way the API validates a request; `max_keys` is
    the stack's `workflow.maxObjects`, which its state machine enforces (a run over it
    fails, and a failed run pages on-call)."""
    if not 1 <= len(requested_by) <= MAX_REQUESTED_BY_LENGTH:
        raise UsageError(
            f"--requested-by: expected 1..{MAX_REQUESTED_BY_LENGTH} characters, "
            f"got {len(requested_by)}"
        )
    if prefix is not None:
        _check_incoming("--prefix", prefix)
        return {"prefix": prefix, "requested_by": requested_by}
    unique = list(dict.fromkeys(keys or []))
    if not unique:
        raise UsageError("--keys: expected at least one object key")
    if len(unique) > max_keys:
        raise UsageError(
            f"--keys: expected at most {max_keys} keys (the stack's workflow.maxObjects), "
            f"got {len(unique)}; split them into several runs"
        )
    for key in unique:
        _check_incoming("--keys", key)
    return {"object_keys": unique, "requested_by": requested_by}


def _check_incoming(flag: str, value: str) -> None:
    # The workflow may only list and read under incoming/ (its IAM policy says so).
    if not value.startswith(INCOMING_PREFIX) or len(value) > MAX_KEY_LENGTH:
        raise UsageError(
            f"{flag}: expected a key or prefix under '{INCOMING_PREFIX}' of at most "
            f"{MAX_KEY_LENGTH} characters, got {value[:80]!r}"
        )


def _execution_name() -> str:
    stamp = datetime.now(tz=UTC).strftime("%Y%m%dT%H%M%SZ")
    return f"runbooks-reprocess-{stamp}-{uuid4().hex[:8]}"


def _max_keys(targets: Targets) -> int:
    value = targets.require("max_objects")
    if not value.isdigit() or int(value) < 1:
        raise UsageError(f"--max-objects: expected a positive integer, got {value!r}")
    return int(value)


def start_reprocess(args: argparse.Namespace, targets: Targets) -> int:
    max_keys = _max_keys(targets) if args.keys else 0
    execution_input = reprocess_input(args.keys, args.prefix, args.requested_by, max_keys)
    state_machine_arn = targets.require("state_machine_arn")
    sfn = targets.client("stepfunctions")
    machine = sfn.describe_state_machine(stateMachineArn=state_machine_arn)
    print(f"State machine {machine['name']} ({machine.get('status', 'ACTIVE')})")
    what = (
        f"every object under {args.prefix}"
        if args.prefix is not None
        else f"{len(execution_input['object_keys'])} object key(s)"
    )
    name = _execution_name()
    document = json.dumps(execution_input, indent=2)
    changes = [f"start execution {name} of {state_machine_arn} to reprocess {what}, input:"]
    if not confirmed([*changes, *(f"    {line}" for line in document.splitlines())], yes=args.yes):
        return 0
    execution = sfn.start_execution(
        stateMachineArn=state_machine_arn, name=name, input=json.dumps(execution_input)
    )
    print(f"Started execution {execution['executionArn']}.")
    print(
        "Follow it with: aws stepfunctions describe-execution --execution-arn "
        f"{execution['executionArn']} --query status"
    )
    return 0


def _configure(parser: argparse.ArgumentParser) -> None:
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument(
        "--keys", nargs="+", metavar="KEY", help="object keys under incoming/ (decoded, as stored)"
    )
    what.add_argument("--prefix", help="every object under this prefix (must start incoming/)")
    parser.add_argument(
        "--requested-by",
        default="runbooks-cli",
        help="who asked, recorded in the execution input (a role or ticket, default runbooks-cli)",
    )


COMMANDS = [
    Command(
        "reprocess",
        "start the reprocess workflow for --keys or --prefix; dry run without --yes",
        ("state_machine_arn", "max_objects"),
        start_reprocess,
        _configure,
        mutating=True,
    )
]
