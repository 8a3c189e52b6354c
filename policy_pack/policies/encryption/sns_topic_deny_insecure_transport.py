"""SNS topic policies deny publishing without TLS."""

from pulumi_policy import Severity

from ...core.transport import tls_only_policy

POLICY = tls_only_policy(
    name="sns-topic-deny-insecure-transport",
    what="SNS topic",
    resource_types=("aws:sns/topic:Topic",),
    policy_types=("aws:sns/topicPolicy:TopicPolicy",),
    prop="arn",
    action="sns:Publish",
    severity=Severity.MEDIUM,
    mappings=("cdk-nag:AwsSolutions-SNS3",),
)
