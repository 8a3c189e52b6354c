"""`Workflow`: the Step Functions reprocess workflow and its two step functions."""

from __future__ import annotations

import json

import pulumi
import pulumi_aws as aws

from serverless_platform.config import IngestSettings, WorkflowSettings
from serverless_platform.context import AwsContext
from serverless_platform.data.storage import INCOMING_PREFIX
from serverless_platform.data.table import TableRef
from serverless_platform.functions import LoggingSettings, PlatformFunction
from serverless_platform.iam import UNSCOPED_RESOURCE, allow, service_role, to_json
from serverless_platform.workflow.definition import build_definition

KMS_DATA_KEY_REUSE_SECONDS = 300
# Step Functions delivers logs through CloudWatch vended log delivery, whose APIs have
# no resource-level permissions: AWS documents "*" as the only resource.
LOG_DELIVERY_ACTIONS = [
    "logs:CreateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:DescribeLogGroups",
    "logs:DescribeResourcePolicies",
    "logs:GetLogDelivery",
    "logs:ListLogDeliveries",
    "logs:PutResourcePolicy",
    "logs:UpdateLogDelivery",
]
# X-Ray trace segments and sampling rules have no resource-level permissions either.
STATE_MACHINE_XRAY_ACTIONS = [
    "xray:GetSamplingRules",
    "xray:GetSamplingTargets",
    "xray:PutTelemetryRecords",
    "xray:PutTraceSegments",
]


class Workflow(pulumi.ComponentResource):
    """A STANDARD state machine (exactly-once, low volume) that lists a prefix or takes
    keys, processes each object with bounded concurrency, aggregates and notifies."""

    state_machine: aws.sfn.StateMachine

    def __init__(
        self,
        name: str,
        *,
        settings: WorkflowSettings,
        ingest: IngestSettings,
        context: AwsContext,
        logging: LoggingSettings,
        data_key_arn: pulumi.Input[str],
        alerts_key_arn: pulumi.Input[str],
        layer_arn: str,
        bucket: aws.s3.Bucket,
        table: TableRef,
        alerts_topic: aws.sns.Topic,
        metrics_namespace: str,
        tags: dict[str, str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("serverless-platform:workflow:Workflow", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        common = {
            "settings": settings.function,
            "logging": logging,
            "environment_key_arn": data_key_arn,
            "layer_arn": layer_arn,
            "tags": tags,
            "permissions_boundary": context.permissions_boundary,
            "opts": child,
        }
        incoming = pulumi.Output.concat(bucket.arn, f"/{INCOMING_PREFIX}*")
        self.list_function = PlatformFunction(
            f"{name}-list",
            code_dir="workflow_list",
            description="Lists the objects a reprocess run covers",
            environment={
                "INGEST_BUCKET": bucket.id,
                "MAX_OBJECTS": str(settings.max_objects),
                "POWERTOOLS_SERVICE_NAME": "workflow-list",
                "POWERTOOLS_METRICS_NAMESPACE": metrics_namespace,
                "LOG_LEVEL": logging.level,
            },
            statements=[
                allow(
                    ["s3:ListBucket"],
                    [bucket.arn],
                    sid="ListIncomingPrefix",
                    condition={"StringLike": {"s3:prefix": [f"{INCOMING_PREFIX}*"]}},
                )
            ],
            **common,  # type: ignore[arg-type]
        )
        self.process_function = PlatformFunction(
            f"{name}-process",
            code_dir="workflow_process",
            description="Reprocesses one object with the processor's shared code",
            environment={
                "RESULTS_TABLE": table.name,
                "MAX_OBJECT_BYTES": str(ingest.max_object_bytes),
                "RESULT_TTL_DAYS": str(ingest.result_ttl_days),
                "POWERTOOLS_SERVICE_NAME": "workflow-process",
                "POWERTOOLS_METRICS_NAMESPACE": metrics_namespace,
                "LOG_LEVEL": logging.level,
            },
            statements=[
                allow(
                    ["s3:GetObject", "s3:GetObjectVersion"], [incoming], sid="ReadIncomingObjects"
                ),
                allow(
                    ["dynamodb:GetItem", "dynamodb:UpdateItem"],
                    [table.arn],
                    sid="WriteResults",
                ),
                allow(["kms:Decrypt", "kms:GenerateDataKey"], [data_key_arn], sid="UseDataKey"),
            ],
            **common,  # type: ignore[arg-type]
        )

        self.log_group = aws.cloudwatch.LogGroup(
            f"{name}-logs",
            # Vended logs for Step Functions must live under /aws/vendedlogs/.
            name_prefix="/aws/vendedlogs/states/serverless-platform-",
            retention_in_days=logging.retention_days,
            kms_key_id=logging.kms_key_arn,
            tags=tags,
            opts=child,
        )
        functions = [self.list_function.function.arn, self.process_function.function.arn]
        self.role = service_role(
            f"{name}-role",
            service="states.amazonaws.com",
            conditions={"StringEquals": {"aws:SourceAccount": context.account_id}},
            description="Execution role of the reprocess state machine",
            permissions_boundary=context.permissions_boundary,
            tags=tags,
            opts=child,
        )
        policy = aws.iam.RolePolicy(
            f"{name}-policy",
            role=self.role.id,
            policy=to_json(
                [
                    allow(
                        ["lambda:InvokeFunction"],
                        functions,
                        sid="InvokeWorkflowSteps",
                    ),
                    allow(["sns:Publish"], [alerts_topic.arn], sid="NotifyAlertsTopic"),
                    allow(
                        ["kms:Decrypt", "kms:GenerateDataKey"],
                        [data_key_arn, alerts_key_arn],
                        sid="EncryptStateAndNotifications",
                    ),
                    allow(LOG_DELIVERY_ACTIONS, UNSCOPED_RESOURCE, sid="LogDeliveryUnscopedByAws"),
                    allow(STATE_MACHINE_XRAY_ACTIONS, UNSCOPED_RESOURCE, sid="XRayUnscopedByAws"),
                ]
            ),
            opts=child,
        )
        definition = pulumi.Output.all(
            list_arn=self.list_function.function.arn,
            process_arn=self.process_function.function.arn,
            topic_arn=alerts_topic.arn,
            bucket_name=bucket.id,
        ).apply(
            lambda values: json.dumps(
                build_definition(
                    list_function_arn=values["list_arn"],
                    process_function_arn=values["process_arn"],
                    alerts_topic_arn=values["topic_arn"],
                    bucket_name=values["bucket_name"],
                    max_objects=settings.max_objects,
                    max_concurrency=settings.max_concurrency,
                    failed_keys_cap=settings.failed_keys_cap,
                ),
                indent=2,
            )
        )
        self.state_machine = aws.sfn.StateMachine(
            f"{name}-state-machine",
            type="STANDARD",
            role_arn=self.role.arn,
            definition=definition,
            logging_configuration={
                "level": "ALL",
                "include_execution_data": settings.include_execution_data,
                "log_destination": pulumi.Output.concat(self.log_group.arn, ":*"),
            },
            tracing_configuration={"enabled": True},
            encryption_configuration={
                "type": "CUSTOMER_MANAGED_KMS_KEY",
                "kms_key_id": data_key_arn,
                "kms_data_key_reuse_period_seconds": KMS_DATA_KEY_REUSE_SECONDS,
            },
            tags=tags,
            opts=pulumi.ResourceOptions(parent=self, depends_on=[policy]),
        )
        self.register_outputs({"state_machine_arn": self.state_machine.arn})
