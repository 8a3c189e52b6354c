"""Secrets never leave the gate in plaintext.

A value is secret when the program marked it (`Output.secret`, a secret input, an
output named in `additional_secret_outputs`) or it came from a `secure:` config value,
at any depth. Policies still see such values as the Pulumi policy runtime hands them
over; everything the gate writes (plans in every format, the Terraform plan checkov
reads, reports, error messages) carries `SECRET_MARKER` in their place.

Example:
    >>> marked = {SIG_KEY: SECRET_SIG, "value": "hunter2"}
    >>> redact({"password": marked, "note": "pw is hunter2"}, frozenset({"hunter2"}))
    {'password': '[secret]', 'note': 'pw is [secret]'}
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from gate.engine.wire import SECRET_SIG, SIG_KEY

if TYPE_CHECKING:
    from gate.engine.plan import Plan

SECRET_MARKER = "[secret]"
# Shorter values would redact ordinary words (a secret "true" is still secret where it
# is marked, but is not hunted for inside other text).
_MIN_SEARCHED_LENGTH = 6


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif value is not None and not isinstance(value, bool):
        yield json.dumps(value)


def marked_values(value: Any) -> set[str]:
    """The plaintext of every value marked secret inside a wire-form value."""
    found: set[str] = set()
    if isinstance(value, dict):
        if value.get(SIG_KEY) == SECRET_SIG:
            inner = value.get("value")
            found.update(_strings(inner))
            if inner is not None and not isinstance(inner, str):
                found.add(json.dumps(inner))
            return found
        for item in value.values():
            found |= marked_values(item)
    elif isinstance(value, list):
        for item in value:
            found |= marked_values(item)
    return found


def plan_secrets(plan: Plan) -> frozenset[str]:
    """Every secret plaintext the plan holds: marked inputs and outputs, inputs named by
    `additional_secret_outputs`, and secret config values."""
    found = marked_values(plan.outputs)
    for resource in plan.resources:
        found |= marked_values(resource.inputs)
        for name in resource.options.get("additional_secret_outputs") or []:
            found.update(_strings(resource.inputs.get(name)))
    for key in plan.secret_keys:
        found.update(_strings(plan.config.get(key)))
    return frozenset(value for value in found if value)


def redact_text(text: str, secrets: frozenset[str]) -> str:
    """`text` with every secret it contains replaced, longest first."""
    for secret in sorted(secrets, key=len, reverse=True):
        if len(secret) >= _MIN_SEARCHED_LENGTH and secret in text:
            text = text.replace(secret, SECRET_MARKER)
    return text


def redact(value: Any, secrets: frozenset[str]) -> Any:
    """A JSON-ready value with marked secrets and known secret text replaced."""
    if isinstance(value, dict):
        if value.get(SIG_KEY) == SECRET_SIG:
            return SECRET_MARKER
        return {key: redact(item, secrets) for key, item in value.items()}
    if isinstance(value, list):
        return [redact(item, secrets) for item in value]
    if isinstance(value, str):
        return SECRET_MARKER if value in secrets else redact_text(value, secrets)
    return value
