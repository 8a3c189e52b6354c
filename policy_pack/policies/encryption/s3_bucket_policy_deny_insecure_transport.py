"""S3 bucket policies deny every request that does not use TLS."""

from pulumi_policy import Severity

from ...core import s3
from ...core.transport import tls_only_policy

POLICY = tls_only_policy(
    name="s3-bucket-policy-deny-insecure-transport",
    what="S3 bucket",
    resource_types=s3.BUCKETS,
    policy_types=s3.POLICY,
    prop="bucket",
    action="s3:*",
    severity=Severity.HIGH,
    mappings=("fsbp:S3.5", "cdk-nag:AwsSolutions-S10"),
)
