"""The pre-traffic hook: before CodeDeploy moves any traffic to a new version, a small
function invokes that version with a known event and reports whether it answered as a
healthy version does (`lambda_functions/deployment_hook/`).

Each guarded function gets its own hook, whose role may read and report on the
deployments of that function's deployment group, and invoke versions of that function:
nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi

from serverless_platform.config import FunctionSettings
from serverless_platform.functions import LoggingSettings, PlatformFunction
from serverless_platform.iam import allow

HOOK_CODE_DIR = "deployment_hook"
# The hook waits for the invocation it makes: the guarded function's timeout, plus time
# to read the deployment and report its verdict.
HOOK_TIMEOUT_MARGIN_SECONDS = 30
MAX_LAMBDA_TIMEOUT_SECONDS = 900
HOOK_MEMORY_MB = 256
# One deployment of a group runs at a time; the second execution is room for a retry.
HOOK_RESERVED_CONCURRENCY = 2


@dataclass(frozen=True)
class HookBuild:
    """What the hooks are built with, like every other function of the platform."""

    logging: LoggingSettings
    environment_key_arn: pulumi.Input[str]
    metrics_namespace: str
    permissions_boundary: str | None


def hook_settings(guarded: FunctionSettings) -> FunctionSettings:
    """Small, on the guarded function's architecture (so the same layer fits), and
    patient enough to wait for the guarded function to answer.

    Example:
        >>> hook_settings(FunctionSettings(timeout_seconds=60)).timeout_seconds
        90
    """
    return FunctionSettings(
        memory_mb=HOOK_MEMORY_MB,
        timeout_seconds=min(
            MAX_LAMBDA_TIMEOUT_SECONDS, guarded.timeout_seconds + HOOK_TIMEOUT_MARGIN_SECONDS
        ),
        architecture=guarded.architecture,
        reserved_concurrency=HOOK_RESERVED_CONCURRENCY,
    )


def pre_traffic_hook(
    name: str,
    *,
    slug: str,
    guarded: PlatformFunction,
    guarded_settings: FunctionSettings,
    layer_arn: str,
    deployment_group_arn: pulumi.Input[str],
    build: HookBuild,
    tags: dict[str, str],
    opts: pulumi.ResourceOptions,
) -> PlatformFunction:
    """The hook of the function `slug` (`processor` or `api`: its smoke test)."""
    function = guarded.function
    return PlatformFunction(
        name,
        code_dir=HOOK_CODE_DIR,
        description=f"Tests a new {slug} version before CodeDeploy sends it traffic",
        settings=hook_settings(guarded_settings),
        logging=build.logging,
        environment_key_arn=build.environment_key_arn,
        layer_arn=layer_arn,
        environment={
            "TARGET_FUNCTION": function.name,
            "SMOKE_TEST": slug,
            "POWERTOOLS_SERVICE_NAME": f"{slug}-deployment-hook",
            "POWERTOOLS_METRICS_NAMESPACE": build.metrics_namespace,
            "LOG_LEVEL": build.logging.level,
        },
        statements=[
            # The deployment's AppSpec names the version to test.
            allow(["codedeploy:GetDeployment"], [deployment_group_arn], sid="ReadOwnDeployments"),
            allow(
                ["codedeploy:PutLifecycleEventHookExecutionStatus"],
                [deployment_group_arn],
                sid="ReportOwnHookStatus",
            ),
            # The version under test is only known during the deployment: any version of
            # the guarded function, and of no other.
            allow(
                ["lambda:InvokeFunction"],
                [pulumi.Output.concat(function.arn, ":*")],
                sid="InvokeGuardedFunctionVersions",
            ),
        ],
        tags=tags,
        permissions_boundary=build.permissions_boundary,
        opts=opts,
    )
