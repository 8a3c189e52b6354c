"""Queues, event source mappings and the functions they feed."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from pulumi_policy import PolicyResource

from .props import as_number
from .stack import StackView, identifiers

QUEUES = ("aws:sqs/queue:Queue",)
FUNCTIONS = ("aws:lambda/function:Function",)
MAPPINGS = ("aws:lambda/eventSourceMapping:EventSourceMapping",)

# AWS defaults for inputs left unset.
DEFAULT_VISIBILITY_TIMEOUT = 30
DEFAULT_FUNCTION_TIMEOUT = 3
DEFAULT_RETENTION = 345_600
MAX_RETENTION = 1_209_600


def mappings_of(stack: StackView, queue: PolicyResource) -> list[PolicyResource]:
    """The event source mappings that read from `queue`."""
    return stack.referencing(queue, MAPPINGS, "eventSourceArn")


def functions_fed_by(stack: StackView, queue: PolicyResource) -> list[PolicyResource]:
    return [
        function
        for mapping in mappings_of(stack, queue)
        for function in stack.linked(mapping, "functionName", FUNCTIONS)
    ]


def redrive_policy(queue: PolicyResource) -> dict[str, Any] | None:
    """The queue's redrive policy (a JSON string on the wire) as a dict."""
    raw = queue.props.get("redrivePolicy")
    if isinstance(raw, Mapping):
        return dict(raw)
    if not raw:
        return None
    try:
        parsed = json.loads(raw)
    except json.JSONDecodeError:
        return None
    return parsed if isinstance(parsed, dict) else None


def dead_letter_queues(stack: StackView, queue: PolicyResource) -> list[PolicyResource]:
    """The queues named as `deadLetterTargetArn` in `queue`'s redrive policy."""
    linked = stack.linked(queue, "redrivePolicy", QUEUES)
    if linked:
        return linked
    target = (redrive_policy(queue) or {}).get("deadLetterTargetArn")
    return [dlq for dlq in stack.of_type(QUEUES) if target and target in identifiers(dlq)]


def number(resource: PolicyResource, key: str, default: float) -> float:
    value = as_number(resource.props.get(key))
    return default if value is None else value
