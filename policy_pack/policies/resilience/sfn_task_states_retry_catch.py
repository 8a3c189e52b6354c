"""Every Task state in a state machine retries transient errors and catches the rest."""

import json
from collections.abc import Iterator
from typing import Any

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import metadata
from ...core.policy import ADVISORY, Config, resource_policy
from ...core.props import plain


def task_states(states: dict[str, Any], path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """(path, state) for every Task state, including those inside Map and Parallel."""
    for name, state in states.items():
        where = f"{path}{name}"
        if not isinstance(state, dict):
            continue
        if state.get("Type") == "Task":
            yield where, state
        for key in ("ItemProcessor", "Iterator"):
            inner = state.get(key)
            if isinstance(inner, dict):
                yield from task_states(inner.get("States") or {}, f"{where}/")
        for index, branch in enumerate(state.get("Branches") or []):
            if isinstance(branch, dict):
                yield from task_states(branch.get("States") or {}, f"{where}[{index}]/")


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    raw = args.props.get("definition")
    try:
        definition = json.loads(raw) if isinstance(raw, str) else plain(raw)
    except json.JSONDecodeError:
        definition = None
    if not isinstance(definition, dict) or not isinstance(definition.get("States"), dict):
        yield f"Step Functions state machine '{args.name}' has no readable States in its definition"
        return
    for path, state in task_states(definition["States"]):
        missing = [key for key in ("Retry", "Catch") if not state.get(key)]
        if missing:
            yield (
                f"Step Functions state machine '{args.name}' has Task state '{path}' without "
                f"{' and '.join(missing)}; add Retry for transient errors and Catch for the rest"
            )


POLICY = resource_policy(
    name="sfn-task-states-retry-catch",
    description="Every Task state in a Step Functions definition has Retry and Catch.",
    resource_types=("aws:sfn/stateMachine:StateMachine",),
    check=_check,
    category=metadata.RESILIENCE,
    severity=Severity.MEDIUM,
    enforcement=ADVISORY,
    remediation=(
        "Give each Task a Retry (Lambda.ServiceException, Lambda.TooManyRequestsException, "
        "States.Timeout; backoff) and a Catch (States.ALL) to a failure-handling state."
    ),
)
