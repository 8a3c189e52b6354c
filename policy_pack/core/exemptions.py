"""Exemptions: configured exceptions to a policy, each with a reason and an expiry.

An exemption lives in the policy's own CrossGuard config (so the key names the policy),
passed with `--policy-pack-config`:

    {"s3-bucket-encrypted-cmk": {"exemptions": [
        {"resource": "*access-logs*",
         "reason": "S3 server access logs can only be delivered to SSE-S3 buckets",
         "expires": "2027-06-30"}]}}

`resource` is a glob over the resource name, or over the URN when it starts with `urn:`.

- A valid exemption suppresses the matching findings. Under `pulumi preview` that means
  no violation at all. A caller whose `report_violation` has a `report_suppressed`
  method (the offline gate) is told about each suppressed finding and its reason.
- An exemption without a reason of at least 10 characters, or past its expiry date,
  suppresses nothing, and `policy-exemptions-valid` reports it as a mandatory violation.
"""

from __future__ import annotations

import datetime
import fnmatch
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .props import as_list, is_mapping

MIN_REASON_LENGTH = 10
# The duck-typed extension of ReportViolation that the offline gate provides.
SUPPRESSED_REPORTER = "report_suppressed"

EXEMPTIONS_SCHEMA: dict[str, Any] = {
    "type": "array",
    "description": (
        "Findings to suppress. Each names the resource (a name glob, or a URN glob "
        "starting with 'urn:'), a reason of at least 10 characters, and an expiry date "
        "(YYYY-MM-DD, inclusive)."
    ),
    "items": {
        "type": "object",
        "properties": {
            "resource": {"type": "string", "minLength": 1},
            "reason": {"type": "string"},
            "expires": {"type": "string"},
        },
        # Reason and expiry are checked by the pack, so that a missing one is a
        # reported violation rather than a config error that hides which exemption.
        "required": ["resource"],
        "additionalProperties": False,
    },
}


@dataclass(frozen=True)
class Exemption:
    policy: str
    resource: str
    reason: str
    expires: str
    # Why the exemption suppresses nothing; None when it is valid.
    problem: str | None

    def matches(self, urn: str, name: str) -> bool:
        target = urn if self.resource.startswith("urn:") else name
        return fnmatch.fnmatchcase(target, self.resource)

    def describe(self) -> str:
        return f"the exemption of '{self.resource}' from policy '{self.policy}'"


def _today() -> datetime.date:
    return datetime.datetime.now(datetime.UTC).date()


def _problem(reason: str, expires: str, today: datetime.date) -> str | None:
    if len(reason.strip()) < MIN_REASON_LENGTH:
        return f"has no reason of at least {MIN_REASON_LENGTH} characters"
    if not expires:
        return "has no expiry date (YYYY-MM-DD)"
    try:
        expiry = datetime.date.fromisoformat(expires)
    except ValueError:
        return f"has expiry {expires!r}, which is not a YYYY-MM-DD date"
    if expiry < today:
        return f"expired on {expiry.isoformat()}"
    return None


def parse_exemptions(
    policy: str, config: Mapping[str, Any], today: datetime.date | None = None
) -> list[Exemption]:
    exemptions = []
    for entry in as_list(config.get("exemptions")):
        if not is_mapping(entry):
            continue
        reason = str(entry.get("reason") or "")
        expires = str(entry.get("expires") or "")
        exemptions.append(
            Exemption(
                policy=policy,
                resource=str(entry.get("resource") or ""),
                reason=reason,
                expires=expires,
                problem=_problem(reason, expires, today or _today()),
            )
        )
    return exemptions


# Invalid exemptions, by policy, as each policy last saw its config. Policies only see
# their own config, so this is how the mandatory `policy-exemptions-valid` (the pack's
# last stack policy) learns about them: the runtime runs every resource policy, then the
# stack policies in pack order, all in this one process.
_INVALID: dict[str, tuple[Exemption, ...]] = {}
_LOCK = threading.Lock()


def take_invalid() -> list[Exemption]:
    """Every invalid exemption recorded since the last call, and forget them."""
    with _LOCK:
        found = [exemption for policy in sorted(_INVALID) for exemption in _INVALID[policy]]
        _INVALID.clear()
    return found


class Exemptions:
    """One policy's exemptions for one evaluation."""

    def __init__(self, policy: str, config: Mapping[str, Any]) -> None:
        self._all = parse_exemptions(policy, config)
        invalid = tuple(exemption for exemption in self._all if exemption.problem)
        with _LOCK:
            if invalid:
                _INVALID[policy] = invalid
            else:
                _INVALID.pop(policy, None)

    def report(
        self,
        report_violation: Callable[..., None],
        message: str,
        urn: str,
        name: str,
    ) -> None:
        """Report a finding, unless a valid exemption covers the resource."""
        matching = [exemption for exemption in self._all if exemption.matches(urn, name)]
        valid = next((exemption for exemption in matching if not exemption.problem), None)
        if valid is not None:
            report_suppressed = getattr(report_violation, SUPPRESSED_REPORTER, None)
            if callable(report_suppressed):
                report_suppressed(message, urn, valid.reason)
            return
        for exemption in matching:
            message += f" (exemption '{exemption.resource}' ignored: it {exemption.problem})"
        report_violation(message, urn)
