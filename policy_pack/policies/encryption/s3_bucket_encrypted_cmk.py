"""S3 buckets encrypt by default with SSE-KMS and a customer-managed key."""

from collections.abc import Iterator
from typing import Any

from pulumi_policy import PolicyResource, Severity

from ...core import metadata, s3
from ...core.policy import MANDATORY, Config, stack_policy
from ...core.props import as_list, dig, is_customer_managed_key
from ...core.stack import StackView

KMS_ALGORITHMS = ("aws:kms", "aws:kms:dsse")


def _default_encryption(stack: StackView, bucket: PolicyResource) -> list[Any]:
    """The `applyServerSideEncryptionByDefault` blocks of the bucket's SSE config
    resources, or of its deprecated inline configuration."""
    rules = [
        rule
        for config in s3.settings(stack, bucket, s3.ENCRYPTION)
        for rule in as_list(config.props.get("rules"))
    ]
    rules += as_list(dig(bucket.props, "serverSideEncryptionConfiguration", "rule"))
    return [block for rule in rules if (block := dig(rule, "applyServerSideEncryptionByDefault"))]


def _check(bucket: PolicyResource, stack: StackView, config: Config) -> Iterator[str]:
    blocks = _default_encryption(stack, bucket)
    fix = "set sse_algorithm 'aws:kms' and kms_master_key_id to a customer-managed key"
    if not blocks:
        yield (
            f"S3 bucket '{bucket.name}' has no default encryption configuration; add a "
            f"BucketServerSideEncryptionConfiguration and {fix}"
        )
    for block in blocks:
        algorithm = block.get("sseAlgorithm")
        if algorithm not in KMS_ALGORITHMS:
            yield (
                f"S3 bucket '{bucket.name}' encrypts with '{algorithm}', not a customer-managed "
                f"KMS key; {fix}"
            )
        elif not is_customer_managed_key(block.get("kmsMasterKeyId")):
            yield f"S3 bucket '{bucket.name}' uses the AWS-managed S3 key; {fix}"


POLICY = stack_policy(
    name="s3-bucket-encrypted-cmk",
    description="S3 buckets encrypt by default with SSE-KMS and a customer-managed KMS key.",
    resource_types=s3.BUCKETS,
    check=_check,
    category=metadata.ENCRYPTION,
    severity=Severity.HIGH,
    enforcement=MANDATORY,
    remediation=(
        "Add an aws.s3.BucketServerSideEncryptionConfiguration for the bucket with "
        "apply_server_side_encryption_by_default sse_algorithm='aws:kms' and "
        "kms_master_key_id set to a customer-managed key ARN (and bucket_key_enabled=True)."
    ),
    mappings=("checkov:CKV_AWS_145",),
)
