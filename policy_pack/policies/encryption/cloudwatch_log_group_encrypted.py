"""CloudWatch log groups are encrypted with a KMS key."""

from pulumi_policy import Severity

from ...core import metadata
from ...core.checks import require
from ...core.policy import MANDATORY, resource_policy
from ...core.props import is_customer_managed_key

POLICY = resource_policy(
    name="cloudwatch-log-group-encrypted",
    description="CloudWatch log groups are encrypted with a customer-managed KMS key.",
    resource_types=("aws:cloudwatch/logGroup:LogGroup",),
    check=require(
        is_customer_managed_key,
        "kmsKeyId",
        message=(
            "CloudWatch log group '{name}' is not encrypted with a KMS key; set kms_key_id "
            "to a customer-managed key that admits logs.<region>.amazonaws.com"
        ),
    ),
    category=metadata.ENCRYPTION,
    severity=Severity.MEDIUM,
    enforcement=MANDATORY,
    remediation=(
        "Set kms_key_id on the aws.cloudwatch.LogGroup. The key policy must allow "
        "logs.<region>.amazonaws.com with a kms:EncryptionContext:aws:logs:arn condition."
    ),
    mappings=("checkov:CKV_AWS_158",),
)
