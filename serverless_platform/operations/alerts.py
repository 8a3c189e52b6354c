"""The alerts topic: where alarms and workflow notifications go.

It has its own key, because its users differ from the data key's: CloudWatch alarms
publish to it, and an SSE-KMS topic whose key does not admit
`cloudwatch.amazonaws.com` accepts alarms that never arrive.
"""

from __future__ import annotations

from collections.abc import Sequence

import pulumi
import pulumi_aws as aws

from serverless_platform.context import AwsContext
from serverless_platform.data.keys import PlatformKey, cloudwatch_alarms_user
from serverless_platform.iam import allow_service, deny_insecure_transport, to_json


class Alerts(pulumi.ComponentResource):
    """An encrypted SNS topic that alarms in this account may publish to, with email
    subscriptions from config."""

    topic: aws.sns.Topic

    def __init__(
        self,
        name: str,
        *,
        context: AwsContext,
        alias: str,
        emails: Sequence[str],
        deletion_window_days: int,
        tags: dict[str, str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("serverless-platform:alerts:Alerts", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.key = PlatformKey(
            f"{name}-key",
            description=f"{alias}: alerts topic",
            alias=alias,
            context=context,
            users=[cloudwatch_alarms_user(context)],
            deletion_window_days=deletion_window_days,
            tags=tags,
            opts=child,
        )
        self.topic = aws.sns.Topic(
            f"{name}-topic",
            kms_master_key_id=self.key.arn,
            tags=tags,
            opts=child,
        )
        aws.sns.TopicPolicy(
            f"{name}-topic-policy",
            arn=self.topic.arn,
            policy=to_json(
                [
                    allow_service(
                        "AllowAlarmsFromThisAccount",
                        "cloudwatch.amazonaws.com",
                        "sns:Publish",
                        self.topic.arn,
                        {"StringEquals": {"aws:SourceAccount": context.account_id}},
                    ),
                    deny_insecure_transport("sns:Publish", self.topic.arn),
                ]
            ),
            opts=child,
        )
        for index, email in enumerate(emails):
            aws.sns.TopicSubscription(
                f"{name}-email-{index}",
                topic=self.topic.arn,
                protocol="email",
                endpoint=email,
                opts=child,
            )
        self.register_outputs({"topic_arn": self.topic.arn})
