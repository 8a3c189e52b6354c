"""The api function against moto: its environment, AWS resources and event factories."""

import io
import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from serverless_platform.api.definition import ROUTES
from serverless_platform.data.storage import INCOMING_PREFIX
from serverless_platform.data.table import STATUS_INDEX
from tests.moto_tables import create_results_table

# Powertools reads these when the module is imported, so they are set before it is.
os.environ.setdefault("POWERTOOLS_SERVICE_NAME", "api")
os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "ServerlessPlatformTests")

from api import app as api_app
from api import bodies, runtime

REGION = "eu-west-1"
ACCOUNT = "123456789012"
TABLE = "results"
BUCKET = "ingest-bucket"
DATA_KEY_ARN = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
MAX_REPROCESS_KEYS = 3
# Object keys pass straight through; a prefix under incoming/fail/ fails with Error and
# Cause, as the real workflow does for invalid input.
STATE_MACHINE_DEFINITION = {
    "StartAt": "Route",
    "States": {
        "Route": {
            "Type": "Choice",
            "Choices": [
                {"Variable": "$.prefix", "StringMatches": "incoming/fail/*", "Next": "Reject"}
            ],
            "Default": "Summarise",
        },
        "Reject": {"Type": "Fail", "Error": "InvalidInput", "Cause": "nothing under this prefix"},
        "Summarise": {
            "Type": "Pass",
            "Parameters": {"succeeded": 2, "failed": 0, "requested_by.$": "$.requested_by"},
            "End": True,
        },
    },
}

# What the Api component sets on the function (serverless_platform/api/rest_api.py), plus fake
# credentials for moto.
ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_REGION": REGION,
    "RESULTS_TABLE": TABLE,
    "RESULTS_INDEX": STATUS_INDEX,
    "INGEST_BUCKET": BUCKET,
    "INCOMING_PREFIX": INCOMING_PREFIX,
    "DATA_KEY_ARN": DATA_KEY_ARN,
    "UPLOAD_URL_EXPIRY_SECONDS": "900",
    "MAX_REPROCESS_KEYS": str(MAX_REPROCESS_KEYS),
    "POWERTOOLS_SERVICE_NAME": "api",
    "POWERTOOLS_METRICS_NAMESPACE": "ServerlessPlatformTests",
    "LOG_LEVEL": "INFO",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Routes that only read publish no application metric; Powertools warns about that.
    here = Path(__file__).parent
    for item in items:
        if item.path.is_relative_to(here):
            item.add_marker(pytest.mark.filterwarnings("ignore:No application metrics"))


def reset_api_function() -> None:
    """A fresh execution environment: settings, clients and validators built again."""
    for cached in (
        runtime.settings,
        runtime.dynamodb,
        runtime.s3,
        runtime.stepfunctions,
        bodies.body_validators,
    ):
        cached.cache_clear()


@dataclass
class LambdaContext:
    function_name: str = "api"
    memory_limit_in_mb: int = 256
    invoked_function_arn: str = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:api"
    aws_request_id: str = "lambda-request-id"


@dataclass
class ApiResponse:
    status: int
    headers: dict[str, str]
    body: Any
    raw_body: str = field(repr=False)


@dataclass
class AwsResources:
    dynamodb: Any
    s3: Any
    stepfunctions: Any
    state_machine_arn: str


@pytest.fixture
def api_environment(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The variables the infrastructure sets, in a fresh execution environment."""
    for name, value in ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    reset_api_function()
    return ENVIRONMENT


@pytest.fixture
def aws(api_environment: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Iterator[AwsResources]:
    with mock_aws(config={"stepfunctions": {"execute_state_machine": True}}):
        dynamodb = boto3.client("dynamodb", region_name=REGION)
        create_results_table(dynamodb, TABLE)
        s3 = boto3.client("s3", region_name=REGION)
        s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
        stepfunctions = boto3.client("stepfunctions", region_name=REGION)
        state_machine_arn = stepfunctions.create_state_machine(
            name="reprocess",
            definition=json.dumps(STATE_MACHINE_DEFINITION),
            roleArn=f"arn:aws:iam::{ACCOUNT}:role/reprocess",
        )["stateMachineArn"]
        monkeypatch.setenv("STATE_MACHINE_ARN", state_machine_arn)
        yield AwsResources(dynamodb, s3, stepfunctions, state_machine_arn)


def _resource_for(path: str) -> tuple[str, dict[str, str] | None]:
    """The API Gateway resource a path falls under, and its path parameters."""
    templates = sorted({route.path for route in ROUTES}, key=lambda t: "{" in t)
    for template in templates:
        pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))
        match = re.fullmatch(pattern, path)
        if match:
            return template, match.groupdict() or None
    return path, None


@pytest.fixture
def api_logs(monkeypatch: pytest.MonkeyPatch) -> Callable[[], list[dict[str, Any]]]:
    """The function's JSON log lines so far (Powertools' handler kept the stdout it was
    imported with, so capsys cannot see them)."""
    stream = io.StringIO()
    monkeypatch.setattr(runtime.logger.registered_handler, "stream", stream)
    return lambda: [json.loads(line) for line in stream.getvalue().splitlines()]


@pytest.fixture
def api_event() -> Callable[..., dict[str, Any]]:
    """A REST API (v1) Lambda proxy event, as API Gateway sends it."""

    def build(
        method: str,
        path: str,
        *,
        body: Any = None,
        query: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        request_id: str = "gateway-request-id",
    ) -> dict[str, Any]:
        resource, path_parameters = _resource_for(path)
        all_headers = {"Content-Type": "application/json", "x-api-key": "secret-key"}
        all_headers |= headers or {}
        return {
            "resource": resource,
            "path": path,
            "httpMethod": method,
            "headers": all_headers,
            "multiValueHeaders": {k: [v] for k, v in all_headers.items()},
            "queryStringParameters": query,
            "multiValueQueryStringParameters": {k: [v] for k, v in query.items()}
            if query
            else None,
            "pathParameters": path_parameters,
            "stageVariables": None,
            "requestContext": {
                "resourcePath": resource,
                "httpMethod": method,
                "path": f"/dev{path}",
                "stage": "dev",
                "requestId": request_id,
                "accountId": ACCOUNT,
                "apiId": "abc123",
                "identity": {"apiKeyId": "key-id-1", "sourceIp": "192.0.2.1"},
            },
            "body": body if isinstance(body, str) or body is None else json.dumps(body),
            "isBase64Encoded": False,
        }

    return build


@pytest.fixture
def call_api(
    aws: AwsResources, api_event: Callable[..., dict[str, Any]]
) -> Callable[..., ApiResponse]:
    """Invoke the handler with a built event; the response body decoded from JSON."""

    def call(method: str, path: str, **event_options: Any) -> ApiResponse:
        response = api_app.handler(api_event(method, path, **event_options), LambdaContext())
        headers = {k: ", ".join(v) for k, v in response.get("multiValueHeaders", {}).items()}
        headers |= response.get("headers") or {}
        return ApiResponse(
            status=response["statusCode"],
            headers=headers,
            body=json.loads(response["body"]),
            raw_body=response["body"],
        )

    return call
