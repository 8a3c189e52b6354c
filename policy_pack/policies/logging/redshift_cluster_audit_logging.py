"""Redshift clusters have audit logging on (an aws.redshift.Logging for the cluster)."""

from collections.abc import Iterator

from pulumi_policy import PolicyResource, Severity

from ...core import families, metadata
from ...core.policy import MANDATORY, Config, stack_policy
from ...core.props import as_list
from ...core.stack import StackView


def _delivers(logging: PolicyResource) -> bool:
    destination = logging.props.get("logDestinationType") or "s3"
    if destination == "cloudwatch":
        return bool(as_list(logging.props.get("logExports")))
    return bool(logging.props.get("bucketName"))


def _check(cluster: PolicyResource, stack: StackView, config: Config) -> Iterator[str]:
    loggings = families.referencing(
        stack, cluster, families.REDSHIFT_LOGGING, "clusterIdentifier", "clusterIdentifier"
    )
    if any(_delivers(logging) for logging in loggings):
        return
    if loggings:
        yield (
            f"Redshift cluster '{cluster.name}' has audit logging '{loggings[0].name}' that "
            "delivers nothing; give it log_exports (cloudwatch) or bucket_name (s3)"
        )
    else:
        yield (
            f"Redshift cluster '{cluster.name}' has no audit logging; add an "
            "aws.redshift.Logging for it (log_destination_type='cloudwatch' with "
            "log_exports, or 's3' with bucket_name)"
        )


POLICY = stack_policy(
    name="redshift-cluster-audit-logging",
    description="Redshift clusters have audit logging enabled (an aws.redshift.Logging).",
    resource_types=families.REDSHIFT_CLUSTERS,
    check=_check,
    category=metadata.LOGGING,
    severity=Severity.MEDIUM,
    enforcement=MANDATORY,
    remediation=(
        "Add aws.redshift.Logging(cluster_identifier=cluster.id, log_destination_type="
        "'cloudwatch', log_exports=['connectionlog', 'userlog', 'useractivitylog']); "
        "useractivitylog also needs enable_user_activity_logging in the parameter group."
    ),
    mappings=metadata.mappings(
        "fsbp:Redshift.4",
        "cdk-nag:AwsSolutions-RS5",
        "checkov:CKV_AWS_71",
        "awsguard:redshift-cluster-configuration",
    ),
)
