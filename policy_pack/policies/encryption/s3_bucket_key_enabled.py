"""SSE-KMS buckets use an S3 Bucket Key, which cuts KMS requests (cost and throttling)."""

from collections.abc import Iterator

from pulumi_policy import PolicyResource, Severity

from ...core import metadata, s3
from ...core.policy import ADVISORY, Config, stack_policy
from ...core.props import as_list, is_true
from ...core.stack import StackView


def _check(bucket: PolicyResource, stack: StackView, config: Config) -> Iterator[str]:
    for sse in s3.settings(stack, bucket, s3.ENCRYPTION):
        for rule in as_list(sse.props.get("rules")):
            algorithm = (rule.get("applyServerSideEncryptionByDefault") or {}).get("sseAlgorithm")
            if algorithm == "aws:kms" and not is_true(rule.get("bucketKeyEnabled")):
                yield (
                    f"S3 bucket '{bucket.name}' uses SSE-KMS without an S3 Bucket Key; "
                    "set bucket_key_enabled=True on its encryption rule"
                )


POLICY = stack_policy(
    name="s3-bucket-key-enabled",
    description="S3 buckets encrypted with SSE-KMS enable the S3 Bucket Key.",
    resource_types=s3.BUCKETS,
    check=_check,
    category=metadata.ENCRYPTION,
    severity=Severity.LOW,
    enforcement=ADVISORY,
    remediation="Set bucket_key_enabled=True on the BucketServerSideEncryptionConfiguration rule.",
)
