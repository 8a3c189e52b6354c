"""ElastiCache replication groups take minor engine upgrades automatically."""

from pulumi_policy import Severity

from ...core import families, metadata
from ...core.checks import require
from ...core.policy import MANDATORY, resource_policy

POLICY = resource_policy(
    name="elasticache-auto-minor-version-upgrade",
    description="ElastiCache replication groups apply minor engine upgrades automatically.",
    resource_types=families.ELASTICACHE_REPLICATION_GROUPS,
    check=require(
        lambda value: not families.is_false(value),
        "autoMinorVersionUpgrade",
        message=(
            "ElastiCache replication group '{name}' does not take minor engine upgrades "
            "(security patches) automatically; remove auto_minor_version_upgrade=False"
        ),
    ),
    category=metadata.RESILIENCE,
    severity=Severity.HIGH,
    enforcement=MANDATORY,
    remediation=(
        "Leave auto_minor_version_upgrade at its default (True) on the "
        "aws.elasticache.ReplicationGroup; upgrades run in the maintenance window."
    ),
    mappings=metadata.mappings("fsbp:ElastiCache.2"),
)
