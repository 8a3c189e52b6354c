"""S3 replication re-encrypts replicas with a customer-managed key at the destination."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import metadata
from ...core.policy import MANDATORY, Config, resource_policy
from ...core.props import dig, is_customer_managed_key


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    for rule in args.props.get("rules") or []:
        if dig(rule, "status") != "Enabled":
            continue
        rule_id = dig(rule, "id") or "?"
        key = dig(rule, "destination", "encryptionConfiguration", "replicaKmsKeyId")
        if not is_customer_managed_key(key):
            yield (
                f"S3 replication '{args.name}' rule '{rule_id}' writes replicas without a "
                "customer-managed key; set destination encryption_configuration "
                "replica_kms_key_id to a key in the destination region"
            )
        selection = dig(rule, "sourceSelectionCriteria", "sseKmsEncryptedObjects", "status")
        if selection != "Enabled":
            yield (
                f"S3 replication '{args.name}' rule '{rule_id}' skips SSE-KMS objects; set "
                "source_selection_criteria sse_kms_encrypted_objects status 'Enabled'"
            )


POLICY = resource_policy(
    name="s3-replication-encrypted-cmk",
    description=(
        "S3 replication rules replicate SSE-KMS objects and encrypt replicas with a "
        "customer-managed KMS key."
    ),
    resource_types=("aws:s3/bucketReplicationConfig:BucketReplicationConfig",),
    check=_check,
    category=metadata.ENCRYPTION,
    severity=Severity.HIGH,
    enforcement=MANDATORY,
    remediation=(
        "In each enabled rule set source_selection_criteria={'sse_kms_encrypted_objects': "
        "{'status': 'Enabled'}} and destination.encryption_configuration="
        "{'replica_kms_key_id': <customer-managed key ARN in the destination region>}."
    ),
    mappings=(),
)
