"""ElastiCache (Redis OSS/Valkey) replication groups are encrypted at rest."""

from pulumi_policy import Severity

from ...core import families, metadata
from ...core.checks import require
from ...core.policy import MANDATORY, resource_policy
from ...core.props import is_true

POLICY = resource_policy(
    name="elasticache-replication-group-encrypted-at-rest",
    description="ElastiCache replication groups are encrypted at rest.",
    resource_types=families.ELASTICACHE_REPLICATION_GROUPS,
    check=require(
        is_true,
        "atRestEncryptionEnabled",
        message=(
            "ElastiCache replication group '{name}' is not encrypted at rest; set "
            "at_rest_encryption_enabled=True (with kms_key_id for a customer-managed key)"
        ),
    ),
    category=metadata.ENCRYPTION,
    severity=Severity.HIGH,
    enforcement=MANDATORY,
    remediation=(
        "Set at_rest_encryption_enabled=True on the aws.elasticache.ReplicationGroup, and "
        "kms_key_id to a customer-managed key where the data needs one. It is fixed at "
        "creation: restore a backup into a new, encrypted replication group to change it."
    ),
    mappings=metadata.mappings(
        "fsbp:ElastiCache.4", "cdk-nag:AwsSolutions-AEC3", "checkov:CKV_AWS_29"
    ),
)
