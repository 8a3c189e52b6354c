"""Redshift clusters keep automated snapshots for at least the configured days."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import families, metadata
from ...core.policy import MANDATORY, Config, minimum_days, resource_policy
from ...core.props import as_number, for_environment


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    days = as_number(args.props.get("automatedSnapshotRetentionPeriod"))
    yield from families.retention_findings(
        f"Redshift cluster '{args.name}'",
        1.0 if days is None else days,  # AWS keeps one day when unset
        for_environment(config, args.props, "minimum_days"),
        "automated_snapshot_retention_period",
        unit="snapshots",
    )


POLICY = resource_policy(
    name="redshift-cluster-snapshot-retention",
    description=(
        "Redshift clusters keep automated snapshots for at least the configured days "
        "(7 by default)."
    ),
    resource_types=families.REDSHIFT_CLUSTERS,
    check=_check,
    category=metadata.RESILIENCE,
    severity=Severity.MEDIUM,
    enforcement=MANDATORY,
    remediation=(
        "Set automated_snapshot_retention_period (1-35 days) on the aws.redshift.Cluster to "
        "at least the minimum (this policy's `minimum_days`)."
    ),
    mappings=metadata.mappings(
        "fsbp:Redshift.3",
        "cdk-nag:AwsSolutions-RS10",
        "checkov:CKV_AWS_343",
        "awsguard:redshift-cluster-maintenance-settings",
    ),
    options=minimum_days(7, {}, "automated snapshot retention", minimum=1, maximum=35),
)
