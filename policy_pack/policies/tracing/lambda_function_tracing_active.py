"""Lambda functions send traces to X-Ray (active tracing)."""

from pulumi_policy import Severity

from ...core import metadata
from ...core.checks import one_of, require
from ...core.policy import ADVISORY, resource_policy

POLICY = resource_policy(
    name="lambda-function-tracing-active",
    description="Lambda functions have X-Ray active tracing enabled.",
    resource_types=("aws:lambda/function:Function",),
    check=require(
        one_of("Active"),
        "tracingConfig",
        "mode",
        message=(
            "Lambda function '{name}' has tracing mode {value!r}; set tracing_config mode='Active'"
        ),
    ),
    category=metadata.TRACING,
    severity=Severity.MEDIUM,
    enforcement=ADVISORY,
    remediation=(
        "Set tracing_config={'mode': 'Active'} and allow xray:PutTraceSegments and "
        "xray:PutTelemetryRecords (Resource '*') to the function's role."
    ),
    mappings=("cdk-nag:Serverless-LambdaTracing", "checkov:CKV_AWS_50"),
)
