"""Factories that turn a small check function into a fully described CrossGuard policy.

Every policy gets the same treatment from here: its category tag and compliance
mappings, its config schema (own options plus `exemptions`, with defaults the Pulumi CLI
fills in), exemption handling, and, for stack policies, unknown values that do not hide
the findings the policy could still make.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import Any, Required, TypedDict, TypeVar, Unpack

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import UnknownValueError

from .exemptions import EXEMPTIONS_SCHEMA, Exemptions
from .metadata import category_tag, check_mappings, framework_for
from .stack import StackView

Config = Mapping[str, Any]
ResourceCheck = Callable[[ResourceValidationArgs, Config], Iterable[str]]
StackCheck = Callable[[PolicyResource, StackView, Config], Iterable[str]]

MANDATORY = EnforcementLevel.MANDATORY
ADVISORY = EnforcementLevel.ADVISORY


class TypedResourcePolicy(ResourceValidationPolicy):
    """A resource policy that also declares the resource types it checks, so a caller
    (the gate's reports, the tests) can tell "passed" from "did not apply"."""

    resource_types: frozenset[str] = frozenset()


class TypedStackPolicy(StackValidationPolicy):
    """A stack policy that declares the resource types it reports on."""

    resource_types: frozenset[str] = frozenset()


def option(kind: str, default: Any, description: str, **schema: Any) -> dict[str, Any]:
    """One config property: JSON-schema type, default and description."""
    return {"type": kind, "default": default, "description": description, **schema}


def string_list(default: Sequence[str], description: str) -> dict[str, Any]:
    return option("array", list(default), description, items={"type": "string"})


def minimum_days(
    default: int, by_environment: Mapping[str, int], what: str, **bounds: int
) -> dict[str, dict[str, Any]]:
    """`minimum_days` plus its per-environment override, read with `for_environment`."""
    return {
        "minimum_days": option("integer", default, f"Minimum {what} in days.", **bounds),
        "minimum_days_by_environment": option(
            "object",
            dict(by_environment),
            "Per-environment minimum, keyed by the resource's Environment tag.",
            additionalProperties={"type": "integer", **bounds},
        ),
    }


def _schema(options: Mapping[str, dict[str, Any]]) -> PolicyConfigSchema:
    return PolicyConfigSchema(properties={**options, "exemptions": EXEMPTIONS_SCHEMA})


def _settings(options: Mapping[str, dict[str, Any]], given: Config) -> dict[str, Any]:
    # The CLI fills in schema defaults; a caller without it (a direct call) gets them here.
    defaults = {key: spec["default"] for key, spec in options.items() if "default" in spec}
    return {**defaults, **(given or {})}


class Described(TypedDict, total=False):
    """What every policy says about itself, besides its check."""

    name: Required[str]
    description: Required[str]
    category: Required[str]
    severity: Required[Severity]
    enforcement: Required[EnforcementLevel]
    remediation: Required[str]
    mappings: Sequence[str]
    options: Mapping[str, dict[str, Any]]


_Policy = TypeVar("_Policy", TypedResourcePolicy, TypedStackPolicy)


def _build(
    kind: type[_Policy], validate: Any, types: frozenset[str], described: Described
) -> _Policy:
    mappings: list[str] = check_mappings(described.get("mappings", ()))
    policy = kind(
        name=described["name"],
        description=described["description"],
        validate=validate,
        enforcement_level=described["enforcement"],
        config_schema=_schema(described.get("options", {})),
        severity=described["severity"],
        framework=framework_for(mappings),
        tags=[category_tag(described["category"]), *mappings],
        remediation_steps=described["remediation"],
    )
    policy.resource_types = types
    return policy


def resource_policy(
    *, resource_types: Collection[str], check: ResourceCheck, **described: Unpack[Described]
) -> TypedResourcePolicy:
    """A policy that looks at one resource of `resource_types` at a time."""
    name, options, types = (
        described["name"],
        described.get("options", {}),
        frozenset(resource_types),
    )

    def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        config = _settings(options, args.get_config())
        # Read exemptions for every resource, so invalid ones are noticed even when the
        # stack has nothing this policy checks.
        exemptions = Exemptions(name, config)
        if args.resource_type not in types:
            return
        for message in check(args, config):
            exemptions.report(report_violation, message, args.urn, args.name)

    return _build(TypedResourcePolicy, validate, types, described)


def stack_policy(
    *, resource_types: Collection[str], check: StackCheck, **described: Unpack[Described]
) -> TypedStackPolicy:
    """A policy that checks each resource of `resource_types` against the whole stack
    (its split settings, the queue behind a mapping, ...)."""
    name, options, types = (
        described["name"],
        described.get("options", {}),
        frozenset(resource_types),
    )

    def validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
        config = _settings(options, args.get_config())
        exemptions = Exemptions(name, config)
        stack = StackView(args.resources)
        unknown: UnknownValueError | None = None
        for resource in stack.of_type(types):
            try:
                for message in check(resource, stack, config):
                    exemptions.report(report_violation, message, resource.urn, resource.name)
            except UnknownValueError as error:
                # Keep checking the others; the runtime turns the re-raise below into
                # the advisory "can't run policy during preview".
                unknown = unknown or error
        if unknown is not None:
            raise unknown

    return _build(TypedStackPolicy, validate, types, described)
