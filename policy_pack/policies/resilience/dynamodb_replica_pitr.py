"""Global-table replicas have point-in-time recovery, like the table itself."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import metadata
from ...core.policy import MANDATORY, Config, resource_policy
from ...core.props import dig, is_true


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    replicas = args.props.get("replicas") or []
    if not replicas:
        args.not_applicable("the table has no replicas")
    for replica in replicas:
        if not is_true(dig(replica, "pointInTimeRecovery")):
            region = dig(replica, "regionName") or "?"
            yield (
                f"DynamoDB table '{args.name}' has a replica in {region} without "
                "point-in-time recovery; set point_in_time_recovery=True on the replica"
            )


POLICY = resource_policy(
    name="dynamodb-replica-pitr",
    description="DynamoDB global-table replicas have point-in-time recovery enabled.",
    resource_types=("aws:dynamodb/table:Table",),
    check=_check,
    category=metadata.RESILIENCE,
    severity=Severity.MEDIUM,
    enforcement=MANDATORY,
    remediation="Set point_in_time_recovery=True on every entry of the table's replicas.",
    mappings=("fsbp:DynamoDB.2",),
)
