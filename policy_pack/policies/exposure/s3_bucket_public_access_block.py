"""S3 buckets block public access with all four settings."""

from collections.abc import Iterator

from pulumi_policy import PolicyResource, Severity

from ...core import metadata, s3
from ...core.policy import MANDATORY, Config, stack_policy
from ...core.props import is_true
from ...core.stack import StackView

FLAGS = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")


def _check(bucket: PolicyResource, stack: StackView, config: Config) -> Iterator[str]:
    blocks = s3.settings(stack, bucket, s3.PUBLIC_ACCESS_BLOCK)
    if not blocks:
        yield (
            f"S3 bucket '{bucket.name}' has no public access block; add a "
            "BucketPublicAccessBlock with all four settings True"
        )
    for block in blocks:
        off = [flag for flag in FLAGS if not is_true(block.props.get(flag))]
        if off:
            yield (
                f"S3 bucket '{bucket.name}' has a public access block with "
                f"{', '.join(off)} off; set all four settings True"
            )


POLICY = stack_policy(
    name="s3-bucket-public-access-block",
    description="Every S3 bucket has a public access block with all four settings enabled.",
    resource_types=s3.BUCKETS,
    check=_check,
    category=metadata.EXPOSURE,
    severity=Severity.CRITICAL,
    enforcement=MANDATORY,
    remediation=(
        "Add an aws.s3.BucketPublicAccessBlock with block_public_acls, block_public_policy, "
        "ignore_public_acls and restrict_public_buckets all True."
    ),
    mappings=(
        "fsbp:S3.8",
        "cdk-nag:AwsSolutions-S2",
        "checkov:CKV2_AWS_6",
        "fsbp:S3.2",
        "fsbp:S3.3",
    ),
)
