"""Structured policy results, with the metadata reports need (category, mappings, fix)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pulumi_policy import EnforcementLevel, Policy, StackValidationPolicy

from gate.categories import OTHER, POLICY_CATEGORIES

VIOLATION = "violation"
NOT_APPLICABLE = "not-applicable"
# The advisory "can't run policy ... during preview" for a value known only after deploy.
UNKNOWN = "unknown"

_CATEGORY_TAG = "category:"


def category_of(tags: tuple[str, ...]) -> str:
    """`category:<name>` from the policy's tags, else a bare category tag, else other."""
    for tag in tags:
        if tag.startswith(_CATEGORY_TAG):
            return tag[len(_CATEGORY_TAG) :]
    return next((tag for tag in tags if tag in POLICY_CATEGORIES), OTHER)


def _declared_types(policy: Policy) -> frozenset[str] | None:
    types = getattr(policy, "resource_types", None)
    if isinstance(types, Iterable) and not isinstance(types, str):
        return frozenset(str(t) for t in types)
    return None


@dataclass(frozen=True)
class PolicyMetadata:
    name: str
    description: str
    policy_type: str  # "resource" or "stack"
    enforcement_level: str  # as declared (before config)
    severity: str | None
    category: str
    tags: tuple[str, ...]
    framework: Mapping[str, str] | None
    remediation_steps: str | None
    url: str | None
    display_name: str | None
    # The types the policy checks, when the pack declares them (a `resource_types`
    # attribute on the policy); None when unknown, as for most third-party packs.
    resource_types: frozenset[str] | None = None

    @property
    def mappings(self) -> tuple[str, ...]:
        """Compliance mapping tags (`fsbp:S3.5`, `checkov:CKV_AWS_18`, ...)."""
        return tuple(tag for tag in self.tags if not tag.startswith(_CATEGORY_TAG))

    @classmethod
    def of(cls, policy: Policy, pack_level: EnforcementLevel) -> PolicyMetadata:
        framework = None
        if policy.framework is not None:
            framework = {
                key: value
                for key in ("name", "version", "reference", "specification")
                if (value := getattr(policy.framework, key)) is not None
            }
        tags = tuple(policy.tags or ())
        return cls(
            name=policy.name,
            description=policy.description,
            policy_type="stack" if isinstance(policy, StackValidationPolicy) else "resource",
            enforcement_level=(policy.enforcement_level or pack_level).value,
            severity=policy.severity.value if policy.severity else None,
            category=category_of(tags),
            tags=tags,
            framework=framework,
            remediation_steps=policy.remediation_steps,
            url=policy.url,
            display_name=policy.display_name,
            resource_types=_declared_types(policy),
        )


@dataclass(frozen=True)
class PolicyResult:
    kind: str  # VIOLATION, NOT_APPLICABLE or UNKNOWN
    policy: str
    pack: str
    pack_version: str
    enforcement: str  # the effective level: "mandatory" or "advisory"
    severity: str | None
    message: str  # what the policy said (the runtime prefixes the description)
    urn: str | None  # None for a stack-level finding
    resource_type: str | None
    resource_name: str | None
    metadata: PolicyMetadata
    suppressed: bool = False
    suppression_reason: str | None = None

    @property
    def category(self) -> str:
        return self.metadata.category

    @property
    def is_violation(self) -> bool:
        return self.kind == VIOLATION

    @property
    def blocking(self) -> bool:
        """An unsuppressed mandatory violation: what fails the gate."""
        return self.kind == VIOLATION and self.enforcement == "mandatory" and not self.suppressed

    @property
    def runtime_message(self) -> str:
        """The message as `pulumi preview` prints it: description, then the detail."""
        if self.kind != VIOLATION:
            return self.message
        return (
            f"{self.metadata.description}\n{self.message}"
            if self.message
            else self.metadata.description
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "policy": self.policy,
            "pack": self.pack,
            "pack_version": self.pack_version,
            "category": self.category,
            "enforcement": self.enforcement,
            "severity": self.severity,
            "message": self.message,
            "urn": self.urn,
            "resource_type": self.resource_type,
            "resource_name": self.resource_name,
            "suppressed": self.suppressed,
            "suppression_reason": self.suppression_reason,
            "description": self.metadata.description,
            "remediation_steps": self.metadata.remediation_steps,
            "framework": dict(self.metadata.framework) if self.metadata.framework else None,
            "tags": list(self.metadata.tags),
        }


@dataclass(frozen=True)
class PolicyPass:
    """A resource a policy checked and found nothing wrong with (for reports that list
    passing cases, such as JUnit)."""

    policy: str
    pack: str
    urn: str
    resource_type: str
    resource_name: str
    metadata: PolicyMetadata
