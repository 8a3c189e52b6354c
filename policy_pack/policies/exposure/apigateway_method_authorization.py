"""API methods require an authorizer or an API key."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import metadata
from ...core.policy import MANDATORY, Config, resource_policy
from ...core.props import is_true


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    if args.props.get("httpMethod") == "OPTIONS":
        args.not_applicable("CORS preflight (OPTIONS) requests carry no credentials")
    open_method = args.props.get("authorization") in (None, "NONE")
    if open_method and not is_true(args.props.get("apiKeyRequired")):
        yield (
            f"API Gateway method '{args.name}' is open to anyone; set authorization (IAM, "
            "COGNITO_USER_POOLS, CUSTOM) or api_key_required=True"
        )


POLICY = resource_policy(
    name="apigateway-method-authorization",
    description="API Gateway methods require authorization or an API key.",
    resource_types=("aws:apigateway/method:Method",),
    check=_check,
    category=metadata.EXPOSURE,
    severity=Severity.HIGH,
    enforcement=MANDATORY,
    remediation=(
        "Set authorization to an authorizer type, or api_key_required=True with a usage plan."
    ),
    mappings=("cdk-nag:AwsSolutions-APIG4", "checkov:CKV_AWS_59", "checkov:CKV2_AWS_70"),
)
