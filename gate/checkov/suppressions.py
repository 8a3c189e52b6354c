"""checkov suppressions: one file, one entry per exception, each with its reason.

The file (`checkov-suppressions.yaml` at the repository root) looks like:

    suppressions:
      - check: CKV_AWS_145
        resource: "*access-logs*"      # glob on the Pulumi URN or logical name
        reason: S3 server access logs can only be delivered to an SSE-S3 bucket.
        expires: 2027-06-30            # optional: the suppression lapses after it
        stacks: [dev, prod]            # optional: only these stacks

Example:
    >>> rules = Suppressions.parse(
    ...     {"suppressions": [{"check": "CKV_AWS_18", "resource": "*logs*",
    ...                        "reason": "a log bucket does not log itself"}]},
    ...     origin="inline",
    ... )
    >>> rules.match("CKV_AWS_18", "urn:pulumi:dev::p::aws:s3/bucket:Bucket::logs", "dev").reason
    'a log bucket does not log itself'
"""

from __future__ import annotations

import datetime
import fnmatch
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

DEFAULT_FILE = "checkov-suppressions.yaml"
MIN_REASON_LENGTH = 10

# checkov ids, and the ids of findings the gate raises itself (gate-unexpanded-component).
_CHECK_ID = re.compile(r"^(CKV2?_[A-Z0-9]+_\d+|gate-[a-z0-9-]+)$")
_KEYS = {"check", "resource", "reason", "expires", "stacks"}


class SuppressionError(ValueError):
    """The suppressions file is unreadable or an entry is incomplete."""


@dataclass(frozen=True)
class Suppression:
    check: str
    resource: str
    reason: str
    expires: datetime.date | None = None
    stacks: tuple[str, ...] = ()

    def covers(self, check_id: str, urn: str, stack: str) -> bool:
        """Whether this entry is about that check on that resource in that stack."""
        if check_id != self.check or (self.stacks and stack not in self.stacks):
            return False
        name = urn.rsplit("::", 1)[-1]
        return fnmatch.fnmatchcase(urn, self.resource) or fnmatch.fnmatchcase(name, self.resource)

    def expired(self, today: datetime.date) -> bool:
        return self.expires is not None and today > self.expires


@dataclass(frozen=True)
class Suppressions:
    entries: tuple[Suppression, ...] = ()

    @classmethod
    def load(cls, path: Path) -> Suppressions:
        """Read and validate a suppressions file."""
        try:
            document = yaml.safe_load(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise SuppressionError(f"suppressions file {path} does not exist") from exc
        except UnicodeDecodeError as exc:
            raise SuppressionError(
                f"suppressions file {path} is not UTF-8 text: {exc.reason}"
            ) from exc
        except yaml.YAMLError as exc:
            raise SuppressionError(f"suppressions file {path} is not valid YAML: {exc}") from exc
        return cls.parse(document, origin=str(path))

    @classmethod
    def for_program(cls, program_dir: Path) -> Suppressions:
        """The program's `checkov-suppressions.yaml`, or none if it has no such file."""
        path = program_dir / DEFAULT_FILE
        return cls.load(path) if path.is_file() else cls()

    @classmethod
    def parse(cls, document: Any, origin: str) -> Suppressions:
        """Validate a parsed document; `origin` names it in error messages."""
        if document is None:
            return cls()
        if not isinstance(document, dict) or not isinstance(document.get("suppressions", []), list):
            raise SuppressionError(f"{origin}: expected a mapping with a 'suppressions' list")
        return cls(
            tuple(
                _entry(raw, f"{origin}: suppressions[{index}]")
                for index, raw in enumerate(document.get("suppressions") or [])
            )
        )

    def match(self, check_id: str, urn: str, stack: str) -> Suppression | None:
        """The first entry about this check on this resource, expired or not."""
        return next((s for s in self.entries if s.covers(check_id, urn, stack)), None)

    def verdict(
        self, check_id: str, urn: str, stack: str, today: datetime.date
    ) -> tuple[str | None, str]:
        """(the reason, when an unexpired entry suppresses the finding; a note to append
        to its message, when the entry that would have has expired)."""
        suppression = self.match(check_id, urn, stack)
        if suppression is None:
            return None, ""
        if suppression.expired(today):
            return None, f" (its suppression expired on {suppression.expires})"
        return suppression.reason, ""


def _entry(raw: Any, where: str) -> Suppression:
    if not isinstance(raw, dict):
        raise SuppressionError(f"{where}: expected a mapping, got {type(raw).__name__}")
    unknown = set(raw) - _KEYS
    if unknown:
        raise SuppressionError(
            f"{where}: unknown keys {sorted(unknown)}; allowed are {sorted(_KEYS)}"
        )
    check = raw.get("check")
    if not isinstance(check, str) or not _CHECK_ID.match(check):
        raise SuppressionError(
            f"{where}: 'check' must be a checkov id like CKV_AWS_18 or a gate rule like "
            f"gate-unexpanded-component, got {check!r}"
        )
    resource = raw.get("resource")
    if not isinstance(resource, str) or not resource:
        raise SuppressionError(f"{where}: 'resource' must be a URN or name glob, got {resource!r}")
    reason = raw.get("reason")
    if not isinstance(reason, str) or len(reason.strip()) < MIN_REASON_LENGTH:
        raise SuppressionError(
            f"{where}: 'reason' must say why in at least {MIN_REASON_LENGTH} characters, "
            f"got {reason!r}"
        )
    stacks = raw.get("stacks") or []
    if not isinstance(stacks, list) or not all(isinstance(s, str) for s in stacks):
        raise SuppressionError(f"{where}: 'stacks' must be a list of stack names, got {stacks!r}")
    return Suppression(
        check=check,
        resource=resource,
        reason=reason.strip(),
        expires=_date(raw.get("expires"), where),
        stacks=tuple(stacks),
    )


def _date(value: Any, where: str) -> datetime.date | None:
    if value is None:
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError as exc:
        raise SuppressionError(
            f"{where}: 'expires' must be a date like 2027-06-30, got {value!r}"
        ) from exc
