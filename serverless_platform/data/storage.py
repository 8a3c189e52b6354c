"""S3 buckets: the ingest bucket (SSE-KMS) and its access-log bucket (SSE-S3).

pulumi-aws 7 models every bucket setting as its own resource; `SecureBucket` builds
the set that every bucket here needs, so the two buckets cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws
from pulumi_aws.s3 import BucketServerSideEncryptionConfigurationRuleArgs as SseRuleArgs

from serverless_platform.context import AwsContext
from serverless_platform.iam import Statement, allow_service, deny_insecure_transport, to_json

# pulumi-aws's name for the default-encryption block does not fit on one line.
SseDefaultArgs = (
    aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs
)

INCOMING_PREFIX = "incoming/"
ACCESS_LOG_PREFIX = "ingest/"


@dataclass(frozen=True)
class Encryption:
    """SSE-KMS with a customer-managed key, or SSE-S3 where AWS requires it."""

    kms_key_arn: pulumi.Input[str] | None

    @property
    def algorithm(self) -> str:
        return "aws:kms" if self.kms_key_arn is not None else "AES256"


class SecureBucket(pulumi.ComponentResource):
    """A private, versioned, encrypted, TLS-only bucket with lifecycle rules.

    In a Pulumi program (a component needs the engine, so this is not a doctest)::

        SecureBucket("ingest", encryption=Encryption(key.arn), tags=tags, ...)
    """

    bucket: aws.s3.Bucket

    def __init__(
        self,
        name: str,
        *,
        encryption: Encryption,
        tags: dict[str, str],
        lifecycle_rules: Sequence[aws.s3.BucketLifecycleConfigurationRuleArgs],
        policy_statements: Callable[[aws.s3.Bucket], Sequence[Statement]] = lambda _: (),
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("serverless-platform:storage:SecureBucket", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.bucket = aws.s3.Bucket(f"{name}-bucket", tags=tags, opts=child)
        bucket = self.bucket

        self.versioning = aws.s3.BucketVersioning(
            f"{name}-versioning",
            bucket=bucket.id,
            versioning_configuration={"status": "Enabled"},
            opts=child,
        )
        aws.s3.BucketServerSideEncryptionConfiguration(
            f"{name}-encryption",
            bucket=bucket.id,
            rules=[
                SseRuleArgs(
                    apply_server_side_encryption_by_default=SseDefaultArgs(
                        sse_algorithm=encryption.algorithm,
                        kms_master_key_id=encryption.kms_key_arn,
                    ),
                    # One KMS data key per bucket instead of per object: cost and throttling.
                    bucket_key_enabled=encryption.kms_key_arn is not None,
                )
            ],
            opts=child,
        )
        public_access_block = aws.s3.BucketPublicAccessBlock(
            f"{name}-public-access-block",
            bucket=bucket.id,
            block_public_acls=True,
            block_public_policy=True,
            ignore_public_acls=True,
            restrict_public_buckets=True,
            opts=child,
        )
        aws.s3.BucketOwnershipControls(
            f"{name}-ownership",
            bucket=bucket.id,
            rule={"object_ownership": "BucketOwnerEnforced"},
            opts=child,
        )
        statements = [
            deny_insecure_transport("s3:*", [bucket.arn, pulumi.Output.concat(bucket.arn, "/*")]),
            *policy_statements(bucket),
        ]
        self.policy = aws.s3.BucketPolicy(
            f"{name}-policy",
            bucket=bucket.id,
            policy=to_json(statements),
            # S3 rejects policies while the public access block is being applied.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[public_access_block]),
        )
        aws.s3.BucketLifecycleConfiguration(
            f"{name}-lifecycle", bucket=bucket.id, rules=list(lifecycle_rules), opts=child
        )
        self.register_outputs({"bucket": bucket.id, "arn": bucket.arn})


def _expire_noncurrent_and_abort_uploads(
    rule_id: str, noncurrent_days: int, expire_current_days: int | None = None
) -> aws.s3.BucketLifecycleConfigurationRuleArgs:
    return aws.s3.BucketLifecycleConfigurationRuleArgs(
        id=rule_id,
        status="Enabled",
        filter=aws.s3.BucketLifecycleConfigurationRuleFilterArgs(prefix=""),
        noncurrent_version_expiration=aws.s3.BucketLifecycleConfigurationRuleNoncurrentVersionExpirationArgs(
            noncurrent_days=noncurrent_days
        ),
        abort_incomplete_multipart_upload=aws.s3.BucketLifecycleConfigurationRuleAbortIncompleteMultipartUploadArgs(
            days_after_initiation=7
        ),
        expiration=(
            aws.s3.BucketLifecycleConfigurationRuleExpirationArgs(days=expire_current_days)
            if expire_current_days
            else None
        ),
    )


class IngestStorage(pulumi.ComponentResource):
    """The ingest bucket (uploads land under `incoming/`) and its access-log bucket."""

    def __init__(
        self,
        name: str,
        *,
        context: AwsContext,
        data_key_arn: pulumi.Input[str],
        noncurrent_version_expiration_days: int,
        access_log_retention_days: int,
        tags: dict[str, str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("serverless-platform:storage:IngestStorage", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        self.ingest = SecureBucket(
            f"{name}-ingest",
            encryption=Encryption(kms_key_arn=data_key_arn),
            tags=tags,
            lifecycle_rules=[
                _expire_noncurrent_and_abort_uploads(
                    "expire-noncurrent-versions", noncurrent_version_expiration_days
                )
            ],
            policy_statements=lambda bucket: [_deny_other_kms_keys(bucket, data_key_arn)],
            opts=child,
        )
        # S3 server access logging can only deliver to a bucket encrypted with SSE-S3:
        # the one documented exception to "KMS everywhere" (see policy_pack/config.json).
        self.access_logs = SecureBucket(
            f"{name}-access-logs",
            encryption=Encryption(kms_key_arn=None),
            tags=tags,
            lifecycle_rules=[
                _expire_noncurrent_and_abort_uploads(
                    "expire-access-logs", 1, expire_current_days=access_log_retention_days
                )
            ],
            policy_statements=lambda bucket: [
                _allow_log_delivery(context, bucket, source=self.ingest.bucket)
            ],
            opts=child,
        )
        aws.s3.BucketLogging(
            f"{name}-ingest-access-logging",
            bucket=self.ingest.bucket.id,
            target_bucket=self.access_logs.bucket.id,
            target_prefix=ACCESS_LOG_PREFIX,
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self.access_logs.policy]),
        )
        self.bucket = self.ingest.bucket
        self.register_outputs(
            {"ingest_bucket": self.bucket.id, "access_log_bucket": self.access_logs.bucket.id}
        )


def _allow_log_delivery(
    context: AwsContext, log_bucket: aws.s3.Bucket, source: aws.s3.Bucket
) -> Statement:
    """The S3 logging service writes the source bucket's access logs. With
    BucketOwnerEnforced there are no ACLs, so only this statement grants it."""
    return allow_service(
        "AllowS3ServerAccessLogDelivery",
        "logging.s3.amazonaws.com",
        "s3:PutObject",
        pulumi.Output.concat(log_bucket.arn, "/", ACCESS_LOG_PREFIX, "*"),
        {
            "ArnLike": {"aws:SourceArn": source.arn},
            "StringEquals": {"aws:SourceAccount": context.account_id},
        },
    )


def _deny_other_kms_keys(bucket: aws.s3.Bucket, key_arn: pulumi.Input[str]) -> Statement:
    """Uploads that ask for SSE-KMS must use the platform key, not one the caller owns."""
    return {
        "Sid": "DenyOtherKmsKeys",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:PutObject",
        "Resource": pulumi.Output.concat(bucket.arn, "/*"),
        "Condition": {
            "StringNotEqualsIfExists": {"s3:x-amz-server-side-encryption-aws-kms-key-id": key_arn}
        },
    }
