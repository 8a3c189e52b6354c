"""SNS topics are encrypted with a customer-managed KMS key."""

from pulumi_policy import Severity

from ...core import metadata
from ...core.checks import require
from ...core.policy import MANDATORY, resource_policy
from ...core.props import is_customer_managed_key

POLICY = resource_policy(
    name="sns-topic-encrypted-cmk",
    description="SNS topics are encrypted with a customer-managed KMS key.",
    resource_types=("aws:sns/topic:Topic",),
    check=require(
        is_customer_managed_key,
        "kmsMasterKeyId",
        message=(
            "SNS topic '{name}' is not encrypted with a customer-managed KMS key; "
            "set kms_master_key_id to the ARN of a customer-managed key"
        ),
    ),
    category=metadata.ENCRYPTION,
    severity=Severity.HIGH,
    enforcement=MANDATORY,
    remediation=(
        "Set kms_master_key_id on the aws.sns.Topic to a customer-managed key whose policy "
        "admits every publisher (CloudWatch alarms need cloudwatch.amazonaws.com)."
    ),
    mappings=("fsbp:SNS.1", "cdk-nag:AwsSolutions-SNS2", "checkov:CKV_AWS_26"),
)
