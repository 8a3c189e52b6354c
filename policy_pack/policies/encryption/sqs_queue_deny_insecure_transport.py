"""SQS queue policies deny every request that does not use TLS."""

from pulumi_policy import Severity

from ...core.transport import tls_only_policy

POLICY = tls_only_policy(
    name="sqs-queue-deny-insecure-transport",
    what="SQS queue",
    resource_types=("aws:sqs/queue:Queue",),
    policy_types=("aws:sqs/queuePolicy:QueuePolicy",),
    prop="queueUrl",
    action="sqs:*",
    severity=Severity.MEDIUM,
    mappings=("cdk-nag:AwsSolutions-SQS4",),
)
