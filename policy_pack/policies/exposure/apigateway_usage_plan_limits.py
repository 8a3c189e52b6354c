"""API usage plans throttle requests and cap them with a quota."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import metadata
from ...core.policy import MANDATORY, Config, resource_policy
from ...core.props import dig


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    missing = [
        setting
        for setting, path in (
            ("throttle_settings.rate_limit", ("throttleSettings", "rateLimit")),
            ("throttle_settings.burst_limit", ("throttleSettings", "burstLimit")),
            ("quota_settings.limit", ("quotaSettings", "limit")),
            ("quota_settings.period", ("quotaSettings", "period")),
        )
        if not dig(args.props, *path)
    ]
    if missing:
        yield f"API Gateway usage plan '{args.name}' sets no {', '.join(missing)}; set them"


POLICY = resource_policy(
    name="apigateway-usage-plan-limits",
    description="API Gateway usage plans set throttle (rate, burst) and quota (limit, period).",
    resource_types=("aws:apigateway/usagePlan:UsagePlan",),
    check=_check,
    category=metadata.EXPOSURE,
    severity=Severity.MEDIUM,
    enforcement=MANDATORY,
    remediation=(
        "Set throttle_settings={'rate_limit', 'burst_limit'} and "
        "quota_settings={'limit', 'period'}."
    ),
)
