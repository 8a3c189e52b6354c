"""RDS instances and Aurora/Multi-AZ clusters encrypt storage with a customer-managed key."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import families, metadata
from ...core.policy import MANDATORY, Config, resource_policy
from ...core.props import is_customer_managed_key, is_true


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    what = f"{families.label(args.resource_type)} '{args.name}'"
    key = args.props.get("kmsKeyId")
    if families.is_read_replica(args):
        # A same-region replica inherits its source's key; a cross-region one names its own.
        if key is None:
            args.not_applicable("a read replica is encrypted as its source is")
        if not is_customer_managed_key(key):
            yield (
                f"{what} (a read replica) names the AWS-managed key {key!r}; set kms_key_id "
                "to a customer-managed key in the replica's region"
            )
        return
    # Aurora Serverless v1 clusters are always encrypted.
    encrypted = is_true(args.props.get("storageEncrypted")) or (
        args.resource_type in families.RDS_CLUSTERS and args.props.get("engineMode") == "serverless"
    )
    if not encrypted:
        yield (
            f"{what} does not encrypt its storage; set storage_encrypted=True and kms_key_id "
            "to a customer-managed key"
        )
    elif not is_customer_managed_key(key):
        yield (
            f"{what} encrypts its storage with the AWS-managed key aws/rds; set kms_key_id to "
            "a customer-managed key"
        )


POLICY = resource_policy(
    name="rds-storage-encrypted-cmk",
    description=(
        "RDS DB instances and DB clusters (Aurora, Multi-AZ) encrypt storage with a "
        "customer-managed KMS key."
    ),
    resource_types=families.RDS_DATABASES,
    check=_check,
    category=metadata.ENCRYPTION,
    severity=Severity.HIGH,
    enforcement=MANDATORY,
    remediation=(
        "Set storage_encrypted=True and kms_key_id to a customer-managed key on the "
        "aws.rds.Instance or aws.rds.Cluster (Aurora cluster instances inherit the "
        "cluster's). Encryption is fixed at creation: restore an encrypted copy of a "
        "snapshot to change it."
    ),
    mappings=metadata.mappings(
        "fsbp:RDS.3",
        "fsbp:RDS.27",
        "cdk-nag:AwsSolutions-RDS2",
        "checkov:CKV_AWS_16",
        "checkov:CKV_AWS_96",
        "checkov:CKV_AWS_327",
        "awsguard:rds-storage-encrypted",
    ),
)
