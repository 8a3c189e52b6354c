"""CloudFront distributions write access logs (standard logging, legacy or v2)."""

from collections.abc import Iterator

from pulumi_policy import PolicyResource, Severity

from ...core import families, metadata
from ...core.policy import MANDATORY, Config, stack_policy
from ...core.props import dig
from ...core.stack import StackView


def _access_log_sources(stack: StackView, distribution: PolicyResource) -> list[PolicyResource]:
    """Standard logging v2: the ACCESS_LOGS delivery sources for the distribution."""
    return [
        source
        for source in stack.referencing(distribution, families.LOG_DELIVERY_SOURCES, "resourceArn")
        if source.props.get("logType") == "ACCESS_LOGS"
    ]


def _check(distribution: PolicyResource, stack: StackView, config: Config) -> Iterator[str]:
    if dig(distribution.props, "loggingConfig", "bucket"):
        return
    sources = _access_log_sources(stack, distribution)
    delivered = [
        source
        for source in sources
        if stack.referencing(source, families.LOG_DELIVERIES, "deliverySourceName")
    ]
    if delivered:
        return
    if sources:
        yield (
            f"CloudFront distribution '{distribution.name}' has an ACCESS_LOGS delivery "
            f"source ('{sources[0].name}') that no cloudwatch.LogDelivery sends anywhere; add "
            "a LogDelivery from it to a LogDeliveryDestination"
        )
        return
    yield (
        f"CloudFront distribution '{distribution.name}' writes no access logs; set "
        "logging_config={'bucket': '<bucket>.s3.amazonaws.com'} or add standard logging v2 "
        "(a cloudwatch.LogDeliverySource with log_type='ACCESS_LOGS' and a LogDelivery)"
    )


POLICY = stack_policy(
    name="cloudfront-distribution-logging",
    description=(
        "CloudFront distributions write access logs (logging_config, or standard logging "
        "v2 through a CloudWatch Logs delivery)."
    ),
    resource_types=families.CLOUDFRONT_DISTRIBUTIONS,
    check=_check,
    category=metadata.LOGGING,
    severity=Severity.MEDIUM,
    enforcement=MANDATORY,
    remediation=(
        "Either set logging_config={'bucket': log_bucket.bucket_domain_name, 'prefix': ...} "
        "on the aws.cloudfront.Distribution (the bucket needs ACLs enabled for the "
        "awslogsdelivery account), or configure standard logging v2: an "
        "aws.cloudwatch.LogDeliverySource (log_type='ACCESS_LOGS', resource_arn="
        "distribution.arn, in us-east-1), a LogDeliveryDestination and a LogDelivery."
    ),
    mappings=metadata.mappings(
        "fsbp:CloudFront.5", "cdk-nag:AwsSolutions-CFR3", "checkov:CKV_AWS_86"
    ),
)
