"""`ServerlessPlatform`: the whole data plane of one region, as one component."""

from __future__ import annotations

import pulumi

from serverless_platform.config import PROJECT, PlatformConfig
from serverless_platform.context import AwsContext
from serverless_platform.functions import LoggingSettings, powertools_layer_arn
from serverless_platform.ingest import IngestQueue
from serverless_platform.keys import PlatformKey, cloudwatch_logs_user, s3_notifications_user
from serverless_platform.processor import Processor
from serverless_platform.storage import IngestStorage
from serverless_platform.table import ResultsTable
from serverless_platform.tagging import tags_for


class ServerlessPlatform(pulumi.ComponentResource):
    """Keys, ingest bucket, queue, results table and processor for one region.

    Example:
        >>> platform = ServerlessPlatform("platform", config=load_config(), region="us-east-1",
        ...     opts=pulumi.ResourceOptions(providers=[provider]))
    """

    def __init__(
        self,
        name: str,
        *,
        config: PlatformConfig,
        region: str,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("serverless-platform:index:ServerlessPlatform", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        context = AwsContext.lookup(region, parent=self)
        prefix = f"{PROJECT}-{config.environment}"

        def tags(component: str) -> dict[str, str]:
            return tags_for(config.tags, component)

        self.data_key = PlatformKey(
            f"{name}-data",
            description=f"{prefix}: ingest bucket, queues, results table, function environments",
            alias=f"{prefix}-data",
            context=context,
            users=[s3_notifications_user(context)],
            deletion_window_days=config.kms_deletion_window_days,
            tags=tags("keys"),
            opts=child,
        )
        self.logs_key = PlatformKey(
            f"{name}-logs",
            description=f"{prefix}: CloudWatch log groups",
            alias=f"{prefix}-logs",
            context=context,
            users=[cloudwatch_logs_user(context)],
            deletion_window_days=config.kms_deletion_window_days,
            tags=tags("keys"),
            opts=child,
        )
        self.storage = IngestStorage(
            f"{name}-storage",
            context=context,
            data_key_arn=self.data_key.arn,
            noncurrent_version_expiration_days=config.noncurrent_version_expiration_days,
            access_log_retention_days=config.access_log_retention_days,
            tags=tags("storage"),
            opts=child,
        )
        self.results = ResultsTable(
            f"{name}-results",
            kms_key_arn=self.data_key.arn,
            deletion_protection=config.deletion_protection,
            tags=tags("results"),
            opts=child,
        )
        self.ingest = IngestQueue(
            f"{name}-ingest",
            context=context,
            bucket=self.storage.bucket,
            kms_key_arn=self.data_key.arn,
            visibility_timeout_seconds=config.ingest.visibility_timeout_seconds(
                config.processor.timeout_seconds
            ),
            tags=tags("ingest"),
            opts=child,
        )
        logging = LoggingSettings(
            retention_days=config.log_retention_days,
            level=config.log_level,
            kms_key_arn=self.logs_key.arn,
        )
        self.processor = Processor(
            f"{name}-processor",
            settings=config.processor,
            ingest=config.ingest,
            logging=logging,
            data_key_arn=self.data_key.arn,
            layer_arn=powertools_layer_arn(
                region, config.processor.architecture, config.powertools_layer_version
            ),
            bucket=self.storage.bucket,
            queue=self.ingest.queue,
            table=self.results.table,
            service_name="processor",
            metrics_namespace=prefix,
            tags=tags("processor"),
            opts=child,
        )
        self.outputs: dict[str, pulumi.Input[str]] = {
            "region": region,
            "ingest_bucket": self.storage.bucket.id,
            "access_log_bucket": self.storage.access_logs.bucket.id,
            "ingest_queue_url": self.ingest.queue.id,
            "dead_letter_queue_url": self.ingest.dead_letter_queue.id,
            "results_table": self.results.table.name,
            "processor_function": self.processor.function.function.name,
            "processor_event_source_mapping": self.processor.event_source_mapping.uuid,
            "data_key_arn": self.data_key.arn,
        }
        self.register_outputs(self.outputs)
