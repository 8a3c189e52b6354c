"""S3 buckets keep object versions."""

from collections.abc import Iterator

from pulumi_policy import PolicyResource, Severity

from ...core import metadata, s3
from ...core.policy import ADVISORY, Config, stack_policy
from ...core.props import dig, is_true
from ...core.stack import StackView


def _check(bucket: PolicyResource, stack: StackView, config: Config) -> Iterator[str]:
    statuses = [
        dig(v.props, "versioningConfiguration", "status")
        for v in s3.settings(stack, bucket, s3.VERSIONING)
    ]
    if "Enabled" not in statuses and not is_true(dig(bucket.props, "versioning", "enabled")):
        yield (
            f"S3 bucket '{bucket.name}' does not keep object versions; add a BucketVersioning "
            "with versioning_configuration status 'Enabled'"
        )


POLICY = stack_policy(
    name="s3-bucket-versioning",
    description="S3 buckets have versioning enabled.",
    resource_types=s3.BUCKETS,
    check=_check,
    category=metadata.RESILIENCE,
    severity=Severity.MEDIUM,
    enforcement=ADVISORY,
    remediation=(
        "Add an aws.s3.BucketVersioning with versioning_configuration={'status': 'Enabled'}, "
        "and a lifecycle rule that expires noncurrent versions."
    ),
    mappings=("fsbp:S3.14", "checkov:CKV_AWS_21"),
)
