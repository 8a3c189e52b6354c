"""`PlatformFunction`: how every Lambda function in the platform is built.

Each function gets its own role (never shared), an inline policy of exact ARNs, an
explicit KMS-encrypted log group with retention, JSON logs, active X-Ray tracing,
reserved concurrency, arm64 python3.12 and the pinned public Powertools layer.

A function that clients reach (the processor through the ingest queue, the api through
API Gateway) runs behind a `live` alias: every deploy publishes a version, and
CodeDeploy moves the alias to it gradually (`serverless_platform/delivery/`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from serverless_platform.config import FunctionSettings
from serverless_platform.iam import Statement, allow, service_role, to_json, xray_write
from serverless_platform.packaging import function_archive, handler_of

RUNTIME = "python3.12"
# The public Powertools layer is published by AWS in this account in every commercial region.
POWERTOOLS_LAYER_ACCOUNT = "017000801446"
# The alias event sources and API Gateway invoke; CodeDeploy shifts it between versions.
LIVE_ALIAS = "live"
# The alias properties CodeDeploy owns once the alias exists (see `_live_alias`).
CODEDEPLOY_OWNED_ALIAS_PROPERTIES = ["functionVersion", "routingConfig"]


def powertools_layer_arn(region: str, architecture: str, version: int) -> str:
    runtime = RUNTIME.replace(".", "")
    return (
        f"arn:aws:lambda:{region}:{POWERTOOLS_LAYER_ACCOUNT}:layer:"
        f"AWSLambdaPowertoolsPythonV3-{runtime}-{architecture}:{version}"
    )


@dataclass(frozen=True)
class LoggingSettings:
    retention_days: int
    level: str
    kms_key_arn: pulumi.Input[str]


class PlatformFunction(pulumi.ComponentResource):
    """A Lambda function with its role, log group and least-privilege policy.

    In a Pulumi program (a component needs the engine, so this is not a doctest)::

        PlatformFunction("processor", code_dir="processor", settings=settings,
            statements=[allow(["sqs:ReceiveMessage"], [queue.arn])], ...)
    """

    function: aws.lambda_.Function
    role: aws.iam.Role
    log_group: aws.cloudwatch.LogGroup
    # The `live` alias, for a function built with `live_alias=True`.
    alias: aws.lambda_.Alias | None

    def __init__(
        self,
        name: str,
        *,
        code_dir: str,
        description: str,
        settings: FunctionSettings,
        logging: LoggingSettings,
        environment_key_arn: pulumi.Input[str],
        layer_arn: str,
        environment: Mapping[str, pulumi.Input[str]],
        statements: Sequence[Statement],
        tags: dict[str, str],
        permissions_boundary: str | None = None,
        live_alias: bool = False,
        alias_history: Sequence[pulumi.Alias] = (),
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """`live_alias` publishes a version on every change and puts the `live` alias in
        front of it; `alias_history` names where that alias was declared before, so that
        moving it in the code does not replace it."""
        super().__init__("serverless-platform:functions:PlatformFunction", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        self.log_group = aws.cloudwatch.LogGroup(
            f"{name}-logs",
            retention_in_days=logging.retention_days,
            kms_key_id=logging.kms_key_arn,
            tags=tags,
            opts=child,
        )
        self.role = service_role(
            f"{name}-role",
            service="lambda.amazonaws.com",
            description=f"Execution role of the {name} function (used by no other function)",
            permissions_boundary=permissions_boundary,
            tags=tags,
            opts=child,
        )
        logs_statement = allow(
            ["logs:CreateLogStream", "logs:PutLogEvents"],
            [pulumi.Output.concat(self.log_group.arn, ":log-stream:*")],
            sid="WriteOwnLogGroup",
        )
        environment_key_statement = allow(
            ["kms:Decrypt"], [environment_key_arn], sid="DecryptOwnEnvironment"
        )
        self.policy = aws.iam.RolePolicy(
            f"{name}-policy",
            role=self.role.id,
            policy=to_json([logs_statement, environment_key_statement, xray_write(), *statements]),
            opts=child,
        )
        self.function = aws.lambda_.Function(
            f"{name}-function",
            description=description,
            runtime=RUNTIME,
            architectures=[settings.architecture],
            handler=handler_of(code_dir),
            code=function_archive(code_dir),
            role=self.role.arn,
            memory_size=settings.memory_mb,
            timeout=settings.timeout_seconds,
            reserved_concurrent_executions=settings.reserved_concurrency,
            # A published version is what an alias (and provisioned concurrency) points at.
            publish=live_alias,
            layers=[layer_arn],
            kms_key_arn=environment_key_arn,
            environment={"variables": dict(environment)},
            tracing_config={"mode": "Active"},
            logging_config={
                "log_format": "JSON",
                "log_group": self.log_group.name,
                "application_log_level": logging.level.replace("WARNING", "WARN"),
                "system_log_level": "WARN",
            },
            tags=tags,
            # The role's policy must exist before the first invocation can log or trace.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self.policy]),
        )
        self.alias = self._live_alias(name, alias_history) if live_alias else None
        outputs: dict[str, pulumi.Input[str]] = {
            "function_name": self.function.name,
            "role_arn": self.role.arn,
        }
        if self.alias is not None:
            outputs["alias_arn"] = self.alias.arn
        self.register_outputs(outputs)

    @property
    def live(self) -> aws.lambda_.Alias:
        """The `live` alias; only a function built with `live_alias=True` has one."""
        if self.alias is None:
            raise ValueError(
                f"function '{self.pulumi_resource_name}' was built without live_alias=True"
            )
        return self.alias

    def _live_alias(self, name: str, history: Sequence[pulumi.Alias]) -> aws.lambda_.Alias:
        """The `live` alias, created at the version this deploy published.

        After that, CodeDeploy owns which version it points at: a deployment moves
        `function_version` to the new version, weighting `routing_config` on the way. Were
        Pulumi to manage either, every `pulumi up` would move the alias straight to the
        newest version (all at once, skipping the canary, the alarms and the hook), and an
        up during a shift would wipe the weights. So both are ignored once created, and a
        new version goes live only through a CodeDeploy deployment.
        """
        return aws.lambda_.Alias(
            f"{name}-live",
            name=LIVE_ALIAS,
            function_name=self.function.name,
            function_version=self.function.version,
            description="The version clients invoke; CodeDeploy moves it between versions",
            opts=pulumi.ResourceOptions(
                parent=self,
                ignore_changes=CODEDEPLOY_OWNED_ALIAS_PROPERTIES,
                aliases=list(history),
            ),
        )
