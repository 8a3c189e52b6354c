"""ElastiCache replication groups keep automatic backups."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import families, metadata
from ...core.policy import MANDATORY, Config, minimum_days, resource_policy
from ...core.props import as_number, for_environment


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    days = as_number(args.props.get("snapshotRetentionLimit"))
    yield from families.retention_findings(
        f"ElastiCache replication group '{args.name}'",
        days,  # unset: no backups
        for_environment(config, args.props, "minimum_days"),
        "snapshot_retention_limit",
    )


POLICY = resource_policy(
    name="elasticache-replication-group-backups",
    description=(
        "ElastiCache replication groups keep automatic backups for at least the configured days."
    ),
    resource_types=families.ELASTICACHE_REPLICATION_GROUPS,
    check=_check,
    category=metadata.RESILIENCE,
    severity=Severity.HIGH,
    enforcement=MANDATORY,
    remediation=(
        "Set snapshot_retention_limit (and a snapshot_window) on the "
        "aws.elasticache.ReplicationGroup to at least the minimum (this policy's "
        "`minimum_days`); a cache that only holds reproducible data can be exempted with "
        "that reason."
    ),
    mappings=metadata.mappings("fsbp:ElastiCache.1"),
    options=minimum_days(1, {}, "automatic backup retention", minimum=1, maximum=35),
)
