"""Step Functions state machines send traces to X-Ray."""

from pulumi_policy import Severity

from ...core import metadata
from ...core.checks import require
from ...core.policy import MANDATORY, resource_policy
from ...core.props import is_true

POLICY = resource_policy(
    name="sfn-state-machine-tracing-enabled",
    description="Step Functions state machines have X-Ray tracing enabled.",
    resource_types=("aws:sfn/stateMachine:StateMachine",),
    check=require(
        is_true,
        "tracingConfiguration",
        "enabled",
        message=(
            "Step Functions state machine '{name}' does not trace with X-Ray; "
            "set tracing_configuration enabled=True"
        ),
    ),
    category=metadata.TRACING,
    severity=Severity.MEDIUM,
    enforcement=MANDATORY,
    remediation=(
        "Set tracing_configuration={'enabled': True} and allow the X-Ray write actions to "
        "the state machine's role. A state machine that cannot be traced yet needs an "
        "exemption with a reason and an expiry date."
    ),
    mappings=(
        "cdk-nag:AwsSolutions-SF2",
        "cdk-nag:Serverless-StepFunctionStateMachineXray",
        "checkov:CKV_AWS_284",
    ),
)
