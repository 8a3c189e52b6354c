"""Lambda function URLs require IAM authentication."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import metadata
from ...core.policy import MANDATORY, Config, resource_policy


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    if args.props.get("authorizationType") != "AWS_IAM":
        yield (
            f"Lambda function URL '{args.name}' has authorization_type "
            f"{args.props.get('authorizationType')!r}: anyone on the internet can invoke the "
            "function; set authorization_type='AWS_IAM' (front it with CloudFront and OAC, or "
            "API Gateway, for public callers)"
        )


POLICY = resource_policy(
    name="lambda-function-url-auth-required",
    description="Lambda function URLs use AWS_IAM authorization, never NONE.",
    resource_types=("aws:lambda/functionUrl:FunctionUrl",),
    check=_check,
    category=metadata.EXPOSURE,
    severity=Severity.HIGH,
    enforcement=MANDATORY,
    remediation=(
        "Set authorization_type='AWS_IAM' on the aws.lambda_.FunctionUrl and grant "
        "lambda:InvokeFunctionUrl to the callers that need it."
    ),
    mappings=("checkov:CKV_AWS_258",),
)
