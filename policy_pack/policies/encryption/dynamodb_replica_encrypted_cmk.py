"""Global-table replicas are encrypted with a customer-managed key in their region."""

from pulumi_policy import Severity

from ...core import metadata
from ...core.checks import require_each_replica
from ...core.policy import MANDATORY, resource_policy
from ...core.props import is_customer_managed_key

POLICY = resource_policy(
    name="dynamodb-replica-encrypted-cmk",
    description="DynamoDB global-table replicas are encrypted with a customer-managed KMS key.",
    resource_types=("aws:dynamodb/table:Table",),
    check=require_each_replica(
        is_customer_managed_key,
        "kmsKeyArn",
        message=(
            "DynamoDB table '{name}' has a replica in {region} without a customer-managed "
            "KMS key; set kms_key_arn on the replica to a key in that region"
        ),
    ),
    category=metadata.ENCRYPTION,
    severity=Severity.HIGH,
    enforcement=MANDATORY,
    remediation=(
        "Give every entry of replicas a kms_key_arn: a customer-managed key in the "
        "replica's region (a replica cannot use the primary region's key)."
    ),
    mappings=("checkov:CKV_AWS_119",),
)
