"""Each Lambda function has its own execution role."""

from collections.abc import Iterator

from pulumi_policy import PolicyResource, Severity

from ...core import metadata
from ...core.policy import MANDATORY, Config, stack_policy
from ...core.stack import StackView

FUNCTIONS = ("aws:lambda/function:Function",)
ROLES = ("aws:iam/role:Role",)


def _role_key(stack: StackView, function: PolicyResource) -> str:
    roles = stack.linked(function, "role", ROLES)
    return roles[0].urn if roles else str(function.props.get("role"))


def _check(function: PolicyResource, stack: StackView, config: Config) -> Iterator[str]:
    role = _role_key(stack, function)
    others = [
        other.name
        for other in stack.of_type(FUNCTIONS)
        if other is not function and _role_key(stack, other) == role
    ]
    if others:
        yield (
            f"Lambda function '{function.name}' shares its execution role with "
            f"{', '.join(map(repr, sorted(others)))}; give each function its own role"
        )


POLICY = stack_policy(
    name="lambda-function-unique-role",
    description="No IAM role is the execution role of two Lambda functions.",
    resource_types=FUNCTIONS,
    check=_check,
    category=metadata.IAM,
    severity=Severity.MEDIUM,
    enforcement=MANDATORY,
    remediation=(
        "Create one aws.iam.Role per function with only the permissions that function needs."
    ),
)
