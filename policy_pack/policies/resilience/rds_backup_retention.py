"""RDS instances and clusters keep automated backups for at least the configured days."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import families, metadata
from ...core.policy import MANDATORY, Config, minimum_days, resource_policy
from ...core.props import as_number, for_environment


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    days = as_number(args.props.get("backupRetentionPeriod"))
    if families.is_read_replica(args):
        args.not_applicable("a read replica is recovered from its source's backups")
    if days is None:
        # Unset: AWS keeps none for an instance, one day for a cluster.
        days = 1.0 if args.resource_type in families.RDS_CLUSTERS else 0.0
    yield from families.retention_findings(
        f"{families.label(args.resource_type)} '{args.name}'",
        days,
        for_environment(config, args.props, "minimum_days"),
        "backup_retention_period",
    )


POLICY = resource_policy(
    name="rds-backup-retention",
    description=(
        "RDS DB instances and clusters keep automated backups for at least the configured "
        "days (7 by default)."
    ),
    resource_types=families.RDS_DATABASES,
    check=_check,
    category=metadata.RESILIENCE,
    severity=Severity.MEDIUM,
    enforcement=MANDATORY,
    remediation=(
        "Set backup_retention_period (1-35 days) on the aws.rds.Instance or aws.rds.Cluster "
        "to at least the minimum (this policy's `minimum_days`, per environment with "
        "`minimum_days_by_environment`)."
    ),
    mappings=metadata.mappings(
        "fsbp:RDS.11",
        "cdk-nag:AwsSolutions-RDS13",
        "checkov:CKV_AWS_133",
        "awsguard:rds-instance-backup-enabled",
    ),
    options=minimum_days(7, {}, "automated backup retention", minimum=1, maximum=35),
)
