"""Provisioned concurrency on an alias, auto-scaled by target tracking.

Provisioned concurrency needs a published version behind an alias, never `$LATEST`.
"""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from serverless_platform.config import ProvisionedConcurrency


class ProvisionedConcurrencyScaling(pulumi.ComponentResource):
    """A `live` alias with provisioned executions that Application Auto Scaling keeps
    near the target `LambdaProvisionedConcurrencyUtilization`."""

    alias: aws.lambda_.Alias

    def __init__(
        self,
        name: str,
        *,
        function: aws.lambda_.Function,
        alias_name: str,
        settings: ProvisionedConcurrency,
        tags: dict[str, str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(
            "serverless-platform:scaling:ProvisionedConcurrencyScaling", name, None, opts
        )
        child = pulumi.ResourceOptions(parent=self)
        self.alias = aws.lambda_.Alias(
            f"{name}-alias",
            name=alias_name,
            function_name=function.name,
            function_version=function.version,
            description="The version API Gateway invokes",
            opts=child,
        )
        config = aws.lambda_.ProvisionedConcurrencyConfig(
            f"{name}-provisioned",
            function_name=function.name,
            qualifier=self.alias.name,
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
            resource_id=pulumi.Output.concat("function:", function.name, ":", self.alias.name),
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
        self.register_outputs({"alias_arn": self.alias.arn})
