"""The pre-traffic hook: CodeDeploy invokes it (`BeforeAllowTraffic`) before it moves
any traffic of the guarded function's `live` alias to a new version.

The hook reads the deployment's AppSpec for the version under test, invokes that version
with the function's smoke test (`smoke.py`), and reports `Succeeded` or `Failed` to
CodeDeploy. A `Failed` fails the deployment, which rolls the alias back before any client
reached the new version. The hook always reports: one that never does holds the
deployment for an hour before CodeDeploy gives up.

The AppSpec is the deploy pipeline's, as JSON::

    {"version": "0.0",
     "Resources": [{"processor": {"Type": "AWS::Lambda::Function", "Properties": {
         "Name": "<function>", "Alias": "live", "CurrentVersion": "3", "TargetVersion": "4"}}}],
     "Hooks": [{"BeforeAllowTraffic": "<this hook's function name>"}]}
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import boto3  # type: ignore[import-untyped, unused-ignore]
from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.config import Config  # type: ignore[import-untyped, unused-ignore]
from shared.clients import RETRYING_CONFIG

from deployment_hook.settings import HookSettings
from deployment_hook.smoke import SMOKE_TESTS, SmokeTest, quoted

# The version under test is invoked once (a retry could hide a flaky version), and waited
# for as long as the hook's own timeout allows.
_INVOKE_CONFIG = Config(
    retries={"mode": "standard", "max_attempts": 1}, connect_timeout=5, read_timeout=900
)


class HookStatus(StrEnum):
    """What the hook reports to CodeDeploy (the only two values it accepts)."""

    SUCCEEDED = "Succeeded"
    FAILED = "Failed"


@dataclass(frozen=True)
class HookClients:
    """The clients the hook calls (boto3 clients are untyped, hence Any)."""

    codedeploy: Any
    lambda_: Any


@functools.cache
def default_clients() -> HookClients:
    return HookClients(
        # Retried: the status report above all must get through.
        codedeploy=boto3.client("codedeploy", config=RETRYING_CONFIG),
        lambda_=boto3.client("lambda", config=_INVOKE_CONFIG),
    )


class VersionUnderTestError(ValueError):
    """The deployment does not say which version of the guarded function to test."""


def version_under_test(deployment: Mapping[str, Any], function_name: str) -> str:
    """The `TargetVersion` the deployment's AppSpec gives the guarded function.

    Example:
        >>> appspec = {"Resources": [{"api": {"Type": "AWS::Lambda::Function",
        ...     "Properties": {"Name": "api-fn", "Alias": "live", "TargetVersion": "7"}}}]}
        >>> deployment = {"revision": {"appSpecContent": {"content": json.dumps(appspec)}}}
        >>> version_under_test(deployment, "api-fn")
        '7'
    """
    revision = deployment.get("revision") or {}
    content = (revision.get("appSpecContent") or revision.get("string") or {}).get("content")
    if not content:
        raise VersionUnderTestError("the deployment carries no AppSpec content")
    try:
        appspec = json.loads(content)
    except ValueError:
        raise VersionUnderTestError("the deployment's AppSpec is not JSON") from None
    resources = appspec.get("Resources") if isinstance(appspec, dict) else None
    # Resources: [{logical name: {"Type": ..., "Properties": {...}}}]; anything else is skipped.
    declared = (
        entry.get("Properties")
        for resource in (resources if isinstance(resources, list) else [])
        if isinstance(resource, dict)
        for entry in resource.values()
        if isinstance(entry, dict)
    )
    properties = next(
        (p for p in declared if isinstance(p, dict) and _is_function(p.get("Name"), function_name)),
        None,
    )
    if properties is None:
        raise VersionUnderTestError(f"the deployment's AppSpec does not deploy {function_name}")
    target = str(properties.get("TargetVersion", ""))
    if not target.isdigit():
        raise VersionUnderTestError(
            f"the AppSpec's TargetVersion for {function_name} is {target!r}, not a version number"
        )
    return target


def _is_function(name: Any, function_name: str) -> bool:
    """Whether the AppSpec's `Name` (a name or an ARN) is the function's."""
    return isinstance(name, str) and (
        name == function_name or name.endswith(f":function:{function_name}")
    )


def try_version(lambda_: Any, function_name: str, version: str, test: SmokeTest) -> str | None:
    """Invoke `version` with the smoke test's event: None when it answered as a healthy
    version does, else what went wrong."""
    response = lambda_.invoke(
        FunctionName=function_name,
        Qualifier=version,
        InvocationType="RequestResponse",
        Payload=json.dumps(test.event(f"deployment-hook-{version}")).encode(),
    )
    payload = response["Payload"].read().decode("utf-8", errors="replace")
    if response.get("FunctionError"):
        return f"version {version} failed ({response['FunctionError']}): {quoted(payload)}"
    try:
        answer = json.loads(payload)
    except ValueError:
        return f"version {version} answered with something that is not JSON: {quoted(payload)}"
    return test.verdict(answer)


Handler = Callable[[dict[str, Any], LambdaContext], dict[str, str]]


def create_handler(settings: HookSettings, clients: Callable[[], HookClients]) -> Handler:
    """A Lambda handler for `settings`' function and smoke test; tests pass their own
    clients (stubbed)."""
    logger = Logger(service=settings.service_name, level=settings.log_level)
    tracer = Tracer(service=settings.service_name)
    test = SMOKE_TESTS[settings.smoke_test]

    def verdict(deployment_id: str) -> str | None:
        deployment = clients().codedeploy.get_deployment(deploymentId=deployment_id)
        version = version_under_test(deployment["deploymentInfo"], settings.target_function)
        logger.append_keys(version=version)
        logger.info("Testing the new version", extra={"smoke_test": test.description})
        return try_version(clients().lambda_, settings.target_function, version, test)

    @logger.inject_lambda_context(clear_state=True)
    @tracer.capture_lambda_handler(capture_response=False)
    def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, str]:
        deployment_id = event["DeploymentId"]
        logger.append_keys(deployment_id=deployment_id, function=settings.target_function)
        status = HookStatus.FAILED
        try:
            problem = verdict(deployment_id)
            if problem is None:
                status = HookStatus.SUCCEEDED
                logger.info("The new version answered as a healthy version does")
            else:
                logger.error("The new version failed its smoke test", extra={"problem": problem})
        except VersionUnderTestError as error:
            logger.error("No version to test", extra={"problem": str(error)})
        # Whatever went wrong (throttling, a permission, a bug here), the deployment must
        # hear Failed now rather than time out in an hour.
        except Exception:
            logger.exception("The hook could not test the new version")
        clients().codedeploy.put_lifecycle_event_hook_execution_status(
            deploymentId=deployment_id,
            lifecycleEventHookExecutionId=event["LifecycleEventHookExecutionId"],
            status=status.value,
        )
        return {"status": status.value}

    return handler


@functools.cache
def _configured_handler() -> Handler:
    """The handler for this function's environment, validated on the first invocation: a
    misconfigured hook fails it naming the variable in its log. It can then report
    nothing, and the deployment fails when CodeDeploy's hour for the hook runs out."""
    return create_handler(HookSettings.from_environ(os.environ), default_clients)


def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, str]:
    """The entry point Lambda calls (`deployment_hook.app.handler`)."""
    return _configured_handler()(event, context)
