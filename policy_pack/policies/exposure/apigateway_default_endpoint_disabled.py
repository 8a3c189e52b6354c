"""APIs served on a custom domain switch off the default execute-api endpoint."""

from collections.abc import Iterator

from pulumi_policy import PolicyResource, Severity

from ...core import metadata
from ...core.apigateway import BASE_PATH_MAPPINGS, REST_APIS
from ...core.policy import MANDATORY, Config, stack_policy
from ...core.props import is_true
from ...core.stack import StackView


def _check(api: PolicyResource, stack: StackView, config: Config) -> Iterator[str]:
    if stack.referencing(api, BASE_PATH_MAPPINGS, "restApi") and not is_true(
        api.props.get("disableExecuteApiEndpoint")
    ):
        yield (
            f"API Gateway REST API '{api.name}' has a custom domain but keeps the default "
            "execute-api endpoint, which bypasses it; set disable_execute_api_endpoint=True"
        )


POLICY = stack_policy(
    name="apigateway-default-endpoint-disabled",
    description="REST APIs with a custom domain disable the default execute-api endpoint.",
    resource_types=REST_APIS,
    check=_check,
    category=metadata.EXPOSURE,
    severity=Severity.MEDIUM,
    enforcement=MANDATORY,
    remediation="Set disable_execute_api_endpoint=True on the aws.apigateway.RestApi.",
)
