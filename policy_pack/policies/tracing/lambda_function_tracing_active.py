"""Lambda functions send traces to X-Ray (active tracing; PassThrough is not tracing)."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import metadata
from ...core.policy import MANDATORY, Config, resource_policy
from ...core.props import dig


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    mode = dig(args.props.get("tracingConfig"), "mode")
    if mode == "Active":
        return
    if mode == "PassThrough":
        yield (
            f"Lambda function '{args.name}' has tracing mode 'PassThrough', which only "
            "forwards an upstream trace header and records no segments of its own; set "
            "tracing_config mode='Active'"
        )
    elif mode is None:
        yield (
            f"Lambda function '{args.name}' does not trace with X-Ray (no tracing_config "
            "means PassThrough); set tracing_config mode='Active'"
        )
    else:
        yield (
            f"Lambda function '{args.name}' has tracing mode {mode!r}; set tracing_config "
            "mode='Active'"
        )


POLICY = resource_policy(
    name="lambda-function-tracing-active",
    description=(
        "Lambda functions have X-Ray active tracing enabled (tracing_config mode 'Active'; "
        "'PassThrough' does not count)."
    ),
    resource_types=("aws:lambda/function:Function",),
    check=_check,
    category=metadata.TRACING,
    severity=Severity.MEDIUM,
    enforcement=MANDATORY,
    remediation=(
        "Set tracing_config={'mode': 'Active'} and allow xray:PutTraceSegments and "
        "xray:PutTelemetryRecords (Resource '*') to the function's role. A function that "
        "cannot be traced yet needs an exemption with a reason and an expiry date."
    ),
    mappings=("cdk-nag:Serverless-LambdaTracing", "checkov:CKV_AWS_50"),
)
