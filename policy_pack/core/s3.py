"""The split S3 resources of pulumi-aws 7, matched back to their bucket.

The deprecated V2 type tokens are included so a program that still uses them is checked
rather than silently skipped.
"""

from __future__ import annotations

from pulumi_policy import PolicyResource

from .stack import StackView

BUCKETS = ("aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2")
ENCRYPTION = (
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
)
VERSIONING = (
    "aws:s3/bucketVersioning:BucketVersioning",
    "aws:s3/bucketVersioningV2:BucketVersioningV2",
)
LOGGING = ("aws:s3/bucketLogging:BucketLogging", "aws:s3/bucketLoggingV2:BucketLoggingV2")
LIFECYCLE = (
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
)
PUBLIC_ACCESS_BLOCK = ("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",)
OWNERSHIP = ("aws:s3/bucketOwnershipControls:BucketOwnershipControls",)
POLICY = ("aws:s3/bucketPolicy:BucketPolicy",)


def settings(
    stack: StackView, bucket: PolicyResource, types: tuple[str, ...]
) -> list[PolicyResource]:
    """The settings resources of `types` whose `bucket` is this bucket."""
    return stack.referencing(bucket, types, "bucket")


def is_log_target(stack: StackView, bucket: PolicyResource) -> bool:
    """Whether another bucket delivers its server access logs to this one."""
    return bool(stack.referencing(bucket, LOGGING, "targetBucket"))
