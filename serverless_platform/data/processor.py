"""The processor: consumes the ingest queue and writes one result per object version."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from serverless_platform.config import FunctionSettings, IngestSettings
from serverless_platform.data.storage import INCOMING_PREFIX
from serverless_platform.data.table import TableRef
from serverless_platform.functions import LoggingSettings, PlatformFunction
from serverless_platform.iam import allow


class Processor(pulumi.ComponentResource):
    """The processor function and the event source mapping that feeds it."""

    def __init__(
        self,
        name: str,
        *,
        settings: FunctionSettings,
        ingest: IngestSettings,
        logging: LoggingSettings,
        data_key_arn: pulumi.Input[str],
        layer_arn: str,
        bucket: aws.s3.Bucket,
        queue: aws.sqs.Queue,
        table: TableRef,
        service_name: str,
        metrics_namespace: str,
        tags: dict[str, str],
        permissions_boundary: str | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("serverless-platform:processor:Processor", name, None, opts)
        statements = [
            allow(
                [
                    "sqs:ChangeMessageVisibility",
                    "sqs:DeleteMessage",
                    "sqs:GetQueueAttributes",
                    "sqs:ReceiveMessage",
                ],
                [queue.arn],
                sid="ConsumeIngestQueue",
            ),
            allow(
                ["s3:GetObject", "s3:GetObjectVersion"],
                [pulumi.Output.concat(bucket.arn, f"/{INCOMING_PREFIX}*")],
                sid="ReadIncomingObjects",
            ),
            allow(
                ["dynamodb:GetItem", "dynamodb:UpdateItem"],
                [table.arn],
                sid="WriteResults",
            ),
            # Objects, messages and result items are all encrypted with the data key.
            allow(["kms:Decrypt", "kms:GenerateDataKey"], [data_key_arn], sid="UseDataKey"),
        ]
        self.function = PlatformFunction(
            name,
            code_dir="processor",
            description="Turns each uploaded object into one result item",
            settings=settings,
            logging=logging,
            environment_key_arn=data_key_arn,
            layer_arn=layer_arn,
            environment={
                "RESULTS_TABLE": table.name,
                "MAX_OBJECT_BYTES": str(ingest.max_object_bytes),
                "RESULT_TTL_DAYS": str(ingest.result_ttl_days),
                "POWERTOOLS_SERVICE_NAME": service_name,
                "POWERTOOLS_METRICS_NAMESPACE": metrics_namespace,
                "LOG_LEVEL": logging.level,
            },
            statements=statements,
            tags=tags,
            permissions_boundary=permissions_boundary,
            live_alias=True,
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.event_source_mapping = aws.lambda_.EventSourceMapping(
            f"{name}-ingest-mapping",
            event_source_arn=queue.arn,
            # The queue feeds the live alias: a new version gets messages only as
            # CodeDeploy shifts the alias to it (and loses them again on rollback).
            function_name=self.function.live.arn,
            batch_size=ingest.batch_size,
            maximum_batching_window_in_seconds=ingest.batching_window_seconds,
            # Only the failed messages of a batch return to the queue.
            function_response_types=["ReportBatchItemFailures"],
            scaling_config={"maximum_concurrency": ingest.max_concurrency},
            tags=tags,
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self.function.policy]),
        )
        self.register_outputs(
            {
                "function_name": self.function.function.name,
                "alias_arn": self.function.live.arn,
                "event_source_mapping_uuid": self.event_source_mapping.uuid,
            }
        )
