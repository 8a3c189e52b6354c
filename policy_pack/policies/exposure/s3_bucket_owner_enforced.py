"""S3 buckets disable ACLs (object ownership BucketOwnerEnforced)."""

from collections.abc import Iterator

from pulumi_policy import PolicyResource, Severity

from ...core import metadata, s3
from ...core.policy import MANDATORY, Config, stack_policy
from ...core.props import dig
from ...core.stack import StackView


def _check(bucket: PolicyResource, stack: StackView, config: Config) -> Iterator[str]:
    owners = [
        dig(c.props, "rule", "objectOwnership") for c in s3.settings(stack, bucket, s3.OWNERSHIP)
    ]
    if "BucketOwnerEnforced" not in owners:
        yield (
            f"S3 bucket '{bucket.name}' still honours ACLs; add BucketOwnershipControls with "
            "rule object_ownership='BucketOwnerEnforced'"
        )


POLICY = stack_policy(
    name="s3-bucket-owner-enforced",
    description="S3 buckets use BucketOwnerEnforced object ownership (ACLs disabled).",
    resource_types=s3.BUCKETS,
    check=_check,
    category=metadata.EXPOSURE,
    severity=Severity.HIGH,
    enforcement=MANDATORY,
    remediation=(
        "Add aws.s3.BucketOwnershipControls with rule={'object_ownership': 'BucketOwnerEnforced'}."
    ),
    mappings=("fsbp:S3.12", "checkov:CKV2_AWS_65"),
)
