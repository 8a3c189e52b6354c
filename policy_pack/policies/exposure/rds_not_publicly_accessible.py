"""RDS DB instances and clusters are not publicly accessible."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import metadata, network
from ...core.policy import MANDATORY, Config, resource_policy
from ...core.props import is_true


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    if is_true(args.props.get("publiclyAccessible")):
        yield (
            f"{network.label(args.resource_type)} '{args.name}' is publicly accessible: its "
            "endpoint resolves to a public IP address; set publicly_accessible=False and reach "
            "it from inside the VPC"
        )


POLICY = resource_policy(
    name="rds-not-publicly-accessible",
    description="RDS DB instances, clusters and cluster instances are not publicly accessible.",
    resource_types=(
        "aws:rds/instance:Instance",
        "aws:rds/cluster:Cluster",
        "aws:rds/clusterInstance:ClusterInstance",
    ),
    check=_check,
    category=metadata.EXPOSURE,
    severity=Severity.CRITICAL,
    enforcement=MANDATORY,
    remediation=(
        "Set publicly_accessible=False, place the database in private subnets (a DB subnet "
        "group without routes to an internet gateway) and connect through the VPC."
    ),
    mappings=metadata.mappings(
        "fsbp:RDS.2",
        "cdk-nag:NIST.800.53.R5-RDSInstancePublicAccess",
        "checkov:CKV_AWS_17",
        "awsguard:rds-instance-public-access",
    ),
)
