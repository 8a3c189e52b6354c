"""CloudWatch alarms tell the on-call engineer which runbook to follow."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import metadata
from ...core.policy import ADVISORY, Config, resource_policy
from ...core.props import tags_of


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    description = args.props.get("alarmDescription") or ""
    if "runbook" not in set(tags_of(args.props)) and "runbook" not in description.lower():
        yield (
            f"CloudWatch alarm '{args.name}' names no runbook; add a 'runbook' tag and a "
            "'Runbook: <link>' line to alarm_description"
        )


POLICY = resource_policy(
    name="cloudwatch-alarm-names-runbook",
    description="CloudWatch alarms name their runbook (a 'runbook' tag or the description).",
    resource_types=("aws:cloudwatch/metricAlarm:MetricAlarm",),
    check=_check,
    category=metadata.LOGGING,
    severity=Severity.LOW,
    enforcement=ADVISORY,
    remediation="Tag the alarm runbook=<path> and link the runbook in alarm_description.",
)
