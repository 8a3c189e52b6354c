"""CodeDeploy deployment groups stop and roll back a deployment when an alarm fires."""

from collections.abc import Iterator
from typing import Any

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import codedeploy, metadata
from ...core.policy import MANDATORY, Config, resource_policy
from ...core.props import as_list, dig, is_sequence, is_true

STOP_ON_ALARM = "DEPLOYMENT_STOP_ON_ALARM"


def _rollback_problems(rollback: Any) -> list[str]:
    if rollback is None:
        return ["no auto_rollback_configuration"]
    problems = []
    if not is_true(dig(rollback, "enabled")):
        problems.append("auto_rollback_configuration is not enabled")
    events = as_list(dig(rollback, "events"))
    if STOP_ON_ALARM not in events:
        problems.append(f"auto_rollback_configuration events {events} lack '{STOP_ON_ALARM}'")
    return problems


def _alarm_problems(alarm: Any) -> list[str]:
    if alarm is None:
        return ["no alarm_configuration"]
    problems = []
    if not is_true(dig(alarm, "enabled")):
        problems.append("alarm_configuration is not enabled")
    # Counted, not read: an alarm's name is unknown at preview until the alarm exists.
    alarms = dig(alarm, "alarms")
    if not (is_sequence(alarms) and len(alarms) > 0):
        problems.append("alarm_configuration names no alarm")
    if is_true(dig(alarm, "ignorePollAlarmFailure")):
        problems.append(
            "ignore_poll_alarm_failure=True lets a deployment continue when CloudWatch "
            "cannot report the alarms' state"
        )
    return problems


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    # Every input is read before anything is reported: an unknown one makes the whole
    # check "cannot run during preview" rather than half a finding.
    problems = _rollback_problems(args.props.get("autoRollbackConfiguration"))
    problems += _alarm_problems(args.props.get("alarmConfiguration"))
    if problems:
        yield (
            f"CodeDeploy deployment group '{args.name}' does not roll back on alarm: "
            f"{'; '.join(problems)}; set auto_rollback_configuration={{'enabled': True, "
            f"'events': ['DEPLOYMENT_FAILURE', '{STOP_ON_ALARM}']}} and "
            "alarm_configuration={'enabled': True, 'alarms': [<the function's alarm names>]}"
        )


POLICY = resource_policy(
    name="codedeploy-deployment-group-alarm-rollback",
    description=(
        "CodeDeploy deployment groups roll back on alarm: auto_rollback_configuration is "
        f"enabled with {STOP_ON_ALARM} among its events, and alarm_configuration is enabled "
        "with at least one alarm and does not ignore alarm poll failures (the AWS Config rule "
        "codedeploy-auto-rollback-monitor-enabled asks only that both be enabled)."
    ),
    resource_types=codedeploy.DEPLOYMENT_GROUPS,
    check=_check,
    category=metadata.RESILIENCE,
    severity=Severity.HIGH,
    enforcement=MANDATORY,
    remediation=(
        "Set auto_rollback_configuration={'enabled': True, 'events': ['DEPLOYMENT_FAILURE', "
        f"'{STOP_ON_ALARM}']}} and alarm_configuration={{'enabled': True, 'alarms': [...]}} "
        "naming the alarms that show a bad version (the function's errors, throttles, its "
        "DLQ depth), and leave ignore_poll_alarm_failure unset (False): when CloudWatch "
        "cannot be read the deployment then stops instead of shifting traffic unwatched."
    ),
)
