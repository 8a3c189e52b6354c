"""RDS instances, clusters and cluster instances take minor engine upgrades automatically."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import families, metadata
from ...core.policy import MANDATORY, Config, resource_policy


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    if families.is_false(args.props.get("autoMinorVersionUpgrade")):
        yield (
            f"{families.label(args.resource_type)} '{args.name}' does not take minor engine "
            "upgrades (security patches) automatically; remove auto_minor_version_upgrade="
            "False"
        )


POLICY = resource_policy(
    name="rds-auto-minor-version-upgrade",
    description=(
        "RDS DB instances, clusters and Aurora cluster instances apply minor engine "
        "upgrades automatically."
    ),
    resource_types=(*families.RDS_DATABASES, *families.RDS_CLUSTER_INSTANCES),
    check=_check,
    category=metadata.RESILIENCE,
    severity=Severity.HIGH,
    enforcement=MANDATORY,
    remediation=(
        "Leave auto_minor_version_upgrade at its default (True) on the aws.rds.Instance, "
        "aws.rds.ClusterInstance or aws.rds.Cluster; upgrades run in the maintenance window."
    ),
    mappings=metadata.mappings("fsbp:RDS.13", "fsbp:RDS.35", "checkov:CKV_AWS_226"),
)
