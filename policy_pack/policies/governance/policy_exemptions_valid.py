"""Exemptions carry a reason and have not expired; otherwise they are findings themselves."""

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    ReportViolation,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)

from ...core import metadata
from ...core.exemptions import MIN_REASON_LENGTH, take_invalid

NAME = "policy-exemptions-valid"


def _validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    # Policies record their invalid exemptions when they run; this policy is the pack's
    # last, so every resource policy and every other stack policy has run by now.
    for exemption in take_invalid():
        matched = [r.name for r in args.resources if exemption.matches(r.urn, r.name)]
        where = f"matches {', '.join(map(repr, matched))}" if matched else "matches no resource"
        report_violation(
            f"{exemption.describe().capitalize()} ({where}) {exemption.problem}; "
            f"give it a reason of at least {MIN_REASON_LENGTH} characters and a future "
            "expiry date, or remove it and fix the finding",
            None,
        )


POLICY = StackValidationPolicy(
    name=NAME,
    description="Policy exemptions have a reason of at least 10 characters and an unexpired date.",
    validate=_validate,
    enforcement_level=EnforcementLevel.MANDATORY,
    config_schema=PolicyConfigSchema(properties={}),
    severity=Severity.HIGH,
    tags=[metadata.category_tag(metadata.OTHER)],
    remediation_steps=(
        "Edit the exemption in the policy pack config (--policy-pack-config): give it a "
        "reason and an expiry date (YYYY-MM-DD) in the future, or delete it."
    ),
)
