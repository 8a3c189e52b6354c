"""DynamoDB tables are encrypted with a customer-managed KMS key."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import metadata
from ...core.policy import MANDATORY, Config, resource_policy
from ...core.props import dig, is_customer_managed_key, is_true


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    sse = args.props.get("serverSideEncryption")
    if not is_true(dig(sse, "enabled")) or not is_customer_managed_key(dig(sse, "kmsKeyArn")):
        yield (
            f"DynamoDB table '{args.name}' is not encrypted with a customer-managed KMS key; "
            "set server_side_encryption enabled=True with kms_key_arn"
        )


POLICY = resource_policy(
    name="dynamodb-table-encrypted-cmk",
    description="DynamoDB tables are encrypted with a customer-managed KMS key.",
    resource_types=("aws:dynamodb/table:Table",),
    check=_check,
    category=metadata.ENCRYPTION,
    severity=Severity.HIGH,
    enforcement=MANDATORY,
    remediation=(
        "Set server_side_encryption={'enabled': True, 'kms_key_arn': <customer-managed key "
        "ARN>} on the aws.dynamodb.Table."
    ),
    mappings=(
        "checkov:CKV_AWS_119",
        "awsguard:dynamodb-table-encryption-enabled",
    ),
)
