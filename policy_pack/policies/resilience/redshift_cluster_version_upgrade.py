"""Redshift clusters take engine version upgrades in their maintenance window."""

from pulumi_policy import Severity

from ...core import families, metadata
from ...core.checks import require
from ...core.policy import MANDATORY, resource_policy

POLICY = resource_policy(
    name="redshift-cluster-version-upgrade",
    description="Redshift clusters allow automatic (major) version upgrades.",
    resource_types=families.REDSHIFT_CLUSTERS,
    check=require(
        lambda value: not families.is_false(value),
        "allowVersionUpgrade",
        message=(
            "Redshift cluster '{name}' refuses engine version upgrades (security patches); "
            "remove allow_version_upgrade=False"
        ),
    ),
    category=metadata.RESILIENCE,
    severity=Severity.MEDIUM,
    enforcement=MANDATORY,
    remediation=(
        "Leave allow_version_upgrade at its default (True) on the aws.redshift.Cluster; "
        "upgrades run in the preferred maintenance window."
    ),
    mappings=metadata.mappings(
        "fsbp:Redshift.6",
        "cdk-nag:AwsSolutions-RS9",
        "checkov:CKV_AWS_141",
        "awsguard:redshift-cluster-maintenance-settings",
    ),
)
