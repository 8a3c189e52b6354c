"""Step Functions state machines log every event to CloudWatch Logs."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import metadata
from ...core.policy import MANDATORY, Config, resource_policy
from ...core.props import dig


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    logging = args.props.get("loggingConfiguration")
    if dig(logging, "level") != "ALL" or not dig(logging, "logDestination"):
        yield (
            f"Step Functions state machine '{args.name}' does not log all events; set "
            "logging_configuration level='ALL' with a log_destination"
        )


POLICY = resource_policy(
    name="sfn-state-machine-logging-all",
    description="Step Functions state machines log ALL events to a CloudWatch log group.",
    resource_types=("aws:sfn/stateMachine:StateMachine",),
    check=_check,
    category=metadata.LOGGING,
    severity=Severity.MEDIUM,
    enforcement=MANDATORY,
    remediation=(
        "Set logging_configuration={'level': 'ALL', 'log_destination': <log group ARN>:*, "
        "'include_execution_data': <False where payloads are sensitive>}."
    ),
    mappings=("fsbp:StepFunctions.1", "cdk-nag:AwsSolutions-SF1", "checkov:CKV_AWS_285"),
)
