"""API Gateway does not log full request and response bodies (data trace)."""

from pulumi_policy import Severity

from ...core import metadata
from ...core.checks import require
from ...core.policy import MANDATORY, resource_policy
from ...core.props import is_true

POLICY = resource_policy(
    name="apigateway-data-trace-disabled",
    description="API Gateway method settings keep data trace (full request/response logging) off.",
    resource_types=("aws:apigateway/methodSettings:MethodSettings",),
    check=require(
        lambda value: not is_true(value),
        "settings",
        "dataTraceEnabled",
        message=(
            "API Gateway method settings '{name}' log full request and response bodies; "
            "set settings.data_trace_enabled=False"
        ),
    ),
    category=metadata.LOGGING,
    severity=Severity.MEDIUM,
    enforcement=MANDATORY,
    remediation="Set settings.data_trace_enabled=False; use access logs and X-Ray for debugging.",
    mappings=("checkov:CKV_AWS_276",),
)
