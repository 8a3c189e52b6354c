"""EFS file systems are encrypted at rest with a customer-managed KMS key."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import families, metadata
from ...core.policy import MANDATORY, Config, resource_policy
from ...core.props import is_customer_managed_key, is_true


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    if not is_true(args.props.get("encrypted")):
        yield (
            f"EFS file system '{args.name}' is not encrypted at rest; set encrypted=True and "
            "kms_key_id to a customer-managed key"
        )
    elif not is_customer_managed_key(args.props.get("kmsKeyId")):
        yield (
            f"EFS file system '{args.name}' is encrypted with the AWS-managed key "
            "aws/elasticfilesystem; set kms_key_id to a customer-managed key"
        )


POLICY = resource_policy(
    name="efs-file-system-encrypted-cmk",
    description="EFS file systems are encrypted at rest with a customer-managed KMS key.",
    resource_types=families.EFS_FILE_SYSTEMS,
    check=_check,
    category=metadata.ENCRYPTION,
    severity=Severity.HIGH,
    enforcement=MANDATORY,
    remediation=(
        "Set encrypted=True and kms_key_id to a customer-managed key on the "
        "aws.efs.FileSystem. Encryption is fixed at creation: create an encrypted file "
        "system and copy the data (AWS DataSync) to change it."
    ),
    mappings=metadata.mappings(
        "fsbp:EFS.1",
        "fsbp:EFS.8",
        "cdk-nag:AwsSolutions-EFS1",
        "checkov:CKV_AWS_42",
        "checkov:CKV_AWS_184",
        "awsguard:efs-encrypted",
    ),
)
