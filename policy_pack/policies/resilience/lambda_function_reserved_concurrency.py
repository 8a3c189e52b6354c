"""Lambda functions reserve concurrency, so one cannot starve the others (or the backend)."""

from pulumi_policy import Severity

from ...core import metadata
from ...core.checks import require
from ...core.policy import ADVISORY, resource_policy
from ...core.props import as_number


def _reserved(value: object) -> bool:
    number = as_number(value)
    return number is not None and number >= 0  # -1 means "unreserved"


POLICY = resource_policy(
    name="lambda-function-reserved-concurrency",
    description="Lambda functions set a reserved concurrency limit.",
    resource_types=("aws:lambda/function:Function",),
    check=require(
        _reserved,
        "reservedConcurrentExecutions",
        message=(
            "Lambda function '{name}' has no reserved concurrency; set "
            "reserved_concurrent_executions"
        ),
    ),
    category=metadata.RESILIENCE,
    severity=Severity.MEDIUM,
    enforcement=ADVISORY,
    remediation="Set reserved_concurrent_executions to the function's expected peak.",
    mappings=("checkov:CKV_AWS_115",),
)
