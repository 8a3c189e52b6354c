"""Identity policies scope every action to exact resources, except actions AWS cannot scope."""

from pulumi_policy import Severity

from ...core import metadata
from ...core.documents import IDENTITY, Statement, types_with
from ...core.iam import document_check
from ...core.policy import MANDATORY, Config, resource_policy, string_list

# Actions with no resource-level permissions: AWS documents "*" as their only resource.
UNSCOPED_ACTIONS = (
    "xray:PutTraceSegments",
    "xray:PutTelemetryRecords",
    "xray:GetSamplingRules",
    "xray:GetSamplingTargets",
    "xray:GetSamplingStatisticSummaries",
    # CloudWatch vended log delivery, which Step Functions and API Gateway logging use.
    "logs:CreateLogDelivery",
    "logs:GetLogDelivery",
    "logs:UpdateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:ListLogDeliveries",
    "logs:PutResourcePolicy",
    "logs:DescribeResourcePolicies",
    "logs:DescribeLogGroups",
    "cloudwatch:PutMetricData",
    "ec2:DescribeNetworkInterfaces",
    "sts:GetCallerIdentity",
)


def _rule(statement: Statement, config: Config) -> str | None:
    if not statement.allows or "*" not in statement.resources:
        return None
    unscoped = {action.lower() for action in config["unscoped_actions"]}
    scoped = [action for action in statement.actions if action.lower() not in unscoped]
    if statement.not_actions:
        scoped.append(f"every action except {list(statement.not_actions)}")
    if scoped:
        return f"grants {', '.join(map(repr, scoped))} on Resource '*'"
    return None


POLICY = resource_policy(
    name="iam-no-wildcard-resources",
    description=(
        "Identity policies use Resource '*' only for actions AWS cannot scope to a resource."
    ),
    resource_types=types_with(IDENTITY),
    check=document_check(
        (IDENTITY,), _rule, "name the exact resource ARNs (only unscoped_actions may use '*')"
    ),
    category=metadata.IAM,
    severity=Severity.HIGH,
    enforcement=MANDATORY,
    remediation=(
        "Build the Resource list from resource outputs (exact ARNs). Keep '*' only for "
        "actions without resource-level permissions, listed in this policy's "
        "unscoped_actions config. Resource-based and KMS key policies are not checked: "
        "there '*' means the resource the policy is attached to."
    ),
    mappings=("cdk-nag:AwsSolutions-IAM5", "checkov:CKV_AWS_355"),
    options={
        "unscoped_actions": string_list(
            UNSCOPED_ACTIONS, "Actions allowed with Resource '*' (case-insensitive, exact)."
        )
    },
)
