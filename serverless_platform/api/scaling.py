"""Provisioned concurrency on an alias, auto-scaled by target tracking.

Provisioned concurrency needs a published version behind an alias, never `$LATEST`.
On the `live` alias it follows CodeDeploy's shifts: Lambda provisions the new version
as traffic moves to it.
"""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from serverless_platform.config import ProvisionedConcurrency

# The component's type, which `previous_alias` names.
SCALING_TYPE = "serverless-platform:scaling:ProvisionedConcurrencyScaling"


def previous_alias(name: str, parent: pulumi.Resource) -> pulumi.Alias:
    """Where the `live` alias of the function `name` was declared before PlatformFunction
    owned it: as `<name>-live-alias` in this component (named `<name>-live`) under
    `parent`. Naming it keeps the deployed alias (and its provisioned concurrency)."""
    return pulumi.Alias(
        name=f"{name}-live-alias",
        parent=pulumi.create_urn(f"{name}-live", SCALING_TYPE, parent=parent),
    )


class ProvisionedConcurrencyScaling(pulumi.ComponentResource):
    """Provisioned executions on an alias that Application Auto Scaling keeps near the
    target `LambdaProvisionedConcurrencyUtilization`."""

    def __init__(
        self,
        name: str,
        *,
        function: aws.lambda_.Function,
        alias: aws.lambda_.Alias,
        settings: ProvisionedConcurrency,
        tags: dict[str, str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(SCALING_TYPE, name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        config = aws.lambda_.ProvisionedConcurrencyConfig(
            f"{name}-provisioned",
            function_name=function.name,
            qualifier=alias.name,
            provisioned_concurrent_executions=settings.minimum,
            # Auto Scaling owns the number after the first deploy.
            opts=pulumi.ResourceOptions(
                parent=self, ignore_changes=["provisionedConcurrentExecutions"]
            ),
        )
        target = aws.appautoscaling.Target(
            f"{name}-scaling-target",
            service_namespace="lambda",
            scalable_dimension="lambda:function:ProvisionedConcurrency",
            resource_id=pulumi.Output.concat("function:", function.name, ":", alias.name),
            min_capacity=settings.minimum,
            max_capacity=settings.maximum,
            tags=tags,
            opts=pulumi.ResourceOptions(parent=self, depends_on=[config]),
        )
        aws.appautoscaling.Policy(
            f"{name}-scaling-policy",
            policy_type="TargetTrackingScaling",
            service_namespace=target.service_namespace,
            scalable_dimension=target.scalable_dimension,
            resource_id=target.resource_id,
            target_tracking_scaling_policy_configuration={
                "target_value": settings.target_utilization,
                "predefined_metric_specification": {
                    "predefined_metric_type": "LambdaProvisionedConcurrencyUtilization"
                },
            },
            opts=child,
        )
        self.register_outputs({"alias_arn": alias.arn})
