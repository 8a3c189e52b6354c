"""`rotate-api-key` and `throttle-api`: who may call the API, and how fast.

Both change resources the Pulumi program owns, so both print, after `--yes`, the drift
they leave and how to reconcile it: the reverse change, or the stack setting to change.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from runbooks.changes import confirmed, print_reconciliation
from runbooks.command import Command, bounded_int
from runbooks.targets import Targets, UsageError, source_arguments

API_KEY_TYPE = "API_KEY"


@dataclass(frozen=True)
class _Limit:
    """One usage plan throttle limit: its API field, its flag and its stack config key."""

    field: str
    flag: str
    config: str
    unit: str


_RATE = _Limit("rateLimit", "--rate", "throttleRateLimit", "requests/s")
_BURST = _Limit("burstLimit", "--burst", "throttleBurstLimit", "requests")


def _usage_plan_key_ids(apigateway: Any, usage_plan_id: str) -> set[str]:
    pages = apigateway.get_paginator("get_usage_plan_keys").paginate(usagePlanId=usage_plan_id)
    return {key["id"] for page in pages for key in page.get("items", [])}


def rotate_api_key(args: argparse.Namespace, targets: Targets) -> int:
    apigateway = targets.client("apigateway")
    usage_plan_id = targets.require("usage_plan_id")
    old_id = targets.require("api_key_id")
    old = apigateway.get_api_key(apiKey=old_id, includeValue=False)
    print(
        f"Current key {old_id} ({old.get('name', '?')}): "
        f"{'enabled' if old.get('enabled') else 'disabled'}, created {old.get('createdDate', '?')}"
    )
    if old_id not in _usage_plan_key_ids(apigateway, usage_plan_id):
        raise UsageError(f"--api-key-id {old_id} is not a key of --usage-plan-id {usage_plan_id}")
    stamp = datetime.now(tz=UTC).strftime("%Y%m%dT%H%M%SZ")
    new_name = f"{old.get('name', 'api-key')}-rotated-{stamp}"
    changes = [
        f"create API key {new_name} (enabled, with the old key's tags)",
        f"add it to usage plan {usage_plan_id}",
    ]
    if args.keep_old:
        changes.append(f"leave the old key {old_id} enabled (--keep-old)")
    else:
        changes.append(f"disable the old key {old_id}: clients still using it get 403")
    if not confirmed(changes, yes=args.yes):
        return 0
    new = apigateway.create_api_key(
        name=new_name,
        description=f"Rotated from {old_id} by `python -m runbooks rotate-api-key` at {stamp}",
        enabled=True,
        tags=old.get("tags", {}),
    )
    print(f"Created API key {new['id']}.")
    apigateway.create_usage_plan_key(
        usagePlanId=usage_plan_id, keyId=new["id"], keyType=API_KEY_TYPE
    )
    print(f"Added {new['id']} to usage plan {usage_plan_id}.")
    if not args.keep_old:
        apigateway.update_api_key(
            apiKey=old_id, patchOperations=[{"op": "replace", "path": "/enabled", "value": "false"}]
        )
        print(f"Disabled the old key {old_id}.")
    if args.show_secret:
        print(f"New key value: {new['value']}")
    else:
        print(
            "Hand the new value to clients through the secret store; read it with: "
            f"aws apigateway get-api-key --api-key {new['id']} --include-value --query value"
        )
    print(f"New key id: {new['id']}")
    _print_rotation_reconciliation(args, old_id, new["id"])
    return 0


def _print_rotation_reconciliation(args: argparse.Namespace, old_id: str, new_id: str) -> None:
    # Pulumi does not know the new key, so no refresh or preview ever reports it.
    interim = f"the new key {new_id} is not in the stack"
    if args.keep_old:
        print(
            f"Nothing the stack owns changed; {interim}. Once clients use it, disabling "
            f"{old_id} is drift: reconcile it as in runbooks/api-function-errors.md (Follow-up)."
        )
        return
    stack = args.stack or "<stack>"
    print_reconciliation(
        f"API key {old_id} is disabled; the stack's program has it enabled ({interim})",
        [
            f"replace the stack's key in a reviewed change: pulumi up --stack {stack} "
            "--policy-pack policy_pack --replace <URN of the ApiKey, from `pulumi stack "
            f"--show-urns`>; give clients the new `api_key` output, then delete {new_id}",
        ],
        f"enables the old key {old_id} again",
    )


def throttle_api(args: argparse.Namespace, targets: Targets) -> int:
    if args.rate is None and args.burst is None:
        raise UsageError("throttle-api: pass --rate, --burst or both")
    apigateway = targets.client("apigateway")
    usage_plan_id = targets.require("usage_plan_id")
    current = apigateway.get_usage_plan(usagePlanId=usage_plan_id).get("throttle", {})
    print(
        f"Usage plan {usage_plan_id} now: rateLimit {current.get('rateLimit', 'unset')} "
        f"requests/s, burstLimit {current.get('burstLimit', 'unset')} requests"
    )
    operations: list[dict[str, str]] = []
    changes: list[str] = []
    wanted: dict[_Limit, float] = {}
    for limit, value in ((_RATE, args.rate), (_BURST, args.burst)):
        if value is None or value == current.get(limit.field):
            continue
        operations.append(
            {"op": "replace", "path": f"/throttle/{limit.field}", "value": f"{value:g}"}
        )
        changes.append(
            f"usage plan {usage_plan_id}: {limit.field} {current.get(limit.field, 'unset')} -> "
            f"{value:g} {limit.unit}"
        )
        wanted[limit] = value
    if not operations:
        print("The usage plan already has these limits: nothing to change.")
        return 0
    if not confirmed(changes, yes=args.yes):
        return 0
    updated = apigateway.update_usage_plan(usagePlanId=usage_plan_id, patchOperations=operations)
    throttle = updated.get("throttle", {})
    print(
        f"Usage plan {usage_plan_id} updated: rateLimit {throttle.get('rateLimit')} requests/s, "
        f"burstLimit {throttle.get('burstLimit')} requests"
    )
    _print_throttle_reconciliation(args, usage_plan_id, wanted, current)
    return 0


def _print_throttle_reconciliation(
    args: argparse.Namespace,
    usage_plan_id: str,
    wanted: dict[_Limit, float],
    before: dict[str, Any],
) -> None:
    stack = args.stack or "<stack>"
    ways = []
    revert = [f"{limit.flag} {before[limit.field]:g}" for limit in wanted if limit.field in before]
    if revert:
        ways.append(
            "put the previous limits back: python -m runbooks throttle-api "
            f"{source_arguments(args)} {' '.join(revert)} --yes"
        )
    keep = "; ".join(
        f"pulumi config set --path api.{limit.config} {value:g} --stack {stack}"
        for limit, value in wanted.items()
    )
    ways.append(
        f"or keep the new limits: {keep}; then pulumi up --stack {stack} --policy-pack policy_pack"
    )
    print_reconciliation(
        f"usage plan {usage_plan_id} has "
        + ", ".join(f"{limit.field} {value:g}" for limit, value in wanted.items())
        + ", not the stack's "
        + ", ".join(f"api.{limit.config}" for limit in wanted),
        ways,
        "puts the stack's limits back",
    )


def _positive_rate(text: str) -> float:
    try:
        rate = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not 0 < rate <= 10_000:
        raise argparse.ArgumentTypeError(f"expected a rate in (0, 10000] requests/s, got {text}")
    return rate


def _configure_rotate(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--keep-old",
        action="store_true",
        help="leave the old key enabled (a staged rotation; disable it once clients switched)",
    )
    parser.add_argument(
        "--show-secret", action="store_true", help="print the new key's value (default: never)"
    )


def _configure_throttle(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rate", type=_positive_rate, help="steady-state requests per second")
    parser.add_argument("--burst", type=bounded_int(0, 5000), help="burst size in requests")


COMMANDS = [
    Command(
        "rotate-api-key",
        "create a new API key in the usage plan and disable the old one; dry run without --yes",
        ("usage_plan_id", "api_key_id"),
        rotate_api_key,
        _configure_rotate,
        mutating=True,
    ),
    Command(
        "throttle-api",
        "change the usage plan's rate and burst limits; dry run without --yes",
        ("usage_plan_id",),
        throttle_api,
        _configure_throttle,
        mutating=True,
    ),
]
