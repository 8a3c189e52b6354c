"""Data buckets write server access logs (the log bucket itself is the exception)."""

from collections.abc import Iterator

from pulumi_policy import PolicyResource, Severity

from ...core import metadata, s3
from ...core.policy import MANDATORY, Config, stack_policy
from ...core.props import dig
from ...core.stack import StackView


def _check(bucket: PolicyResource, stack: StackView, config: Config) -> Iterator[str]:
    if s3.is_log_target(stack, bucket):
        return  # logging a log bucket into itself (or another) adds nothing but loops
    targets = [
        logging.props.get("targetBucket") for logging in s3.settings(stack, bucket, s3.LOGGING)
    ]
    targets.append(dig(bucket.props, "logging", "targetBucket"))
    if not any(targets):
        yield (
            f"S3 bucket '{bucket.name}' writes no server access logs; add a BucketLogging "
            "with target_bucket set to the access-log bucket"
        )


POLICY = stack_policy(
    name="s3-bucket-access-logging",
    description="S3 buckets (other than access-log targets) have server access logging enabled.",
    resource_types=s3.BUCKETS,
    check=_check,
    category=metadata.LOGGING,
    severity=Severity.MEDIUM,
    enforcement=MANDATORY,
    remediation=(
        "Add an aws.s3.BucketLogging with target_bucket = the access-log bucket (SSE-S3, "
        "with a bucket policy admitting logging.s3.amazonaws.com) and a target_prefix."
    ),
    mappings=(
        "fsbp:S3.9",
        "cdk-nag:AwsSolutions-S1",
        "checkov:CKV_AWS_18",
        "awsguard:s3-bucket-logging-enabled",
    ),
)
