"""`GradualDeploys`: CodeDeploy moves each function's `live` alias to a new version by
the stack's strategy, and rolls it back by itself.

`pulumi up` publishes a new version and leaves the alias where it is (`functions.py`
says why). The deploy pipeline then starts a deployment in the function's group, with
an AppSpec (JSON) naming the function, the alias, its current version, the new version
and, when the stack has one, the pre-traffic hook (`BeforeAllowTraffic`). CodeDeploy
runs the hook, shifts the traffic (a canary, linear steps or all at once), and rolls the
alias back to the previous version when the deployment fails (the hook said Failed) or
one of the function's alarms fires while it shifts. A failure or a rollback is
published to the alerts topic, so on-call hears about it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from serverless_platform.config import DeploymentSettings, FunctionSettings
from serverless_platform.context import AwsContext
from serverless_platform.delivery.hook import HookBuild, pre_traffic_hook
from serverless_platform.functions import PlatformFunction
from serverless_platform.iam import Statement, allow, service_role, to_json

COMPUTE_PLATFORM = "Lambda"
# The only style CodeDeploy accepts for Lambda: the alias is the traffic control, the
# new version the green side.
DEPLOYMENT_OPTION, DEPLOYMENT_TYPE = "WITH_TRAFFIC_CONTROL", "BLUE_GREEN"
ROLLBACK_EVENTS = ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"]
# What on-call is told about: a deployment that failed, and the rollback that followed.
NOTIFIED_EVENTS = ["DeploymentFailure", "DeploymentRollback"]


@dataclass(frozen=True)
class DeployedFunction:
    """A function whose `live` alias CodeDeploy shifts: `slug` names its deployment
    group and its hook's smoke test; `alarms` stop a shift and roll it back."""

    slug: str
    function: PlatformFunction
    settings: FunctionSettings
    layer_arn: str
    alarms: Sequence[aws.cloudwatch.MetricAlarm]


@dataclass(frozen=True)
class AlertsTarget:
    """The encrypted topic that failed and rolled-back deployments are published to."""

    topic_arn: pulumi.Input[str]
    key_arn: pulumi.Input[str]


class GradualDeploys(pulumi.ComponentResource):
    """One CodeDeploy application for the region and, per function, a deployment group
    with its own service role (and, when configured, its pre-traffic hook).

    Its parts are attributes: `application`, and by slug `groups`, `roles` and `hooks`
    (only the functions that have one).

    In a Pulumi program (a component needs the engine, so this is not a doctest)::

        GradualDeploys("platform-deploys", functions=[DeployedFunction("processor", ...)],
            settings=config.deployment, context=context, name_prefix="serverless-platform-dev",
            alerts=AlertsTarget(topic.arn, key.arn), hook_build=HookBuild(...), tags=tags)
    """

    application: aws.codedeploy.Application
    groups: dict[str, aws.codedeploy.DeploymentGroup]
    roles: dict[str, aws.iam.Role]
    hooks: dict[str, PlatformFunction]

    def __init__(
        self,
        name: str,
        *,
        functions: Sequence[DeployedFunction],
        settings: DeploymentSettings,
        context: AwsContext,
        name_prefix: str,
        alerts: AlertsTarget,
        hook_build: HookBuild,
        tags: dict[str, str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("serverless-platform:delivery:GradualDeploys", name, None, opts)
        # Named like the alarms, so the deploy role can be scoped to the name, and known
        # before the application exists, so the hooks' policies can name its groups.
        self.application_name = name_prefix
        self.application = aws.codedeploy.Application(
            f"{name}-application",
            name=self.application_name,
            compute_platform=COMPUTE_PLATFORM,
            tags=tags,
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.groups, self.roles, self.hooks = {}, {}, {}
        for deployed in functions:
            self._deployment_group(
                f"{name}-{deployed.slug}",
                deployed,
                settings=settings,
                context=context,
                group_name=f"{name_prefix}-{deployed.slug}",
                alerts=alerts,
                hook_build=hook_build,
                tags=tags,
            )
        self.register_outputs(
            {
                "application": self.application.name,
                "deployment_groups": {
                    slug: group.deployment_group_name for slug, group in self.groups.items()
                },
            }
        )

    def _deployment_group(
        self,
        name: str,
        deployed: DeployedFunction,
        *,
        settings: DeploymentSettings,
        context: AwsContext,
        group_name: str,
        alerts: AlertsTarget,
        hook_build: HookBuild,
        tags: dict[str, str],
    ) -> None:
        child = pulumi.ResourceOptions(parent=self)
        # Known before the group exists, so the hook's policy can name it.
        group_arn = context.arn(
            "codedeploy", f"deploymentgroup:{self.application_name}/{group_name}"
        )
        hook = None
        if settings.pre_traffic_hook:
            hook = pre_traffic_hook(
                f"{name}-hook",
                slug=deployed.slug,
                guarded=deployed.function,
                guarded_settings=deployed.settings,
                layer_arn=deployed.layer_arn,
                deployment_group_arn=group_arn,
                build=hook_build,
                tags=tags,
                opts=child,
            )
            self.hooks[deployed.slug] = hook
        role = service_role(
            f"{name}-codedeploy-role",
            service="codedeploy.amazonaws.com",
            description=f"CodeDeploy shifting the live alias of the {deployed.slug} function",
            permissions_boundary=context.permissions_boundary,
            tags=tags,
            opts=child,
        )
        policy = aws.iam.RolePolicy(
            f"{name}-codedeploy-policy",
            role=role.id,
            policy=to_json(_codedeploy_statements(deployed, hook, alerts)),
            opts=child,
        )
        self.roles[deployed.slug] = role
        self.groups[deployed.slug] = aws.codedeploy.DeploymentGroup(
            f"{name}-group",
            app_name=self.application.name,
            deployment_group_name=group_name,
            service_role_arn=role.arn,
            deployment_config_name=settings.strategy,
            deployment_style=aws.codedeploy.DeploymentGroupDeploymentStyleArgs(
                deployment_option=DEPLOYMENT_OPTION, deployment_type=DEPLOYMENT_TYPE
            ),
            auto_rollback_configuration=aws.codedeploy.DeploymentGroupAutoRollbackConfigurationArgs(
                enabled=True, events=ROLLBACK_EVENTS
            ),
            alarm_configuration=aws.codedeploy.DeploymentGroupAlarmConfigurationArgs(
                enabled=True, alarms=[alarm.name for alarm in deployed.alarms]
            ),
            trigger_configurations=[
                aws.codedeploy.DeploymentGroupTriggerConfigurationArgs(
                    trigger_name="failed-or-rolled-back",
                    trigger_events=NOTIFIED_EVENTS,
                    trigger_target_arn=alerts.topic_arn,
                )
            ],
            # The group's function, which its deployments' AppSpecs name (the pack links
            # a group to its function by this tag).
            tags={**tags, "Function": deployed.function.function.name},
            # CodeDeploy checks the role (its alarms, its topic) when the group is written.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[policy]),
        )


def _codedeploy_statements(
    deployed: DeployedFunction, hook: PlatformFunction | None, alerts: AlertsTarget
) -> list[Statement]:
    """What CodeDeploy needs for this one function: the rights of AWS's
    `AWSCodeDeployRoleForLambdaLimited`, each scoped to this function's resources."""
    function_arn = deployed.function.function.arn
    statements = [
        # Alias actions authorize on the function; provisioned concurrency on the alias
        # or version (CodeDeploy waits for the new version's to be ready).
        allow(
            ["lambda:GetAlias", "lambda:GetProvisionedConcurrencyConfig", "lambda:UpdateAlias"],
            [function_arn, pulumi.Output.concat(function_arn, ":*")],
            sid="ShiftLiveAlias",
        ),
        allow(
            ["cloudwatch:DescribeAlarms"],
            [alarm.arn for alarm in deployed.alarms],
            sid="WatchRollbackAlarms",
        ),
        # The group's trigger publishes as this role; the topic is SSE-KMS, and its key
        # lets the account's IAM policies grant its use.
        allow(["sns:Publish"], [alerts.topic_arn], sid="NotifyAlertsTopic"),
        allow(
            ["kms:Decrypt", "kms:GenerateDataKey"], [alerts.key_arn], sid="EncryptForAlertsTopic"
        ),
    ]
    if hook is not None:
        statements.append(
            allow(["lambda:InvokeFunction"], [hook.function.arn], sid="InvokePreTrafficHook")
        )
    return statements
