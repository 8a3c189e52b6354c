"""The reprocess workflow: its definition, its two step functions against moto, and
factories for objects and function modules."""

import functools
import importlib
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import boto3
import pytest
from boto3.dynamodb.types import TypeDeserializer
from botocore.exceptions import ClientError
from moto import mock_aws

from serverless_platform.workflow.definition import build_definition

REGION = "eu-west-1"
ACCOUNT = "123456789012"
BUCKET = "ingest-bucket"
TABLE = "results"
MAX_OBJECTS = 20
MAX_CONCURRENCY = 4
FAILED_KEYS_CAP = 3
MAX_OBJECT_BYTES = 1024 * 1024
LIST_FUNCTION_ARN = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:workflow-list"
PROCESS_FUNCTION_ARN = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:workflow-process"
ALERTS_TOPIC_ARN = f"arn:aws:sns:{REGION}:{ACCOUNT}:alerts"

# What the Workflow component sets on each function (serverless_platform/workflow/reprocess.py).
ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_REGION": REGION,
    "INGEST_BUCKET": BUCKET,
    "MAX_OBJECTS": str(MAX_OBJECTS),
    "RESULTS_TABLE": TABLE,
    "MAX_OBJECT_BYTES": str(MAX_OBJECT_BYTES),
    "RESULT_TTL_DAYS": "30",
    "POWERTOOLS_SERVICE_NAME": "workflow",
    "POWERTOOLS_METRICS_NAMESPACE": "ServerlessPlatformTests",
    "LOG_LEVEL": "INFO",
}


def reprocess_definition(**overrides: Any) -> dict[str, Any]:
    arguments: dict[str, Any] = {
        "list_function_arn": LIST_FUNCTION_ARN,
        "process_function_arn": PROCESS_FUNCTION_ARN,
        "alerts_topic_arn": ALERTS_TOPIC_ARN,
        "bucket_name": BUCKET,
        "max_objects": MAX_OBJECTS,
        "max_concurrency": MAX_CONCURRENCY,
        "failed_keys_cap": FAILED_KEYS_CAP,
    }
    return build_definition(**{**arguments, **overrides})


@pytest.fixture
def definition() -> dict[str, Any]:
    return reprocess_definition()


@pytest.fixture(autouse=True)
def function_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in ENVIRONMENT.items():
        monkeypatch.setenv(name, value)


@functools.cache
def test_clients() -> Any:
    """Clients for the tests' own calls, built once (a client costs about 0.1 s); moto
    intercepts every client whenever a mock is active."""
    from shared.clients import AwsClients

    return AwsClients(
        s3=boto3.client("s3", region_name=REGION),
        dynamodb=boto3.client("dynamodb", region_name=REGION),
    )


@pytest.fixture
def aws(function_environment: None) -> Iterator[None]:
    """moto with the ingest bucket (versioned) and the results table (pk/sk)."""
    with mock_aws():
        s3, dynamodb = test_clients().s3, test_clients().dynamodb
        s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
        s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
        dynamodb.create_table(
            TableName=TABLE,
            KeySchema=[
                {"AttributeName": "pk", "KeyType": "HASH"},
                {"AttributeName": "sk", "KeyType": "RANGE"},
            ],
            AttributeDefinitions=[
                {"AttributeName": "pk", "AttributeType": "S"},
                {"AttributeName": "sk", "AttributeType": "S"},
            ],
            BillingMode="PAY_PER_REQUEST",
        )
        yield


@pytest.fixture
def clients(aws: None) -> Any:
    return test_clients()


@pytest.fixture
def put_object(aws: None) -> Callable[..., str]:
    """Uploads `body` under `key`; returns the version id."""

    def put(key: str, body: bytes | str = b'{"id": 1}', content_type: str | None = None) -> str:
        extra = {"ContentType": content_type} if content_type else {}
        data = body.encode() if isinstance(body, str) else body
        response = test_clients().s3.put_object(Bucket=BUCKET, Key=key, Body=data, **extra)
        return str(response["VersionId"])

    return put


def fresh_function(module_name: str) -> ModuleType:
    """The function module as a new execution environment sees it: caches cleared."""
    module = importlib.import_module(module_name)
    for value in vars(module).values():
        if callable(getattr(value, "cache_clear", None)):
            value.cache_clear()
    return module


@pytest.fixture
def list_app(aws: None) -> ModuleType:
    return fresh_function("workflow_list.app")


def result_items() -> list[dict[str, Any]]:
    """Every item in the results table, as plain Python values."""
    deserializer = TypeDeserializer()
    items = test_clients().dynamodb.scan(TableName=TABLE, ConsistentRead=True)["Items"]
    return [{k: deserializer.deserialize(v) for k, v in item.items()} for item in items]


@pytest.fixture
def process_app(aws: None) -> ModuleType:
    return fresh_function("workflow_process.app")


class FlakyClient:
    """A boto3 client whose `operation` raises `error` on its first `times` calls that
    `when(params)` selects; everything else goes to the real (moto) client."""

    def __init__(
        self,
        client: Any,
        operation: str,
        error: Exception,
        *,
        times: int = 1_000_000,
        when: Callable[[dict[str, Any]], bool] = lambda params: True,
    ) -> None:
        self._client, self._operation, self._error = client, operation, error
        self._remaining, self._when = times, when
        self.failures = 0

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._client, name)
        if name != self._operation:
            return attribute

        def call(**params: Any) -> Any:
            if self._remaining > 0 and self._when(params):
                self._remaining -= 1
                self.failures += 1
                raise self._error
            return attribute(**params)

        return call


def aws_error(code: str, status: int, operation: str) -> ClientError:
    """A ClientError as botocore raises it once its own retries are spent."""
    response = {"Error": {"Code": code, "Message": f"injected {code}"}}
    return ClientError({**response, "ResponseMetadata": {"HTTPStatusCode": status}}, operation)  # type: ignore[arg-type]


class FailingListing:
    """An S3 client whose ListObjectsV2 pages fail with `code` after the first page."""

    def __init__(self, code: str, status: int) -> None:
        self.error = aws_error(code, status, "ListObjectsV2")

    def get_paginator(self, _: str) -> "FailingListing":
        return self

    def paginate(self, **_: Any) -> Iterator[dict[str, Any]]:
        yield {"Contents": [{"Key": "incoming/a.json"}]}
        raise self.error
