"""API Gateway stages log execution (errors at least) for every method."""

from collections.abc import Iterator

from pulumi_policy import PolicyResource, Severity

from ...core import metadata
from ...core.apigateway import STAGES, method_settings_of
from ...core.policy import MANDATORY, Config, stack_policy
from ...core.props import dig
from ...core.stack import StackView

LOGGING_LEVELS = ("ERROR", "INFO")


def _check(stage: PolicyResource, stack: StackView, config: Config) -> Iterator[str]:
    for settings in method_settings_of(stack, stage):
        if (
            settings.props.get("methodPath") == "*/*"
            and dig(settings.props, "settings", "loggingLevel") in LOGGING_LEVELS
        ):
            return
    yield (
        f"API Gateway stage '{stage.name}' has no execution logging for all methods; add "
        "MethodSettings with method_path='*/*' and settings.logging_level 'ERROR' or 'INFO'"
    )


POLICY = stack_policy(
    name="apigateway-stage-execution-logging",
    description="API Gateway stages have execution logging (ERROR or INFO) for all methods.",
    resource_types=STAGES,
    check=_check,
    category=metadata.LOGGING,
    severity=Severity.MEDIUM,
    enforcement=MANDATORY,
    remediation=(
        "Add aws.apigateway.MethodSettings for the stage with method_path='*/*' and "
        "settings={'logging_level': 'ERROR', 'metrics_enabled': True}; the account needs an "
        "API Gateway CloudWatch role (aws.apigateway.Account)."
    ),
    mappings=("fsbp:APIGateway.1", "cdk-nag:AwsSolutions-APIG6", "checkov:CKV2_AWS_4"),
)
