"""`ServerlessPlatform`: the whole data plane of one region, as one component."""

from __future__ import annotations

from collections.abc import Sequence

import pulumi
import pulumi_aws as aws

from serverless_platform.api.rest_api import Api, ApiArgs, ApiBackend
from serverless_platform.config import PROJECT, PlatformConfig
from serverless_platform.context import AwsContext
from serverless_platform.data.ingest import IngestQueue
from serverless_platform.data.keys import (
    PlatformKey,
    cloudwatch_logs_user,
    s3_notifications_user,
    step_functions_log_delivery_user,
)
from serverless_platform.data.processor import Processor
from serverless_platform.data.storage import IngestStorage
from serverless_platform.data.table import Replica, ResultsTable, TableRef, results_table_name
from serverless_platform.delivery.deployments import AlertsTarget, DeployedFunction, GradualDeploys
from serverless_platform.delivery.hook import HookBuild
from serverless_platform.functions import LoggingSettings, powertools_layer_arn
from serverless_platform.operations import alarm_catalog
from serverless_platform.operations.alerts import Alerts
from serverless_platform.operations.observability import Observability
from serverless_platform.tagging import tags_for
from serverless_platform.workflow.reprocess import Workflow


class ServerlessPlatform(pulumi.ComponentResource):
    """Keys, ingest bucket, queue, results table, processor, workflow, API, alerts and
    alarms for one region.

    In a Pulumi program (a component needs the engine, so this is not a doctest)::

        platform = ServerlessPlatform("platform", config=load_config(), region="us-east-1",
            opts=pulumi.ResourceOptions(providers=[provider]))
    """

    def __init__(
        self,
        name: str,
        *,
        config: PlatformConfig,
        region: str,
        replicas: Sequence[ServerlessPlatform] = (),
        primary_region: str | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """`replicas` are the other regions' platforms (the primary owns the global
        table and gives each of them a replica); a replica names its `primary_region`."""
        super().__init__("serverless-platform:index:ServerlessPlatform", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.region = region
        context = AwsContext.lookup(
            region, parent=self, permissions_boundary=config.target.permissions_boundary_arn
        )
        self.context = context
        prefix = f"{PROJECT}-{config.environment}"

        def tags(component: str) -> dict[str, str]:
            return tags_for(config.tags, component)

        self.data_key = PlatformKey(
            f"{name}-data",
            description=f"{prefix}: ingest bucket, queues, results table, function environments",
            alias=f"{prefix}-data",
            context=context,
            users=[s3_notifications_user(context), step_functions_log_delivery_user(context)],
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
        table_name = results_table_name(config.environment)
        self.results: ResultsTable | None = None
        if primary_region is None:
            self.results = ResultsTable(
                f"{name}-results",
                table_name=table_name,
                kms_key_arn=self.data_key.arn,
                deletion_protection=config.deletion_protection,
                replicas=[Replica(p.region, p.data_key.arn) for p in replicas],
                tags=tags("results"),
                opts=child,
            )
            self.table = self.results.ref
        else:
            # The primary region's global table has a replica here, under the same name.
            self.table = TableRef(
                name=pulumi.Output.from_input(table_name),
                arn=context.arn("dynamodb", f"table/{table_name}"),
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
        layer = powertools_layer_arn(
            region, config.processor.architecture, config.powertools_layer_version
        )
        api_layer = powertools_layer_arn(
            region, config.api.function.architecture, config.powertools_layer_version
        )
        self.processor = Processor(
            f"{name}-processor",
            settings=config.processor,
            ingest=config.ingest,
            logging=logging,
            data_key_arn=self.data_key.arn,
            layer_arn=layer,
            bucket=self.storage.bucket,
            queue=self.ingest.queue,
            table=self.table,
            service_name="processor",
            metrics_namespace=prefix,
            tags=tags("processor"),
            permissions_boundary=context.permissions_boundary,
            opts=child,
        )
        self.alerts = Alerts(
            f"{name}-alerts",
            context=context,
            alias=f"{prefix}-alerts",
            emails=config.alarms.emails,
            deletion_window_days=config.kms_deletion_window_days,
            tags=tags("alerts"),
            opts=child,
        )
        self.workflow = Workflow(
            f"{name}-workflow",
            settings=config.workflow,
            ingest=config.ingest,
            context=context,
            logging=logging,
            data_key_arn=self.data_key.arn,
            alerts_key_arn=self.alerts.key.arn,
            layer_arn=powertools_layer_arn(
                region, config.workflow.function.architecture, config.powertools_layer_version
            ),
            bucket=self.storage.bucket,
            table=self.table,
            alerts_topic=self.alerts.topic,
            metrics_namespace=prefix,
            tags=tags("workflow"),
            opts=child,
        )
        self.api = Api(
            f"{name}-api",
            ApiArgs(
                settings=config.api,
                workflow_settings=config.workflow,
                environment_name=config.environment,
                context=context,
                logging=logging,
                backend=ApiBackend(
                    data_key_arn=self.data_key.arn,
                    bucket=self.storage.bucket,
                    table=self.table,
                    state_machine=self.workflow.state_machine,
                ),
                layer_arn=api_layer,
                metrics_namespace=prefix,
                tags=tags("api"),
                # With replicas, clients reach the nearest healthy region (failover.py).
                dns_record=not replicas and primary_region is None,
                validation_record=primary_region is None,
            ),
            opts=child,
        )
        alarms = config.alarms
        processor_name = self.processor.function.function.name
        self.observability = Observability(
            f"{name}-observability",
            specs=[
                *alarm_catalog.processor_alarms(alarms, config.processor, processor_name),
                *alarm_catalog.queue_alarms(
                    alarms, self.ingest.queue.name, self.ingest.dead_letter_queue.name
                ),
                *alarm_catalog.api_alarms(
                    alarms,
                    self.api.rest_api.name,
                    self.api.stage.stage_name,
                    self.api.function.function.name,
                ),
                *alarm_catalog.workflow_alarms(alarms, self.workflow.state_machine.arn),
                *alarm_catalog.table_alarms(alarms, self.table.name),
            ],
            settings=alarms,
            name_prefix=prefix,
            region=region,
            topic_arn=self.alerts.topic.arn,
            tags=tags("observability"),
            opts=child,
        )

        def rollback_alarms(slug: str) -> list[aws.cloudwatch.MetricAlarm]:
            return [self.observability.alarms[a] for a in alarm_catalog.ROLLBACK_ALARMS[slug]]

        self.deploys = GradualDeploys(
            f"{name}-deploys",
            functions=[
                DeployedFunction(
                    "processor",
                    self.processor.function,
                    config.processor.function,
                    layer,
                    rollback_alarms("processor"),
                ),
                DeployedFunction(
                    "api", self.api.function, config.api.function, api_layer, rollback_alarms("api")
                ),
            ],
            settings=config.deployment,
            context=context,
            name_prefix=prefix,
            alerts=AlertsTarget(self.alerts.topic.arn, self.alerts.key.arn),
            hook_build=HookBuild(
                logging=logging,
                environment_key_arn=self.data_key.arn,
                metrics_namespace=prefix,
                permissions_boundary=context.permissions_boundary,
            ),
            tags=tags("delivery"),
            opts=child,
        )
        self.outputs: dict[str, pulumi.Input[str]] = {
            "region": region,
            "ingest_bucket": self.storage.bucket.id,
            "access_log_bucket": self.storage.access_logs.bucket.id,
            "ingest_queue_url": self.ingest.queue.id,
            "dead_letter_queue_url": self.ingest.dead_letter_queue.id,
            "results_table": self.table.name,
            "processor_function": self.processor.function.function.name,
            "processor_event_source_mapping": self.processor.event_source_mapping.uuid,
            "state_machine_arn": self.workflow.state_machine.arn,
            # The most object keys one reprocess run accepts (the runbook CLI reads it).
            "workflow_max_objects": str(config.workflow.max_objects),
            "api_url": self.api.url,
            "api_function": self.api.function.function.name,
            "api_id": self.api.rest_api.id,
            "api_stage": self.api.stage.stage_name,
            "usage_plan_id": self.api.usage_plan.id,
            "api_key_id": self.api.api_key.id,
            "api_key": pulumi.Output.secret(self.api.api_key.value),
            "alerts_topic_arn": self.alerts.topic.arn,
            "dashboard": self.observability.dashboard.dashboard_name,
            "data_key_arn": self.data_key.arn,
            # What the deploy pipeline and the runbook tools shift, watch and stop (names),
            # and the version this deploy published: the AppSpec's TargetVersion.
            "processor_alias": self.processor.function.live.arn,
            "processor_version": self.processor.function.function.version,
            "processor_deployment_application": self.deploys.application.name,
            "processor_deployment_group": self.deploys.groups["processor"].deployment_group_name,
            "api_alias": self.api.function.live.arn,
            "api_version": self.api.function.function.version,
            "api_deployment_application": self.deploys.application.name,
            "api_deployment_group": self.deploys.groups["api"].deployment_group_name,
            # `processor_deployment_hook`, `api_deployment_hook`: the function an AppSpec
            # names as its BeforeAllowTraffic hook, in stacks that have one.
            **{
                f"{slug}_deployment_hook": hook.function.name
                for slug, hook in self.deploys.hooks.items()
            },
        }
        self.register_outputs(self.outputs)
