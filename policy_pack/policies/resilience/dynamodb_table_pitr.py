"""DynamoDB tables have point-in-time recovery."""

from pulumi_policy import Severity

from ...core import metadata
from ...core.checks import require
from ...core.policy import MANDATORY, resource_policy
from ...core.props import is_true

POLICY = resource_policy(
    name="dynamodb-table-pitr",
    description="DynamoDB tables have point-in-time recovery enabled.",
    resource_types=("aws:dynamodb/table:Table",),
    check=require(
        is_true,
        "pointInTimeRecovery",
        "enabled",
        message=(
            "DynamoDB table '{name}' has no point-in-time recovery; set "
            "point_in_time_recovery enabled=True"
        ),
    ),
    category=metadata.RESILIENCE,
    severity=Severity.MEDIUM,
    enforcement=MANDATORY,
    remediation="Set point_in_time_recovery={'enabled': True} on the aws.dynamodb.Table.",
    mappings=("fsbp:DynamoDB.2", "cdk-nag:AwsSolutions-DDB3", "checkov:CKV_AWS_28"),
)
