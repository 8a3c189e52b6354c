"""The pre-traffic hook with stubbed CodeDeploy and Lambda clients (botocore Stubber:
every call the hook makes must be one a test expects, with the parameters it expects)."""

import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
from botocore.response import StreamingBody
from botocore.stub import ANY, Stubber
from deployment_hook import app
from deployment_hook.settings import HookSettings

REGION = "eu-west-1"
GUARDED = "platform-processor-function-142e7ab"
DEPLOYMENT_ID = "d-EXAMPLE123"
EXECUTION_ID = "execution-1"
# What CodeDeploy invokes a hook with.
EVENT = {"DeploymentId": DEPLOYMENT_ID, "LifecycleEventHookExecutionId": EXECUTION_ID}
# What the GradualDeploys component sets on a hook (serverless_platform/delivery/hook.py).
HOOK_ENVIRONMENT = {
    "TARGET_FUNCTION": GUARDED,
    "SMOKE_TEST": "processor",
    "POWERTOOLS_SERVICE_NAME": "processor-deployment-hook",
    "POWERTOOLS_METRICS_NAMESPACE": "ServerlessPlatformTests",
    "LOG_LEVEL": "INFO",
}


@dataclass
class LambdaContext:
    """The attributes of the Lambda context that Powertools reads."""

    function_name: str = "processor-deployment-hook"
    memory_limit_in_mb: int = 256
    invoked_function_arn: str = f"arn:aws:lambda:{REGION}:123456789012:function:hook"
    aws_request_id: str = "hook-request-id"


def appspec(name: str = GUARDED, target: object = "4") -> str:
    """The JSON AppSpec the deploy pipeline gives a deployment."""
    return json.dumps(
        {
            "version": "0.0",
            "Resources": [
                {
                    "processor": {
                        "Type": "AWS::Lambda::Function",
                        "Properties": {
                            "Name": name,
                            "Alias": "live",
                            "CurrentVersion": "3",
                            "TargetVersion": target,
                        },
                    }
                }
            ],
            "Hooks": [{"BeforeAllowTraffic": "platform-deploys-processor-hook-function"}],
        }
    )


def deployment(content: str | None) -> dict[str, Any]:
    revision: dict[str, Any] = {"revisionType": "AppSpecContent"}
    if content is not None:
        revision["appSpecContent"] = {"content": content, "sha256": "0" * 64}
    return {"deploymentInfo": {"deploymentId": DEPLOYMENT_ID, "revision": revision}}


@dataclass
class StubbedAws:
    """The hook's clients with their stubbers; `expect_*` queue the calls a test expects."""

    clients: app.HookClients
    codedeploy: Stubber
    lambda_: Stubber
    # The parameters of every Invoke the hook attempted, answered by the stub or not.
    invocations: list[dict[str, Any]]

    def expect_deployment(self, content: str | None) -> None:
        self.codedeploy.add_response(
            "get_deployment", deployment(content), {"deploymentId": DEPLOYMENT_ID}
        )

    def expect_invocation(
        self, answer: Any, *, version: str = "4", function_error: str | None = None
    ) -> None:
        body = (answer if isinstance(answer, str) else json.dumps(answer)).encode()
        response: dict[str, Any] = {
            "StatusCode": 200,
            "Payload": StreamingBody(io.BytesIO(body), len(body)),
        }
        if function_error:
            response["FunctionError"] = function_error
        self.lambda_.add_response(
            "invoke",
            response,
            {
                "FunctionName": GUARDED,
                "Qualifier": version,
                "InvocationType": "RequestResponse",
                "Payload": ANY,
            },
        )

    def expect_report(self, status: str) -> None:
        """The hook must tell CodeDeploy exactly this status, for this hook execution."""
        self.codedeploy.add_response(
            "put_lifecycle_event_hook_execution_status",
            {"lifecycleEventHookExecutionId": EXECUTION_ID},
            {
                "deploymentId": DEPLOYMENT_ID,
                "lifecycleEventHookExecutionId": EXECUTION_ID,
                "status": status,
            },
        )


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[StubbedAws]:
    # Fake credentials: a call the stubs do not answer must fail, never reach AWS.
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
    }.items():
        monkeypatch.setenv(name, value)
    clients = app.HookClients(
        codedeploy=boto3.client("codedeploy", region_name=REGION),
        lambda_=boto3.client("lambda", region_name=REGION),
    )
    invocations: list[dict[str, Any]] = []
    clients.lambda_.meta.events.register(
        "provide-client-params.lambda.Invoke",
        lambda params, **_: invocations.append(dict(params)),
    )
    with Stubber(clients.codedeploy) as codedeploy, Stubber(clients.lambda_) as lambda_:
        stubbed = StubbedAws(clients, codedeploy, lambda_, invocations)
        yield stubbed
        # Every call a test queued was made: the report above all.
        codedeploy.assert_no_pending_responses()
        lambda_.assert_no_pending_responses()


@pytest.fixture
def run_hook(aws: StubbedAws) -> Callable[..., dict[str, str]]:
    """Run a hook for `smoke_test` against the stubbed clients, as CodeDeploy invokes it."""

    def run(smoke_test: str = "processor") -> dict[str, str]:
        settings = HookSettings.from_environ({**HOOK_ENVIRONMENT, "SMOKE_TEST": smoke_test})
        handler = app.create_handler(settings, lambda: aws.clients)
        return handler(EVENT, LambdaContext())

    return run
