"""Methods that take a body validate it before it reaches the function."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import metadata
from ...core.policy import ADVISORY, Config, resource_policy

BODY_METHODS = ("POST", "PUT", "PATCH")


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    method = args.props.get("httpMethod")
    if method not in BODY_METHODS:
        args.not_applicable(f"{method} requests carry no body")
    if not args.props.get("requestValidatorId"):
        yield (
            f"API Gateway method '{args.name}' ({method}) accepts any body; set "
            "request_validator_id (validate_request_body=True) and a request model"
        )


POLICY = resource_policy(
    name="apigateway-request-validation",
    description="API Gateway methods with a request body have a request validator.",
    resource_types=("aws:apigateway/method:Method",),
    check=_check,
    category=metadata.EXPOSURE,
    severity=Severity.LOW,
    enforcement=ADVISORY,
    remediation=(
        "Add an aws.apigateway.RequestValidator and a Model, and reference them from the method."
    ),
    mappings=("cdk-nag:AwsSolutions-APIG2",),
)
