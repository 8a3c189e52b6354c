"""Redshift clusters are not publicly accessible."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import metadata
from ...core.policy import MANDATORY, Config, resource_policy
from ...core.props import is_true


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    if is_true(args.props.get("publiclyAccessible")):
        yield (
            f"Redshift cluster '{args.name}' is publicly accessible; set "
            "publicly_accessible=False and query it from inside the VPC"
        )


POLICY = resource_policy(
    name="redshift-cluster-not-publicly-accessible",
    description="Redshift clusters are not publicly accessible.",
    resource_types=("aws:redshift/cluster:Cluster",),
    check=_check,
    category=metadata.EXPOSURE,
    severity=Severity.CRITICAL,
    enforcement=MANDATORY,
    remediation="Set publicly_accessible=False on the aws.redshift.Cluster.",
    mappings=metadata.mappings(
        "fsbp:Redshift.1",
        "cdk-nag:AwsSolutions-RS8",
        "checkov:CKV_AWS_87",
        "awsguard:redshift-cluster-public-access",
    ),
)
