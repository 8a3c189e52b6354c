"""API Gateway stages write access logs."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import metadata
from ...core.policy import MANDATORY, Config, resource_policy
from ...core.props import dig


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    settings = args.props.get("accessLogSettings")
    if not dig(settings, "destinationArn") or not dig(settings, "format"):
        yield (
            f"API Gateway stage '{args.name}' writes no access logs; set access_log_settings "
            "with a log group destination_arn and a (JSON) format"
        )


POLICY = resource_policy(
    name="apigateway-stage-access-logging",
    description="API Gateway stages write access logs to CloudWatch Logs.",
    resource_types=("aws:apigateway/stage:Stage",),
    check=_check,
    category=metadata.LOGGING,
    severity=Severity.MEDIUM,
    enforcement=MANDATORY,
    remediation=(
        "Set access_log_settings={'destination_arn': <log group ARN>, 'format': <JSON "
        "format with $context.requestId, $context.identity.sourceIp, ...>} on the Stage."
    ),
    mappings=(
        "cdk-nag:AwsSolutions-APIG1",
        "cdk-nag:Serverless-APIGWAccessLogging",
        "checkov:CKV_AWS_76",
    ),
)
