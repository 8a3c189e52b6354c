"""`Api`: the REST API (v1), its stage, usage plan, key, optional custom domain, and
the api function behind a Lambda proxy integration.

REST (not HTTP) APIs, because API keys and usage plans exist only there.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from serverless_platform.api.definition import (
    INTEGRATION_SETTINGS,
    MODEL_FILES,
    ROUTES,
    VALIDATOR_SETTINGS,
    definition_hash,
    deployment_document,
    method_settings,
    model_schema,
    resource_paths,
)
from serverless_platform.api.firewall import ApiFirewall
from serverless_platform.api.scaling import ProvisionedConcurrencyScaling, previous_alias
from serverless_platform.config import PROJECT, ApiSettings, WorkflowSettings
from serverless_platform.context import AwsContext
from serverless_platform.data.storage import INCOMING_PREFIX
from serverless_platform.data.table import STATUS_INDEX, TableRef
from serverless_platform.functions import LIVE_ALIAS, LoggingSettings, PlatformFunction
from serverless_platform.iam import Statement, allow, service_role, to_json

# One JSON line per request, with the fields on-call needs to find a request again.
ACCESS_LOG_FORMAT = json.dumps(
    {
        "requestId": "$context.requestId",
        "extendedRequestId": "$context.extendedRequestId",
        "ip": "$context.identity.sourceIp",
        "apiKeyId": "$context.identity.apiKeyId",
        "requestTime": "$context.requestTime",
        "httpMethod": "$context.httpMethod",
        "resourcePath": "$context.resourcePath",
        "status": "$context.status",
        "responseLength": "$context.responseLength",
        "integrationLatency": "$context.integrationLatency",
        "responseLatency": "$context.responseLatency",
        "xrayTraceId": "$context.xrayTraceId",
        "errorMessage": "$context.error.message",
    },
    separators=(",", ":"),
)
_JSON_ERROR = '{"message":$context.error.messageString,"request_id":"$context.requestId"}'
# API Gateway answers for itself before the function runs; keep those answers JSON too.
GATEWAY_RESPONSES = {
    # Unknown routes and methods: API Gateway calls this "missing authentication token".
    "MISSING_AUTHENTICATION_TOKEN": (
        "404",
        '{"message":"Not found","request_id":"$context.requestId"}',
    ),
    # messageString is already a quoted JSON string; the raw validation text is not.
    "BAD_REQUEST_BODY": ("400", _JSON_ERROR),
    "DEFAULT_4XX": (None, _JSON_ERROR),
    "DEFAULT_5XX": (None, _JSON_ERROR),
}


def _function_statements(context: AwsContext, backend: ApiBackend) -> list[Statement]:
    table, bucket, machine = backend.table, backend.bucket, backend.state_machine
    executions = context.arn("states", pulumi.Output.concat("execution:", machine.name, ":*"))
    return [
        allow(
            ["dynamodb:GetItem", "dynamodb:Query"],
            [table.arn, table.index_arn],
            sid="ReadResults",
        ),
        # The presigned URL carries this role's signature: it can only ever PUT
        # under incoming/, encrypted with the platform key.
        allow(
            ["s3:PutObject"],
            [pulumi.Output.concat(bucket.arn, f"/{INCOMING_PREFIX}*")],
            sid="PresignIncomingUploads",
        ),
        allow(["kms:GenerateDataKey"], [backend.data_key_arn], sid="EncryptPresignedUploads"),
        allow(["states:StartExecution"], [machine.arn], sid="StartReprocessing"),
        allow(["states:DescribeExecution"], [executions], sid="ReadReprocessingStatus"),
    ]


def _function_environment(
    settings: ApiSettings,
    workflow_settings: WorkflowSettings,
    logging: LoggingSettings,
    backend: ApiBackend,
    metrics_namespace: str,
) -> dict[str, pulumi.Input[str]]:
    """Every setting the api function reads (it validates them at cold start)."""
    return {
        "RESULTS_TABLE": backend.table.name,
        "RESULTS_INDEX": STATUS_INDEX,
        "INGEST_BUCKET": backend.bucket.id,
        "INCOMING_PREFIX": INCOMING_PREFIX,
        "DATA_KEY_ARN": backend.data_key_arn,
        "UPLOAD_URL_EXPIRY_SECONDS": str(settings.presigned_url_expiry_seconds),
        "STATE_MACHINE_ARN": backend.state_machine.arn,
        "MAX_REPROCESS_KEYS": str(workflow_settings.max_objects),
        "POWERTOOLS_SERVICE_NAME": "api",
        "POWERTOOLS_METRICS_NAMESPACE": metrics_namespace,
        "LOG_LEVEL": logging.level,
    }


def _slug(path: str) -> str:
    """`/v1/results/{result_id}` → `-v1-results-result_id`, for logical names."""
    return path.replace("/", "-").replace("{", "").replace("}", "")


@dataclass(frozen=True)
class ApiBackend:
    """What the api function reads and starts: the platform's data plane."""

    data_key_arn: pulumi.Input[str]
    bucket: aws.s3.Bucket
    table: TableRef
    state_machine: aws.sfn.StateMachine


@dataclass(frozen=True)
class ApiArgs:
    """Everything an `Api` is built from."""

    settings: ApiSettings
    workflow_settings: WorkflowSettings
    environment_name: str
    context: AwsContext
    logging: LoggingSettings
    backend: ApiBackend
    layer_arn: str
    metrics_namespace: str
    tags: dict[str, str]
    # False leaves the custom domain's record to a multi-region latency policy (see
    # `regions/failover.py`).
    dns_record: bool = True
    # False leaves the ACM validation record to the primary region: ACM asks for the same
    # record for the same domain in every region, and two resources must not own one.
    validation_record: bool = True


class Api(pulumi.ComponentResource):
    """The public face of the platform: `/v1` routes, all behind an API key.

    Its parts are attributes: `function`, `rest_api`, `deployment`, `stage`,
    `usage_plan`, `api_key`, `firewall`, `domain` (None without a custom domain) and
    `url`; each is what the method that built it returned.
    """

    def __init__(
        self, name: str, args: ApiArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("serverless-platform:api:Api", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        settings, workflow_settings, context = args.settings, args.workflow_settings, args.context
        logging, backend, tags = args.logging, args.backend, args.tags
        environment_name = args.environment_name
        self.stage_name = environment_name
        self.function = PlatformFunction(
            name,
            code_dir="api",
            description="Serves results, presigns uploads and starts workflows",
            settings=settings.function,
            logging=logging,
            environment_key_arn=backend.data_key_arn,
            layer_arn=args.layer_arn,
            environment=_function_environment(
                settings, workflow_settings, logging, backend, args.metrics_namespace
            ),
            statements=_function_statements(context, backend),
            tags=tags,
            permissions_boundary=context.permissions_boundary,
            live_alias=True,
            # Stacks with provisioned concurrency had the alias in the scaling component.
            alias_history=(
                [previous_alias(name, parent=self)] if settings.provisioned_concurrency else []
            ),
            opts=child,
        )
        live = self.function.live
        # API Gateway invokes the live alias, never $LATEST: what it serves is what
        # CodeDeploy shifted there.
        invoke_arn: pulumi.Output[str] = live.invoke_arn
        if settings.provisioned_concurrency is not None:
            self.scaling = ProvisionedConcurrencyScaling(
                f"{name}-live",
                function=self.function.function,
                alias=live,
                settings=settings.provisioned_concurrency,
                tags=tags,
                opts=child,
            )

        self.rest_api = aws.apigateway.RestApi(
            f"{name}-rest-api",
            description=f"serverless-platform {environment_name} REST API",
            endpoint_configuration={"types": "REGIONAL"},
            api_key_source="HEADER",
            # With a custom domain, clients must come through it (and its TLS policy).
            disable_execute_api_endpoint=settings.domain_name is not None,
            tags=tags,
            opts=child,
        )
        models = {
            model: model_schema(model, workflow_settings.max_objects) for model in MODEL_FILES
        }
        snapshotted = self._routes(name, models, invoke_arn) + self._gateway_responses(name)
        trigger = pulumi.Output.from_input(invoke_arn).apply(
            lambda uri: definition_hash(
                deployment_document(
                    routes=ROUTES,
                    models=models,
                    gateway_responses=GATEWAY_RESPONSES,
                    integration_uri=uri,
                )
            )
        )
        # A deployment is a snapshot: it must follow every part it snapshots, and be
        # replaced when any of them changes (switching to the live alias among them).
        self.deployment = aws.apigateway.Deployment(
            f"{name}-deployment",
            rest_api=self.rest_api.id,
            description="Redeployed whenever anything the stage serves changes",
            triggers={"definition": trigger},
            opts=pulumi.ResourceOptions(parent=self, depends_on=snapshotted),
        )
        self.access_logs = aws.cloudwatch.LogGroup(
            f"{name}-access-logs",
            retention_in_days=logging.retention_days,
            kms_key_id=logging.kms_key_arn,
            tags=tags,
            opts=child,
        )
        stage_dependencies: list[pulumi.Resource] = []
        if settings.account_cloudwatch_role:
            stage_dependencies.append(self._account_logging_role(name, context, tags))
        self.stage = aws.apigateway.Stage(
            f"{name}-stage",
            rest_api=self.rest_api.id,
            deployment=self.deployment.id,
            stage_name=self.stage_name,
            xray_tracing_enabled=True,
            access_log_settings={
                "destination_arn": self.access_logs.arn,
                "format": ACCESS_LOG_FORMAT,
            },
            tags=tags,
            # Execution logging needs the account's CloudWatch role to exist first.
            opts=pulumi.ResourceOptions(parent=self, depends_on=stage_dependencies),
        )
        aws.apigateway.MethodSettings(
            f"{name}-method-settings",
            rest_api=self.rest_api.id,
            stage_name=self.stage.stage_name,
            method_path="*/*",
            settings={
                "metrics_enabled": True,
                "logging_level": settings.logging_level,
                # Full request/response logging would write bodies (and keys) to logs.
                "data_trace_enabled": False,
                "throttling_rate_limit": settings.throttle_rate_limit,
                "throttling_burst_limit": settings.throttle_burst_limit,
            },
            opts=child,
        )
        aws.lambda_.Permission(
            f"{name}-invoke-permission",
            action="lambda:InvokeFunction",
            function=self.function.function.name,
            # Only the alias: a version or $LATEST invoked directly is not API Gateway's.
            qualifier=LIVE_ALIAS,
            principal="apigateway.amazonaws.com",
            source_arn=pulumi.Output.concat(self.rest_api.execution_arn, "/*/*/*"),
            opts=child,
        )
        self.usage_plan, self.api_key = self._usage_plan(name, settings, tags)
        self.firewall = ApiFirewall(
            f"{name}-firewall",
            stage_arn=self.stage.arn,
            # WAF counts per 5 minutes; allow each address the stage's sustained rate.
            rate_limit_per_5_minutes=max(100, settings.throttle_rate_limit * 300),
            # The deploy role manages only WAF log groups named after the project.
            log_name=f"{PROJECT}-{environment_name}-{context.region}",
            retention_days=logging.retention_days,
            logs_key_arn=logging.kms_key_arn,
            tags=tags,
            opts=child,
        )
        self.url: pulumi.Output[str] = self.stage.invoke_url
        self.domain: aws.apigateway.DomainName | None = None
        if settings.domain_name and settings.hosted_zone_id:
            self.domain = self._custom_domain(
                name,
                settings.domain_name,
                settings.hosted_zone_id,
                tags,
                dns_record=args.dns_record,
                validation_record=args.validation_record,
            )
            self.url = pulumi.Output.concat("https://", settings.domain_name)
        self.register_outputs(
            {"url": self.url, "rest_api_id": self.rest_api.id, "stage": self.stage.stage_name}
        )

    def _routes(
        self, name: str, models: dict[str, dict[str, object]], invoke_arn: pulumi.Input[str]
    ) -> list[pulumi.Resource]:
        child = pulumi.ResourceOptions(parent=self)
        created: list[pulumi.Resource] = []
        validator = aws.apigateway.RequestValidator(
            f"{name}-validate-body-and-parameters",
            rest_api=self.rest_api.id,
            **VALIDATOR_SETTINGS,
            opts=child,
        )
        model_resources = {
            model: aws.apigateway.Model(
                f"{name}-model-{model}",
                rest_api=self.rest_api.id,
                name=model,
                content_type="application/json",
                schema=json.dumps(schema, sort_keys=True),
                opts=child,
            )
            for model, schema in models.items()
        }
        created += [validator, *model_resources.values()]
        resource_ids: dict[str, pulumi.Input[str]] = {"": self.rest_api.root_resource_id}
        for path in resource_paths():
            parent_path, _, part = path.rpartition("/")
            resource = aws.apigateway.Resource(
                f"{name}-resource{_slug(path)}",
                rest_api=self.rest_api.id,
                parent_id=resource_ids[parent_path],
                path_part=part,
                opts=child,
            )
            resource_ids[path] = resource.id
            created.append(resource)
        for route in ROUTES:
            label = route.method.lower() + _slug(route.path)
            method = aws.apigateway.Method(
                f"{name}-method-{label}",
                rest_api=self.rest_api.id,
                resource_id=resource_ids[route.path],
                request_validator_id=validator.id,
                **method_settings(route),
                opts=pulumi.ResourceOptions(
                    parent=self,
                    depends_on=[model_resources[route.model]] if route.model else [],
                ),
            )
            integration = aws.apigateway.Integration(
                f"{name}-integration-{label}",
                rest_api=self.rest_api.id,
                resource_id=resource_ids[route.path],
                http_method=method.http_method,
                **INTEGRATION_SETTINGS,
                uri=invoke_arn,
                opts=child,
            )
            created += [method, integration]
        return created

    def _gateway_responses(self, name: str) -> list[pulumi.Resource]:
        return [
            aws.apigateway.Response(
                f"{name}-response-{response_type.lower().replace('_', '-')}",
                rest_api_id=self.rest_api.id,
                response_type=response_type,
                status_code=status,
                response_templates={"application/json": template},
                opts=pulumi.ResourceOptions(parent=self),
            )
            for response_type, (status, template) in GATEWAY_RESPONSES.items()
        ]

    def _account_logging_role(
        self, name: str, context: AwsContext, tags: dict[str, str]
    ) -> aws.apigateway.Account:
        """API Gateway writes execution logs through one role per account and region.

        It is account-wide, so config can turn it off where another stack owns it."""
        role = service_role(
            f"{name}-cloudwatch-role",
            service="apigateway.amazonaws.com",
            description="API Gateway execution logging for this account and region",
            permissions_boundary=context.permissions_boundary,
            tags=tags,
            opts=pulumi.ResourceOptions(parent=self),
        )
        execution_logs = context.arn("logs", "log-group:API-Gateway-Execution-Logs_*")
        policy = aws.iam.RolePolicy(
            f"{name}-cloudwatch-policy",
            role=role.id,
            policy=to_json(
                [
                    allow(
                        [
                            "logs:CreateLogGroup",
                            "logs:CreateLogStream",
                            "logs:DescribeLogGroups",
                            "logs:DescribeLogStreams",
                            "logs:PutLogEvents",
                        ],
                        [execution_logs, pulumi.Output.concat(execution_logs, ":log-stream:*")],
                        sid="WriteExecutionLogs",
                    )
                ]
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        return aws.apigateway.Account(
            f"{name}-account",
            cloudwatch_role_arn=role.arn,
            opts=pulumi.ResourceOptions(parent=self, depends_on=[policy]),
        )

    def _usage_plan(
        self, name: str, settings: ApiSettings, tags: dict[str, str]
    ) -> tuple[aws.apigateway.UsagePlan, aws.apigateway.ApiKey]:
        child = pulumi.ResourceOptions(parent=self)
        plan = aws.apigateway.UsagePlan(
            f"{name}-usage-plan",
            description="Default clients: throttled and with a quota",
            api_stages=[{"api_id": self.rest_api.id, "stage": self.stage.stage_name}],
            throttle_settings={
                "rate_limit": settings.throttle_rate_limit,
                "burst_limit": settings.throttle_burst_limit,
            },
            quota_settings={"limit": settings.quota_limit, "period": settings.quota_period},
            tags=tags,
            opts=child,
        )
        key = aws.apigateway.ApiKey(
            f"{name}-default-key",
            description="Default client key (rotate with `python -m runbooks rotate-api-key`)",
            enabled=True,
            tags=tags,
            opts=child,
        )
        aws.apigateway.UsagePlanKey(
            f"{name}-default-key-plan",
            key_id=key.id,
            key_type="API_KEY",
            usage_plan_id=plan.id,
            opts=child,
        )
        return plan, key

    def _custom_domain(
        self,
        name: str,
        domain_name: str,
        zone_id: str,
        tags: dict[str, str],
        *,
        dns_record: bool,
        validation_record: bool,
    ) -> aws.apigateway.DomainName:
        """The custom domain, its certificate and (unless `dns_record` is False) its
        alias record."""
        child = pulumi.ResourceOptions(parent=self)
        certificate = aws.acm.Certificate(
            f"{name}-certificate",
            domain_name=domain_name,
            validation_method="DNS",
            tags=tags,
            opts=child,
        )
        option = certificate.domain_validation_options[0]
        validation_fqdn: pulumi.Input[str] = option.resource_record_name
        if validation_record:
            validation_fqdn = aws.route53.Record(
                f"{name}-certificate-validation-record",
                zone_id=zone_id,
                name=option.resource_record_name,
                type=option.resource_record_type,
                records=[option.resource_record_value],
                ttl=60,
                allow_overwrite=True,
                opts=child,
            ).fqdn
        validation = aws.acm.CertificateValidation(
            f"{name}-certificate-validation",
            certificate_arn=certificate.arn,
            validation_record_fqdns=[validation_fqdn],
            opts=child,
        )
        domain = aws.apigateway.DomainName(
            f"{name}-domain",
            domain_name=domain_name,
            regional_certificate_arn=validation.certificate_arn,
            endpoint_configuration={"types": "REGIONAL"},
            security_policy="TLS_1_2",
            tags=tags,
            opts=child,
        )
        aws.apigateway.BasePathMapping(
            f"{name}-base-path",
            rest_api=self.rest_api.id,
            stage_name=self.stage.stage_name,
            domain_name=domain.domain_name,
            opts=child,
        )
        if not dns_record:
            return domain
        aws.route53.Record(
            f"{name}-alias-record",
            zone_id=zone_id,
            name=domain_name,
            type="A",
            aliases=[
                {
                    "name": domain.regional_domain_name,
                    "zone_id": domain.regional_zone_id,
                    "evaluate_target_health": True,
                }
            ],
            opts=child,
        )
        return domain
