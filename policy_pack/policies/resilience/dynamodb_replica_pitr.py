"""Global-table replicas have point-in-time recovery, like the table itself."""

from pulumi_policy import Severity

from ...core import metadata
from ...core.checks import require_each_replica
from ...core.policy import MANDATORY, resource_policy
from ...core.props import is_true

POLICY = resource_policy(
    name="dynamodb-replica-pitr",
    description="DynamoDB global-table replicas have point-in-time recovery enabled.",
    resource_types=("aws:dynamodb/table:Table",),
    check=require_each_replica(
        is_true,
        "pointInTimeRecovery",
        message=(
            "DynamoDB table '{name}' has a replica in {region} without point-in-time "
            "recovery; set point_in_time_recovery=True on the replica"
        ),
    ),
    category=metadata.RESILIENCE,
    severity=Severity.MEDIUM,
    enforcement=MANDATORY,
    remediation="Set point_in_time_recovery=True on every entry of the table's replicas.",
    mappings=("fsbp:DynamoDB.2",),
)
