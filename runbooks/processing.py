"""`pause-processing` / `resume-processing`: stop or restart the processor's intake.

Disabling the event source mapping stops Lambda from polling the ingest queue: new
notifications wait in the queue (kept 4 days) and their receive counts do not grow, so
nothing reaches the DLQ while the cause is fixed. Batches already running finish.

The stack's program keeps the mapping enabled, so a pause is drift until it is resumed.
"""

from __future__ import annotations

import argparse
from typing import Any

from runbooks.changes import confirmed, print_reconciliation
from runbooks.command import Command
from runbooks.targets import TARGETS, Targets, UsageError, source_arguments

# Event source mapping states that already are (or are becoming) each target state.
_SETTLED = {False: {"Disabled", "Disabling"}, True: {"Enabled", "Enabling"}}


def _mapping_uuid(lambda_client: Any, targets: Targets) -> str:
    # The mapping invokes the processor's live alias, whose mappings a listing by the
    # bare function name may leave out: the alias's ARN lists it. The bare name still
    # finds the mapping of a stack from before the alias.
    listed_by = [TARGETS[name] for name in ("processor_alias", "function") if targets.get(name)]
    if targets.get("event_source_mapping") or not listed_by:
        return targets.require("event_source_mapping")
    mappings: list[dict[str, Any]] = []
    for target in listed_by:
        mappings = lambda_client.list_event_source_mappings(
            FunctionName=targets.require(target.name)
        ).get("EventSourceMappings", [])
        if mappings:
            break
    # Without the mapping's UUID, the processor's only mapping is the one.
    if len(mappings) != 1:
        searched = " or ".join(f"{t.flag} {targets.require(t.name)}" for t in listed_by)
        raise UsageError(
            f"expected exactly one event source mapping of {searched}, found "
            f"{len(mappings)}; name it with --event-source-mapping"
        )
    return str(mappings[0]["UUID"])


def _describe(mapping: dict[str, Any]) -> str:
    return (
        f"event source mapping {mapping['UUID']}: {mapping.get('EventSourceArn', '?')} -> "
        f"{mapping.get('FunctionArn', '?')}, state {mapping.get('State', '?')}"
    )


def set_processing(args: argparse.Namespace, targets: Targets, *, enabled: bool) -> int:
    lambda_client = targets.client("lambda")
    uuid = _mapping_uuid(lambda_client, targets)
    mapping = lambda_client.get_event_source_mapping(UUID=uuid)
    print(f"Now: {_describe(mapping)}")
    if mapping.get("State") in _SETTLED[enabled]:
        print(f"Processing is already {'running' if enabled else 'paused'}: nothing to change.")
        return 0
    effect = (
        "Lambda resumes polling the ingest queue; waiting messages are processed"
        if enabled
        else "Lambda stops polling the ingest queue; messages wait there and nothing is lost"
    )
    change = f"set Enabled={str(enabled).lower()} on event source mapping {uuid} ({effect})"
    if not confirmed([change], yes=args.yes):
        return 0
    updated = lambda_client.update_event_source_mapping(UUID=uuid, Enabled=enabled)
    print(f"Updated: {_describe(updated)}")
    if enabled:
        print("Enabled, as the stack's program has it: nothing to reconcile with Pulumi.")
        return 0
    print_reconciliation(
        f"event source mapping {uuid} is disabled; the stack's program has it enabled",
        [f"resume processing: python -m runbooks resume-processing {source_arguments(args)} --yes"],
        "resumes processing",
    )
    return 0


def pause_processing(args: argparse.Namespace, targets: Targets) -> int:
    return set_processing(args, targets, enabled=False)


def resume_processing(args: argparse.Namespace, targets: Targets) -> int:
    return set_processing(args, targets, enabled=True)


# Without the mapping's UUID, the mapping is found from the alias or the function.
_TARGETS = ("event_source_mapping", "processor_alias", "function")

COMMANDS = [
    Command(
        "pause-processing",
        "disable the processor's event source mapping; messages wait in the queue",
        _TARGETS,
        pause_processing,
        mutating=True,
    ),
    Command(
        "resume-processing",
        "enable the processor's event source mapping again",
        _TARGETS,
        resume_processing,
        mutating=True,
    ),
]
