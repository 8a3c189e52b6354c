"""Which AWS resources a runbook tool acts on: the stack's outputs, overridden by flags.

Names come from `pulumi stack output --json --stack <name>` (or a JSON file of the same
shape), never from guessed strings. An explicit flag wins over the output, so a tool
still works when Pulumi is not at hand.

A stack with replica regions exports their names under `replica_regions.<region>`:
`--region <replica region>` makes a tool act on that region's names instead of the
primary region's.

Example:
    >>> targets = Targets({"region": "eu-west-1", "table": "t"})
    >>> targets.require("table")
    't'
"""

from __future__ import annotations

import argparse
import json
import subprocess
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3  # type: ignore[import-untyped]

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class UsageError(Exception):
    """The call is wrong: a missing or bad flag or input. Exit code 2."""


class ToolError(Exception):
    """The call is right but the world is not: Pulumi or AWS refused. Exit code 1."""


# The functions deployed gradually: CodeDeploy shifts each one's `live` alias.
DEPLOYED_FUNCTIONS = ("processor", "api")


@dataclass(frozen=True)
class Target:
    """One resource name a tool may need: its stack output and its overriding flag."""

    name: str
    output: str
    flag: str
    help: str


TARGETS: dict[str, Target] = {
    target.name: target
    for target in (
        Target(
            "region",
            "region",
            "--region",
            "AWS region of the stack; with --stack/--outputs, one of its replica regions "
            "selects that region's names",
        ),
        Target("queue_url", "ingest_queue_url", "--queue-url", "URL of the ingest queue"),
        Target("dlq_url", "dead_letter_queue_url", "--dlq-url", "URL of the dead-letter queue"),
        Target("table", "results_table", "--table", "name of the results table"),
        Target("function", "processor_function", "--function", "name of the processor function"),
        Target(
            "event_source_mapping",
            "processor_event_source_mapping",
            "--event-source-mapping",
            "UUID of the processor's event source mapping",
        ),
        Target(
            "state_machine_arn",
            "state_machine_arn",
            "--state-machine-arn",
            "ARN of the reprocess state machine",
        ),
        Target(
            "max_objects",
            "workflow_max_objects",
            "--max-objects",
            "most object keys the stack's state machine accepts (workflow.maxObjects)",
        ),
        Target("usage_plan_id", "usage_plan_id", "--usage-plan-id", "id of the API usage plan"),
        Target("api_key_id", "api_key_id", "--api-key-id", "id of the API key to rotate"),
        *(
            target
            for function in DEPLOYED_FUNCTIONS
            for target in (
                Target(
                    f"{function}_deployment_application",
                    f"{function}_deployment_application",
                    f"--{function}-deployment-application",
                    f"CodeDeploy application of the {function} function",
                ),
                Target(
                    f"{function}_deployment_group",
                    f"{function}_deployment_group",
                    f"--{function}-deployment-group",
                    f"CodeDeploy deployment group of the {function} function",
                ),
                Target(
                    f"{function}_alias",
                    f"{function}_alias",
                    f"--{function}-alias",
                    f"ARN of the {function} function's live alias",
                ),
                Target(
                    f"{function}_version",
                    f"{function}_version",
                    f"--{function}-version",
                    f"version of the {function} function that the last `pulumi up` published",
                ),
                Target(
                    f"{function}_deployment_hook",
                    f"{function}_deployment_hook",
                    f"--{function}-deployment-hook",
                    f"pre-traffic hook function of the {function} function (stacks with hooks)",
                ),
            )
        ),
    )
}

# `pulumi stack output --json` without --show-secrets prints secrets as this string.
_PULUMI_SECRET = "[secret]"
# The stack output holding, per replica region, the same outputs as the primary region's.
REPLICA_REGIONS_OUTPUT = "replica_regions"

Runner = Callable[..., "subprocess.CompletedProcess[str]"]


def add_target_arguments(parser: argparse.ArgumentParser, names: Sequence[str]) -> None:
    """`--stack`/`--outputs`, plus one overriding flag per target the command uses."""
    source = parser.add_argument_group("where the names come from")
    exclusive = source.add_mutually_exclusive_group()
    exclusive.add_argument(
        "--stack", metavar="NAME", help="read names from `pulumi stack output --json --stack NAME`"
    )
    exclusive.add_argument(
        "--outputs",
        metavar="FILE",
        type=Path,
        help="read names from a JSON file of stack outputs (as `pulumi stack output --json`)",
    )
    overrides = parser.add_argument_group("overrides (win over the stack's outputs)")
    for name in ("region", *names):
        target = TARGETS[name]
        overrides.add_argument(
            target.flag, dest=f"target_{name}", metavar="VALUE", help=target.help
        )


def source_arguments(args: argparse.Namespace, *, with_region: bool = True) -> str:
    """The `--stack`/`--outputs` (and `--region`) of this call, to repeat in a command
    printed for later: without the region, a command for a replica would act on the
    primary region."""
    if getattr(args, "stack", None):
        sources = f"--stack {args.stack}"
    elif getattr(args, "outputs", None):
        sources = f"--outputs {args.outputs}"
    else:
        sources = "--stack <name>"
    region = getattr(args, "target_region", None)
    return f"{sources} --region {region}" if with_region and region else sources


def read_stack_outputs(stack: str, runner: Runner = subprocess.run) -> dict[str, Any]:
    """The outputs of `stack`, from the Pulumi CLI run in the project directory."""
    command = ["pulumi", "stack", "output", "--json", "--stack", stack]
    try:
        completed = runner(
            command, cwd=PROJECT_ROOT, capture_output=True, text=True, check=False, timeout=120
        )
    except FileNotFoundError as exc:
        raise ToolError(
            "the Pulumi CLI is not installed: install it, or pass --outputs FILE "
            "or the explicit flags instead of --stack"
        ) from exc
    except subprocess.TimeoutExpired as exc:
        raise ToolError(f"`{' '.join(command)}` did not answer within 120 s") from exc
    if completed.returncode != 0:
        raise ToolError(
            f"`{' '.join(command)}` failed (exit {completed.returncode}): "
            f"{completed.stderr.strip() or completed.stdout.strip()}"
        )
    return _as_outputs(completed.stdout, f"the outputs of stack '{stack}'")


def read_outputs_file(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"--outputs: cannot read {path}: {exc.strerror}") from exc
    return _as_outputs(text, f"--outputs {path}", error=UsageError)


def _as_outputs(text: str, what: str, error: type[Exception] = ToolError) -> dict[str, Any]:
    try:
        outputs = json.loads(text)
    except json.JSONDecodeError as exc:
        raise error(f"{what}: expected a JSON object of stack outputs, got invalid JSON") from exc
    if not isinstance(outputs, dict):
        kind = type(outputs).__name__
        raise error(f"{what}: expected a JSON object of stack outputs, got a JSON {kind}")
    return outputs


class Targets:
    """Resolved resource names, and AWS clients for the stack's region.

    `replicas` holds the same names for each replica region of the stack (the outputs
    under `replica_regions`), by region; flags override the primary region's names only.
    """

    def __init__(
        self,
        values: Mapping[str, str | None],
        origin: str = "flags",
        replicas: Mapping[str, Targets] | None = None,
    ) -> None:
        self._values = dict(values)
        self.origin = origin
        self.replicas = dict(replicas or {})
        self._session: Any = None

    @classmethod
    def from_args(cls, args: argparse.Namespace, runner: Runner = subprocess.run) -> Targets:
        outputs: Mapping[str, Any] = {}
        origin = "flags"
        if args.stack:
            outputs, origin = read_stack_outputs(args.stack, runner), f"stack '{args.stack}'"
        elif args.outputs:
            outputs, origin = read_outputs_file(args.outputs), f"outputs file {args.outputs}"
        replicas = _replica_outputs(outputs, origin)
        region = getattr(args, "target_region", None)
        if region is not None and region in replicas:
            # --region names a replica region: its names, and no other region's.
            outputs, origin, replicas = replicas[region], _replica_origin(origin, region), {}
        elif region is not None:
            primary = outputs.get(TARGETS["region"].output)
            if replicas and region != primary:
                raise UsageError(
                    f"--region {region}: {origin} is in {primary or '?'} and the replica "
                    f"regions {', '.join(sorted(replicas))}; expected one of them"
                )
            replicas = {}
        return cls(
            _resolve(outputs, args),
            origin,
            {
                name: cls(_resolve(regional), _replica_origin(origin, name))
                for name, regional in sorted(replicas.items())
            },
        )

    def get(self, name: str) -> str | None:
        return self._values.get(name) or None

    def require(self, name: str) -> str:
        value = self.get(name)
        if value is None:
            target = TARGETS[name]
            raise UsageError(
                f"{target.flag} is required: pass {target.flag}, or --stack/--outputs with "
                f"an output '{target.output}' (names came from {self.origin})"
            )
        return value

    def client(self, service: str) -> Any:
        # An explicit session in the stack's region: never a guessed or default region.
        if self._session is None:
            self._session = boto3.session.Session(region_name=self.require("region"))
        return self._session.client(service)


def _resolve(outputs: Mapping[str, Any], args: argparse.Namespace | None = None) -> dict[str, str]:
    """Each target's name: its flag's value (when `args` has the flag), else its output."""
    values: dict[str, str] = {}
    for name, target in TARGETS.items():
        flag_value = getattr(args, f"target_{name}", None)
        output_value = outputs.get(target.output)
        if flag_value is not None:
            values[name] = flag_value
        elif isinstance(output_value, str) and output_value != _PULUMI_SECRET:
            values[name] = output_value
    return values


def _replica_outputs(outputs: Mapping[str, Any], origin: str) -> dict[str, dict[str, Any]]:
    """The outputs of each replica region, by region (a replica's `region` is its key)."""
    replicas = outputs.get(REPLICA_REGIONS_OUTPUT)
    if replicas is None:
        return {}
    if not isinstance(replicas, dict) or not all(isinstance(v, dict) for v in replicas.values()):
        raise ToolError(
            f"{origin}: output '{REPLICA_REGIONS_OUTPUT}': expected an object of region "
            f"names to their outputs, got {json.dumps(replicas)[:200]}"
        )
    return {region: {**regional, "region": region} for region, regional in replicas.items()}


def _replica_origin(origin: str, region: str) -> str:
    return f"{origin}, replica region {region}"
