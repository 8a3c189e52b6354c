"""The ingest queue: S3 ObjectCreated under `incoming/` → SQS (with a DLQ)."""

from __future__ import annotations

import json

import pulumi
import pulumi_aws as aws

from serverless_platform.context import AwsContext
from serverless_platform.data.storage import INCOMING_PREFIX
from serverless_platform.iam import allow_service, deny_insecure_transport, to_json

MAX_RECEIVE_COUNT = 5
DLQ_RETENTION_SECONDS = 14 * 24 * 3600
QUEUE_RETENTION_SECONDS = 4 * 24 * 3600
# Reusing a data key for 5 minutes keeps KMS calls (and cost) down at high volume.
KMS_DATA_KEY_REUSE_SECONDS = 300


class IngestQueue(pulumi.ComponentResource):
    """KMS-encrypted queue and DLQ, a policy that admits only the ingest bucket, and
    the bucket notification that feeds it."""

    queue: aws.sqs.Queue
    dead_letter_queue: aws.sqs.Queue

    def __init__(
        self,
        name: str,
        *,
        context: AwsContext,
        bucket: aws.s3.Bucket,
        kms_key_arn: pulumi.Input[str],
        visibility_timeout_seconds: int,
        tags: dict[str, str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("serverless-platform:ingest:IngestQueue", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.dead_letter_queue = aws.sqs.Queue(
            f"{name}-dlq",
            kms_master_key_id=kms_key_arn,
            kms_data_key_reuse_period_seconds=KMS_DATA_KEY_REUSE_SECONDS,
            message_retention_seconds=DLQ_RETENTION_SECONDS,
            tags=tags,
            opts=child,
        )
        self.queue = aws.sqs.Queue(
            f"{name}-queue",
            kms_master_key_id=kms_key_arn,
            kms_data_key_reuse_period_seconds=KMS_DATA_KEY_REUSE_SECONDS,
            visibility_timeout_seconds=visibility_timeout_seconds,
            message_retention_seconds=QUEUE_RETENTION_SECONDS,
            redrive_policy=self.dead_letter_queue.arn.apply(
                lambda arn: json.dumps(
                    {"deadLetterTargetArn": arn, "maxReceiveCount": MAX_RECEIVE_COUNT}
                )
            ),
            tags=tags,
            opts=child,
        )
        # Only the ingest queue may dead-letter into the DLQ (and redrive back from it).
        aws.sqs.RedriveAllowPolicy(
            f"{name}-dlq-redrive-allow",
            queue_url=self.dead_letter_queue.id,
            redrive_allow_policy=self.queue.arn.apply(
                lambda arn: json.dumps({"redrivePermission": "byQueue", "sourceQueueArns": [arn]})
            ),
            opts=child,
        )
        aws.sqs.QueuePolicy(
            f"{name}-dlq-policy",
            queue_url=self.dead_letter_queue.id,
            policy=to_json([deny_insecure_transport("sqs:*", self.dead_letter_queue.arn)]),
            opts=child,
        )
        queue_policy = aws.sqs.QueuePolicy(
            f"{name}-queue-policy",
            queue_url=self.queue.id,
            policy=to_json(
                [
                    allow_service(
                        "AllowIngestBucketNotifications",
                        "s3.amazonaws.com",
                        "sqs:SendMessage",
                        self.queue.arn,
                        {
                            "ArnEquals": {"aws:SourceArn": bucket.arn},
                            "StringEquals": {"aws:SourceAccount": context.account_id},
                        },
                    ),
                    deny_insecure_transport("sqs:*", self.queue.arn),
                ]
            ),
            opts=child,
        )
        self.notification = aws.s3.BucketNotification(
            f"{name}-notification",
            bucket=bucket.id,
            queues=[
                {
                    "id": "incoming-objects",
                    "queue_arn": self.queue.arn,
                    "events": ["s3:ObjectCreated:*"],
                    "filter_prefix": INCOMING_PREFIX,
                }
            ],
            # S3 validates the destination when the notification is written.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[queue_policy]),
        )
        self.register_outputs(
            {"queue_url": self.queue.id, "dead_letter_queue_url": self.dead_letter_queue.id}
        )
