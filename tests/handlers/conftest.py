"""The processor function against moto: its environment, AWS resources, event factories
and fault injection."""

import functools
import io
import itertools
import json
import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_plus

import boto3
import pytest
from boto3.dynamodb.types import TypeDeserializer
from botocore.exceptions import ClientError
from moto import mock_aws

from tests.moto_tables import create_results_table as create_table

REGION = "eu-west-1"
ACCOUNT = "123456789012"
BUCKET = "ingest-bucket"

# The processor validates its settings and Powertools reads its own when the module is
# imported, so they are in place before any test module imports it. setdefault: other
# suites may have set theirs first, and the tests below read the loaded values back.
PROCESSOR_ENVIRONMENT = {
    "RESULTS_TABLE": "results",
    "MAX_OBJECT_BYTES": str(1024 * 1024),
    "RESULT_TTL_DAYS": "30",
    "POWERTOOLS_SERVICE_NAME": "processor",
    "POWERTOOLS_METRICS_NAMESPACE": "ServerlessPlatformTests",
    "LOG_LEVEL": "INFO",
}
for _name, _value in PROCESSOR_ENVIRONMENT.items():
    os.environ.setdefault(_name, _value)

from processor import app  # noqa: E402
from shared.clients import AwsClients, default_clients  # noqa: E402
from shared.config import ProcessorSettings  # noqa: E402

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Batches without objects publish no application metric; Powertools warns about that.
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.path).startswith(here):
            item.add_marker(pytest.mark.filterwarnings("ignore:No application metrics"))


@dataclass
class LambdaContext:
    """The attributes of the Lambda context that Powertools reads."""

    function_name: str = "processor"
    memory_limit_in_mb: int = 512
    invoked_function_arn: str = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:processor"
    aws_request_id: str = "lambda-request-id"


@dataclass(frozen=True)
class Uploaded:
    """An object put into the moto bucket."""

    bucket: str
    key: str
    version_id: str | None


@pytest.fixture
def lambda_context() -> LambdaContext:
    return LambdaContext()


@pytest.fixture
def aws_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fake credentials and the region, so that no client can reach a real account."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
    }.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def aws(aws_environment: None) -> Iterator[AwsClients]:
    """moto, with clients for the tests and a fresh client cache for the function."""
    default_clients.cache_clear()
    with mock_aws():
        yield reused_clients()
    default_clients.cache_clear()


@functools.cache
def reused_clients() -> AwsClients:
    """Clients for the tests' own calls, created once: building a client costs about
    0.1 s, and moto intercepts every client whenever a mock is active."""
    return AwsClients(
        s3=boto3.client("s3", region_name=REGION),
        dynamodb=boto3.client("dynamodb", region_name=REGION),
    )


@pytest.fixture
def settings() -> ProcessorSettings:
    """The settings the processor module loaded, with a small size cap for the tests."""
    return app.SETTINGS.model_copy(update={"max_object_bytes": 64 * 1024, "result_ttl_days": 30})


def create_results_table(clients: AwsClients, name: str) -> str:
    """The results table exactly as the infrastructure declares it."""
    return create_table(clients.dynamodb, name)


def create_bucket(clients: AwsClients, name: str, *, versioned: bool) -> str:
    clients.s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    if versioned:
        clients.s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
    return name


@pytest.fixture
def results_table(aws: AwsClients, settings: ProcessorSettings) -> str:
    """The results table, empty."""
    return create_results_table(aws, settings.results_table)


@pytest.fixture
def bucket(aws: AwsClients, results_table: str) -> str:
    """The versioned ingest bucket (with the results table next to it)."""
    return create_bucket(aws, BUCKET, versioned=True)


@pytest.fixture
def unversioned_bucket(aws: AwsClients, results_table: str) -> str:
    """A bucket without versioning: every upload of a key is version `null`."""
    return create_bucket(aws, "unversioned-bucket", versioned=False)


@pytest.fixture
def fresh_account(
    aws_environment: None, settings: ProcessorSettings
) -> Callable[[], AbstractContextManager[AwsClients]]:
    """A context manager factory: each use is a new, empty moto account with the
    ingest bucket and the results table (for hypothesis, which reuses fixtures)."""

    @contextmanager
    def start() -> Iterator[AwsClients]:
        with mock_aws():
            clients = reused_clients()
            create_results_table(clients, settings.results_table)
            create_bucket(clients, BUCKET, versioned=True)
            yield clients

    return start


@pytest.fixture
def upload(aws: AwsClients, bucket: str) -> Callable[..., Uploaded]:
    """Put an object: `upload("incoming/a.json", b"{}", content_type=None)`."""

    def put(
        key: str, body: bytes | str, *, content_type: str | None = None, to: str = bucket
    ) -> Uploaded:
        extra = {"ContentType": content_type} if content_type else {}
        data = body.encode() if isinstance(body, str) else body
        response = aws.s3.put_object(Bucket=to, Key=key, Body=data, **extra)
        return Uploaded(to, key, response.get("VersionId"))

    return put


@pytest.fixture
def s3_record_factory() -> Callable[..., dict[str, Any]]:
    """One S3 event record, key URL-encoded as S3 sends it; sequencers increase by call."""
    sequencers = itertools.count(0x0055AED6DCD90281E5)

    def build(
        obj: Uploaded | None = None,
        *,
        bucket: str = BUCKET,
        key: str = "incoming/data.json",
        version_id: str | None = None,
        sequencer: str | None = None,
        event_name: str = "ObjectCreated:Put",
    ) -> dict[str, Any]:
        if obj is not None:
            bucket, key, version_id = obj.bucket, obj.key, obj.version_id
        s3_object: dict[str, Any] = {
            # S3 encodes keys like a form: a space is `+`, and `+` itself is `%2B`.
            "key": quote_plus(key, safe="/"),
            "size": 1,
            "eTag": "0123456789abcdef0123456789abcdef",
            "sequencer": sequencer or f"{next(sequencers):018X}",
        }
        if version_id is not None:
            s3_object["versionId"] = version_id
        return {
            "eventVersion": "2.1",
            "eventSource": "aws:s3",
            "awsRegion": REGION,
            "eventTime": "2026-03-01T12:00:00.000Z",
            "eventName": event_name,
            "s3": {
                "s3SchemaVersion": "1.0",
                "configurationId": "ingest",
                "bucket": {"name": bucket, "arn": f"arn:aws:s3:::{bucket}"},
                "object": s3_object,
            },
        }

    return build


@pytest.fixture
def sqs_event_factory() -> Callable[..., dict[str, Any]]:
    """An SQS batch: each argument is one message body (a dict, a list of S3 records, or
    a raw string); message ids are `message-0`, `message-1`, ..."""

    def build(*bodies: dict[str, Any] | list[dict[str, Any]] | str) -> dict[str, Any]:
        return {"Records": [_sqs_message(f"message-{n}", body) for n, body in enumerate(bodies)]}

    return build


def _sqs_message(message_id: str, body: dict[str, Any] | list[dict[str, Any]] | str) -> dict:
    if isinstance(body, list):
        body = {"Records": body}
    return {
        "messageId": message_id,
        "receiptHandle": f"receipt-{message_id}",
        "body": body if isinstance(body, str) else json.dumps(body),
        "attributes": {
            "ApproximateReceiveCount": "1",
            "SentTimestamp": "1772366400000",
            "SenderId": "s3.amazonaws.com",
            "ApproximateFirstReceiveTimestamp": "1772366400001",
        },
        "messageAttributes": {},
        "md5OfBody": "",
        "eventSource": "aws:sqs",
        "eventSourceARN": f"arn:aws:sqs:{REGION}:{ACCOUNT}:ingest",
        "awsRegion": REGION,
    }


@pytest.fixture
def test_event_body() -> dict[str, Any]:
    """What S3 sends once when the bucket notification is configured."""
    return {
        "Service": "Amazon S3",
        "Event": "s3:TestEvent",
        "Time": "2026-03-01T12:00:00.000Z",
        "Bucket": BUCKET,
        "RequestId": "5582815E1AEA5ADF",
        "HostId": "8cLeGAmw098X5cv4Zkwcmo8vvZa3eH3eKxsPzbB9wrR+YstdA6Knx4Ip8EXAMPLE",
    }


@pytest.fixture
def make_handler(aws: AwsClients, settings: ProcessorSettings) -> Callable[..., Handler]:
    """A processor handler with the test settings, and optionally other clients."""

    def build(clients: AwsClients | None = None, **overrides: Any) -> Handler:
        bound = settings.model_copy(update=overrides)
        return app.create_handler(bound, lambda: clients or aws)

    return build


def scan_results(clients: AwsClients, table: str) -> list[dict[str, Any]]:
    """Every item in the results table, as plain Python values."""
    deserializer = TypeDeserializer()
    items = clients.dynamodb.scan(TableName=table, ConsistentRead=True)["Items"]
    return [{k: deserializer.deserialize(v) for k, v in item.items()} for item in items]


@pytest.fixture
def results(aws: AwsClients, results_table: str) -> Callable[[], list[dict[str, Any]]]:
    """Every item in the results table now, as plain Python values."""
    return lambda: scan_results(aws, results_table)


@pytest.fixture
def results_in() -> Callable[[AwsClients, str], list[dict[str, Any]]]:
    """`scan_results` for tests that start their own moto accounts."""
    return scan_results


@pytest.fixture
def function_logs(monkeypatch: pytest.MonkeyPatch) -> Callable[[], list[dict[str, Any]]]:
    """The function's JSON log lines so far (Powertools' handler kept the stdout it was
    imported with, so capsys cannot see them)."""
    stream = io.StringIO()
    monkeypatch.setattr(app.logger.registered_handler, "stream", stream)
    return lambda: [json.loads(line) for line in stream.getvalue().splitlines()]


class FaultyClient:
    """A boto3 client whose `operation` raises `error` when `when(params)` is true.

    Everything else goes to the real (moto) client, so a test injects exactly one
    transient fault and keeps the rest of the batch real.
    """

    def __init__(
        self,
        client: Any,
        operation: str,
        error: Exception,
        when: Callable[[dict[str, Any]], bool] = lambda params: True,
    ) -> None:
        self._client = client
        self._operation = operation
        self._error = error
        self._when = when
        self.calls = 0

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._client, name)
        if name != self._operation:
            return attribute

        def call(**params: Any) -> Any:
            if self._when(params):
                self.calls += 1
                raise self._error
            return attribute(**params)

        return call


def client_error(code: str, status: int, operation: str) -> ClientError:
    """A ClientError as botocore raises it once its own retries are spent."""
    return ClientError(
        {
            "Error": {"Code": code, "Message": f"injected {code}"},
            "ResponseMetadata": {"HTTPStatusCode": status},
        },
        operation,
    )


@pytest.fixture
def faulty() -> type[FaultyClient]:
    """The fault-injecting client wrapper (see `FaultyClient`)."""
    return FaultyClient


@pytest.fixture
def transient_error() -> Callable[[str, int, str], ClientError]:
    """A factory of transient ClientErrors: `transient_error(code, status, operation)`."""
    return client_error
