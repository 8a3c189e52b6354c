"""ElastiCache replication groups accept only TLS connections."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import families, metadata
from ...core.policy import MANDATORY, Config, resource_policy
from ...core.props import is_true


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    if not is_true(args.props.get("transitEncryptionEnabled")):
        yield (
            f"ElastiCache replication group '{args.name}' is not encrypted in transit; set "
            "transit_encryption_enabled=True"
        )
    elif args.props.get("transitEncryptionMode") == "preferred":
        yield (
            f"ElastiCache replication group '{args.name}' still accepts unencrypted "
            "connections (transit_encryption_mode 'preferred'); set it to 'required' once "
            "clients use TLS"
        )


POLICY = resource_policy(
    name="elasticache-replication-group-encrypted-in-transit",
    description=(
        "ElastiCache replication groups require encryption in transit (TLS, mode required)."
    ),
    resource_types=families.ELASTICACHE_REPLICATION_GROUPS,
    check=_check,
    category=metadata.ENCRYPTION,
    severity=Severity.MEDIUM,
    enforcement=MANDATORY,
    remediation=(
        "Set transit_encryption_enabled=True on the aws.elasticache.ReplicationGroup and "
        "leave transit_encryption_mode unset or 'required' ('preferred' is only for "
        "migrating clients to TLS without downtime)."
    ),
    mappings=metadata.mappings(
        "fsbp:ElastiCache.5", "cdk-nag:AwsSolutions-AEC3", "checkov:CKV_AWS_30"
    ),
)
