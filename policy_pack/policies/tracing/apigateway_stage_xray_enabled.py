"""API Gateway stages send traces to X-Ray."""

from pulumi_policy import Severity

from ...core import metadata
from ...core.checks import require
from ...core.policy import MANDATORY, resource_policy
from ...core.props import is_true

POLICY = resource_policy(
    name="apigateway-stage-xray-enabled",
    description="API Gateway REST API stages have X-Ray tracing enabled.",
    resource_types=("aws:apigateway/stage:Stage",),
    check=require(
        is_true,
        "xrayTracingEnabled",
        message=(
            "API Gateway stage '{name}' does not trace with X-Ray; set xray_tracing_enabled=True"
        ),
    ),
    category=metadata.TRACING,
    severity=Severity.MEDIUM,
    enforcement=MANDATORY,
    remediation=(
        "Set xray_tracing_enabled=True on the aws.apigateway.Stage. A stage that cannot be "
        "traced yet needs an exemption with a reason and an expiry date."
    ),
    mappings=("fsbp:APIGateway.3", "cdk-nag:Serverless-APIGWXrayEnabled", "checkov:CKV_AWS_73"),
)
