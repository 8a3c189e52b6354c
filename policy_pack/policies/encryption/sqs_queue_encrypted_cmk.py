"""SQS queues are encrypted with a customer-managed KMS key."""

from pulumi_policy import Severity

from ...core import metadata
from ...core.checks import require
from ...core.policy import MANDATORY, resource_policy
from ...core.props import is_customer_managed_key

POLICY = resource_policy(
    name="sqs-queue-encrypted-cmk",
    description="SQS queues are encrypted with a customer-managed KMS key.",
    resource_types=("aws:sqs/queue:Queue",),
    check=require(
        is_customer_managed_key,
        "kmsMasterKeyId",
        message=(
            "SQS queue '{name}' is not encrypted with a customer-managed KMS key; "
            "set kms_master_key_id to the ARN of a customer-managed key"
        ),
    ),
    category=metadata.ENCRYPTION,
    severity=Severity.HIGH,
    enforcement=MANDATORY,
    remediation=(
        "Set kms_master_key_id on the aws.sqs.Queue to a customer-managed key whose policy "
        "admits the producers (for S3 notifications: s3.amazonaws.com)."
    ),
    mappings=("fsbp:SQS.1", "cdk-nag:AwsSolutions-SQS2", "checkov:CKV_AWS_27"),
)
