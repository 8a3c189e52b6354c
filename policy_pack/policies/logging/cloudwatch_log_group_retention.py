"""CloudWatch log groups keep logs for at least the configured number of days."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import metadata
from ...core.policy import MANDATORY, Config, minimum_days, resource_policy
from ...core.props import as_number, for_environment


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    days = as_number(args.props.get("retentionInDays"))
    minimum = for_environment(config, args.props, "minimum_days")
    if not days:
        yield (
            f"CloudWatch log group '{args.name}' keeps logs forever; set retention_in_days "
            f"(at least {minimum:g})"
        )
    elif days < minimum:
        yield (
            f"CloudWatch log group '{args.name}' keeps logs {days:g} days; set "
            f"retention_in_days to at least {minimum:g}"
        )


POLICY = resource_policy(
    name="cloudwatch-log-group-retention",
    description="CloudWatch log groups set a retention of at least the configured days.",
    resource_types=("aws:cloudwatch/logGroup:LogGroup",),
    check=_check,
    category=metadata.LOGGING,
    severity=Severity.MEDIUM,
    enforcement=MANDATORY,
    remediation="Set retention_in_days to an allowed CloudWatch value at or above the minimum.",
    mappings=("cdk-nag:Serverless-CloudWatchLogGroupRetentionPeriod", "checkov:CKV_AWS_66"),
    options=minimum_days(14, {"prod": 365}, "retention", minimum=1),
)
