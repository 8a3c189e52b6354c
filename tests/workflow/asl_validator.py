"""Structural rules of Amazon States Language definitions, for the tests (and a
reviewer): every state reachable, every transition to a state that exists, terminal
states terminal, Map concurrency bounded, Task retries and catches in place.

Only tests use it, so it lives with them (moved out of the platform's package).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

Definition = dict[str, Any]
State = dict[str, Any]

# --- validation -------------------------------------------------------------------

STATE_TYPES = {"Task", "Map", "Choice", "Pass", "Fail", "Succeed", "Wait", "Parallel"}
TERMINAL_TYPES = {"Fail", "Succeed"}


def iter_state_machines(definition: Definition, path: str = "") -> Iterator[tuple[str, Definition]]:
    """The top-level machine and every Map's ItemProcessor, with a readable location."""
    yield path or "(top level)", definition
    for name, state in definition.get("States", {}).items():
        processor = state.get("ItemProcessor") if isinstance(state, dict) else None
        if isinstance(processor, dict):
            yield from iter_state_machines(processor, f"{path}{name}.ItemProcessor/")


def _transitions(state: State) -> list[str]:
    targets = [state["Next"]] if "Next" in state else []
    targets += [rule["Next"] for rule in state.get("Choices", []) if "Next" in rule]
    targets += [handler["Next"] for handler in state.get("Catch", []) if "Next" in handler]
    if "Default" in state:
        targets.append(state["Default"])
    return targets


def _reachable(machine: Definition) -> set[str]:
    states = machine.get("States", {})
    seen: set[str] = set()
    pending = [machine.get("StartAt")]
    while pending:
        name = pending.pop()
        if not isinstance(name, str) or name in seen or name not in states:
            continue
        seen.add(name)
        pending.extend(_transitions(states[name]))
    return seen


def _state_problems(where: str, name: str, state: State, names: set[str]) -> list[str]:
    problems: list[str] = []
    label = f"{where}{name}"
    kind = state.get("Type")
    if kind not in STATE_TYPES:
        return [f"{label}: unknown Type {kind!r}"]
    for target in _transitions(state):
        if target not in names:
            problems.append(f"{label}: transition to missing state {target!r}")
    if kind == "Choice":
        if not state.get("Choices"):
            problems.append(f"{label}: a Choice needs at least one rule")
        if "Default" not in state:
            problems.append(f"{label}: a Choice needs a Default (no input may fall through)")
    elif kind not in TERMINAL_TYPES and ("Next" in state) == bool(state.get("End")):
        problems.append(f"{label}: needs exactly one of Next and End")
    if kind == "Task":
        if not state.get("Retry"):
            problems.append(f"{label}: a Task needs Retry")
        if not state.get("Catch"):
            problems.append(f"{label}: a Task needs Catch")
    for retrier in state.get("Retry", []):
        if retrier.get("JitterStrategy") != "FULL":
            problems.append(
                f"{label}: retrier {retrier.get('ErrorEquals')} lacks JitterStrategy FULL"
            )
        for field in ("IntervalSeconds", "MaxAttempts", "BackoffRate"):
            if field not in retrier:
                problems.append(f"{label}: retrier {retrier.get('ErrorEquals')} lacks {field}")
    if kind == "Map":
        processor = state.get("ItemProcessor")
        if (
            not isinstance(processor, dict)
            or "StartAt" not in processor
            or not processor.get("States")
        ):
            problems.append(f"{label}: a Map needs an ItemProcessor with StartAt and States")
    return problems


def validate_definition(definition: Definition, *, max_concurrency: int | None = None) -> list[str]:
    """Structural problems in an ASL definition (empty when it is sound).

    Checks every state machine, including each Map's ItemProcessor: StartAt and every
    Next/Default/Catch target exist, every non-terminal state has Next or End, every
    Task has Retry and Catch, every retrier uses full jitter, no state is unreachable,
    and, when `max_concurrency` is given, every Map's MaxConcurrency equals it.
    """
    problems: list[str] = []
    for where, machine in iter_state_machines(definition):
        states = machine.get("States")
        if not isinstance(states, dict) or not states:
            problems.append(f"{where}: no States")
            continue
        names = set(states)
        if machine.get("StartAt") not in names:
            problems.append(f"{where}: StartAt {machine.get('StartAt')!r} is not a state")
        prefix = "" if where == "(top level)" else where
        for name, state in states.items():
            problems += _state_problems(prefix, name, state, names)
            if (
                state.get("Type") == "Map"
                and max_concurrency is not None
                and state.get("MaxConcurrency") != max_concurrency
            ):
                problems.append(
                    f"{prefix}{name}: MaxConcurrency {state.get('MaxConcurrency')!r}, "
                    f"config says {max_concurrency}"
                )
        for name in sorted(names - _reachable(machine)):
            problems.append(f"{prefix}{name}: unreachable")
    return problems
