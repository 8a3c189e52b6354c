"""CloudWatch alarms notify someone."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import metadata
from ...core.policy import MANDATORY, Config, resource_policy


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    if args.props.get("actionsEnabled") is False or not args.props.get("alarmActions"):
        yield (
            f"CloudWatch alarm '{args.name}' has no enabled alarm action; set alarm_actions "
            "to the alerts topic and keep actions_enabled=True"
        )


POLICY = resource_policy(
    name="cloudwatch-alarm-has-actions",
    description="CloudWatch metric alarms have enabled alarm actions.",
    resource_types=("aws:cloudwatch/metricAlarm:MetricAlarm",),
    check=_check,
    category=metadata.LOGGING,
    severity=Severity.MEDIUM,
    enforcement=MANDATORY,
    remediation="Set alarm_actions (and ok_actions) to an SNS topic ARN; leave actions_enabled on.",
    mappings=("fsbp:CloudWatch.15", "checkov:CKV_AWS_319"),
)
