"""S3 buckets have a lifecycle configuration, so old data and versions expire."""

from collections.abc import Iterator

from pulumi_policy import PolicyResource, Severity

from ...core import metadata, s3
from ...core.policy import ADVISORY, Config, stack_policy
from ...core.stack import StackView


def _check(bucket: PolicyResource, stack: StackView, config: Config) -> Iterator[str]:
    if not s3.settings(stack, bucket, s3.LIFECYCLE) and not bucket.props.get("lifecycleRules"):
        yield (
            f"S3 bucket '{bucket.name}' has no lifecycle configuration; add a "
            "BucketLifecycleConfiguration (expire noncurrent versions, abort incomplete uploads)"
        )


POLICY = stack_policy(
    name="s3-bucket-lifecycle-configured",
    description="S3 buckets have a lifecycle configuration.",
    resource_types=s3.BUCKETS,
    check=_check,
    category=metadata.RESILIENCE,
    severity=Severity.LOW,
    enforcement=ADVISORY,
    remediation="Add an aws.s3.BucketLifecycleConfiguration for the bucket.",
    mappings=(
        "checkov:CKV2_AWS_61",
        "fsbp:S3.13",
    ),
)
