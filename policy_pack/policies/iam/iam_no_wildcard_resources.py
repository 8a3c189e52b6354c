"""Identity policies scope every action to named resources, except actions AWS cannot scope.

A wildcard resource is '*' or an ARN that leaves a whole segment open: the partition,
the service, the account or the resource's name (`arn:aws:s3:::*/*`,
`arn:aws:kms:*:*:key/*`, `arn:aws:iam::123456789012:role/*`). A wildcard after a literal
name (`arn:aws:s3:::bucket/incoming/*`, `log-group:name:log-stream:*`, `table/app-*`) or
in the region alone stays within named resources of one account and is accepted.

Resources whose ids AWS generates (`key/*`, `certificate/*`, `/restapis/*`) are scoped by a
condition instead: the resource's tag (`aws:ResourceTag/Project`), a key's alias
(`kms:ResourceAliases`), the function of an event source mapping (`lambda:FunctionArn`),
or, for actions that create, the request's tag.
"""

from pulumi_policy import Severity

from ...core import metadata
from ...core.documents import IDENTITY, Statement, is_wildcard_resource, types_with
from ...core.iam import document_check, scopes_by_condition
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
    wildcards = [resource for resource in statement.resources if is_wildcard_resource(resource)]
    if not statement.allows or not wildcards or scopes_by_condition(statement):
        return None
    unscoped = {action.lower() for action in config["unscoped_actions"]}
    scoped = [action for action in statement.actions if action.lower() not in unscoped]
    if statement.not_actions:
        scoped.append(f"every action except {list(statement.not_actions)}")
    if scoped:
        return f"grants {', '.join(map(repr, scoped))} on {', '.join(map(repr, wildcards))}"
    return None


POLICY = resource_policy(
    name="iam-no-wildcard-resources",
    description=(
        "Identity policies use wildcard resources ('*', 'arn:aws:kms:*:*:key/*') only for "
        "actions AWS cannot scope to a resource."
    ),
    resource_types=types_with(IDENTITY),
    check=document_check(
        (IDENTITY,),
        _rule,
        "name the exact resource ARNs (only unscoped_actions may use wildcard resources)",
    ),
    category=metadata.IAM,
    severity=Severity.HIGH,
    enforcement=MANDATORY,
    remediation=(
        "Build the Resource list from resource outputs (exact ARNs). A wildcard in the "
        "account, the service or the resource's name ('*', 'arn:aws:s3:::*/*', "
        "'arn:aws:kms:*:*:key/*') counts as '*'. Keep those only for actions without "
        "resource-level permissions, listed in this policy's unscoped_actions config. "
        "Resources whose ids AWS generates are scoped by a bounding condition on the "
        "resource's tag or alias (aws:ResourceTag/<key>, kms:ResourceAliases), or on the "
        "request's tag for actions that create. "
        "Resource-based and KMS key policies are not checked: there '*' means the "
        "resource the policy is attached to."
    ),
    mappings=(
        "cdk-nag:AwsSolutions-IAM5",
        "checkov:CKV_AWS_355",
        "checkov:CKV_AWS_356",
        "checkov:CKV_AWS_288",
        "checkov:CKV_AWS_290",
    ),
    options={
        "unscoped_actions": string_list(
            UNSCOPED_ACTIONS,
            "Actions allowed on wildcard resources (case-insensitive, exact).",
        )
    },
)
