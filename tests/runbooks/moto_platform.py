"""The platform's AWS resources, built in moto the way the Pulumi program builds them.

Shared by the runbook tool tests and the game day: a versioned ingest bucket, the
ingest queue with its DLQ (redrive after `MAX_RECEIVE_COUNT` receives), the results
table with `status-index`, the reprocess state machine, the API usage plan and key,
and, on request, the processor function and its event source mapping. `outputs` has
the shape of `pulumi stack output --json`.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

import boto3
import pytest
from botocore.stub import Stubber

from runbooks.targets import Targets
from serverless_platform.data.ingest import MAX_RECEIVE_COUNT
from tests.moto_tables import create_results_table

REGION = "us-east-1"
ACCOUNT = "123456789012"
FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SECURITY_TOKEN": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": REGION,
}


def use_fake_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may find real credentials, or a profile that points at them."""
    for name, value in FAKE_CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/dev/null")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")


# One session for all tests: a new session reloads botocore's endpoint data (~0.1 s).
_SESSION = boto3.session.Session(region_name=REGION)


@dataclass
class MotoPlatform:
    """Handles on the emulated resources, and the stack outputs that name them."""

    outputs: dict[str, str] = field(default_factory=dict)
    _clients: dict[str, Any] = field(default_factory=dict)

    def client(self, service: str) -> Any:
        if service not in self._clients:
            self._clients[service] = _SESSION.client(service)
        return self._clients[service]

    def write_outputs(self, directory: Path) -> Path:
        path = directory / "outputs.json"
        path.write_text(json.dumps({**self.outputs, "api_key": "[secret]"}), encoding="utf-8")
        return path

    def queue_count(self, output: str) -> int:
        attributes = self.client("sqs").get_queue_attributes(
            QueueUrl=self.outputs[output],
            AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        )["Attributes"]
        return int(attributes["ApproximateNumberOfMessages"]) + int(
            attributes["ApproximateNumberOfMessagesNotVisible"]
        )


def _create_queues(platform: MotoPlatform, queue_visibility_seconds: int) -> None:
    sqs = platform.client("sqs")
    dlq_url = sqs.create_queue(QueueName="platform-ingest-dlq")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    queue_url = sqs.create_queue(
        QueueName="platform-ingest-queue",
        Attributes={
            "VisibilityTimeout": str(queue_visibility_seconds),
            "RedrivePolicy": json.dumps(
                {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": MAX_RECEIVE_COUNT}
            ),
        },
    )["QueueUrl"]
    platform.outputs.update(ingest_queue_url=queue_url, dead_letter_queue_url=dlq_url)


def _create_bucket(platform: MotoPlatform) -> None:
    s3 = platform.client("s3")
    s3.create_bucket(Bucket="platform-ingest-bucket")
    s3.put_bucket_versioning(
        Bucket="platform-ingest-bucket", VersioningConfiguration={"Status": "Enabled"}
    )
    platform.outputs["ingest_bucket"] = "platform-ingest-bucket"


def _create_table(platform: MotoPlatform) -> None:
    create_results_table(platform.client("dynamodb"), "platform-results-table")
    platform.outputs["results_table"] = "platform-results-table"


def _create_role(platform: MotoPlatform, name: str, service: str) -> str:
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}
        ],
    }
    return str(
        platform.client("iam").create_role(
            RoleName=name, AssumeRolePolicyDocument=json.dumps(trust)
        )["Role"]["Arn"]
    )


def _create_state_machine(platform: MotoPlatform) -> None:
    definition = {"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}}
    arn = platform.client("stepfunctions").create_state_machine(
        name="platform-workflow-state-machine",
        definition=json.dumps(definition),
        roleArn=_create_role(platform, "platform-workflow-role", "states.amazonaws.com"),
    )["stateMachineArn"]
    platform.outputs["state_machine_arn"] = arn
    platform.outputs["workflow_max_objects"] = "500"


def _create_api_access(platform: MotoPlatform) -> None:
    apigateway = platform.client("apigateway")
    plan = apigateway.create_usage_plan(
        name="platform-api-usage-plan",
        throttle={"rateLimit": 20.0, "burstLimit": 40},
        quota={"limit": 10000, "period": "DAY"},
    )
    key = apigateway.create_api_key(
        name="platform-api-default-key", enabled=True, tags={"Project": "serverless-platform"}
    )
    apigateway.create_usage_plan_key(usagePlanId=plan["id"], keyId=key["id"], keyType="API_KEY")
    platform.outputs.update(usage_plan_id=plan["id"], api_key_id=key["id"])


def _zip_of_handler(answer: str = "{}") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("app.py", f"def handler(event, context):\n    return {answer}\n")
    return buffer.getvalue()


def create_live_alias(
    awslambda: Any,
    role_arn: str,
    function: str,
    *,
    versions: int = 2,
    live: str = "1",
    weights: dict[str, float] | None = None,
) -> str:
    """A function with `versions` published versions and its `live` alias on `live`
    (with `weights`), as the platform's `pulumi up` and CodeDeploy leave it: the ARN."""
    awslambda.create_function(
        FunctionName=function,
        Runtime="python3.12",
        Role=role_arn,
        Handler="app.handler",
        Code={"ZipFile": _zip_of_handler("1")},
        Publish=True,
    )
    for version in range(2, versions + 1):
        awslambda.update_function_code(FunctionName=function, ZipFile=_zip_of_handler(str(version)))
        awslambda.publish_version(FunctionName=function)
    alias = awslambda.create_alias(
        FunctionName=function,
        Name="live",
        FunctionVersion=live,
        RoutingConfig={"AdditionalVersionWeights": weights or {}},
    )
    return str(alias["AliasArn"])


def _create_processor_mapping(platform: MotoPlatform) -> None:
    """The processor behind its `live` alias, which the queue's mapping invokes."""
    alias_arn = create_live_alias(
        platform.client("lambda"),
        _create_role(platform, "platform-processor-role", "lambda.amazonaws.com"),
        "platform-processor-function",
        versions=1,
    )
    queue_arn = platform.client("sqs").get_queue_attributes(
        QueueUrl=platform.outputs["ingest_queue_url"], AttributeNames=["QueueArn"]
    )["Attributes"]["QueueArn"]
    mapping = platform.client("lambda").create_event_source_mapping(
        EventSourceArn=queue_arn,
        # The alias's ARN, as the platform maps it. moto lists a mapping only under the
        # FunctionName it was created with: the alias's ARN finds it, the bare name not.
        FunctionName=alias_arn,
        BatchSize=10,
        FunctionResponseTypes=["ReportBatchItemFailures"],
        Enabled=True,
    )
    platform.outputs.update(
        processor_function="platform-processor-function",
        processor_alias=alias_arn,
        processor_event_source_mapping=mapping["UUID"],
    )


def create_platform(
    *, with_processor_mapping: bool = False, queue_visibility_seconds: int = 360
) -> MotoPlatform:
    """Build the resources inside an active `mock_aws()`.

    The event source mapping is opt-in: moto invokes mapped functions (in Docker) when
    a message arrives, so tests that send messages leave it out.
    """
    platform = MotoPlatform(outputs={"region": REGION})
    _create_bucket(platform)
    _create_queues(platform, queue_visibility_seconds)
    _create_table(platform)
    _create_state_machine(platform)
    _create_api_access(platform)
    if with_processor_mapping:
        _create_processor_mapping(platform)
    return platform


def s3_event_body(bucket: str, key: str, version_id: str, sequencer: str = "0A1B2C3D4E5F") -> str:
    """An SQS body as S3 sends it for one ObjectCreated:Put: the key URL-encoded."""
    record = {
        "eventVersion": "2.1",
        "eventSource": "aws:s3",
        "awsRegion": REGION,
        "eventTime": "2024-05-01T10:00:00.000Z",
        "eventName": "ObjectCreated:Put",
        "s3": {
            "s3SchemaVersion": "1.0",
            "configurationId": "incoming-objects",
            "bucket": {"name": bucket, "arn": f"arn:aws:s3:::{bucket}"},
            "object": {
                "key": quote_plus(key),
                "size": 2,
                "versionId": version_id,
                "sequencer": sequencer,
            },
        },
    }
    return json.dumps({"Records": [record]})


class _SplitClient:
    """A client whose `stubbed` methods go to a Stubber-backed client, the rest to moto."""

    def __init__(self, real: Any, stubbed: Any, operations: frozenset[str]) -> None:
        self._real, self._stubbed, self._operations = real, stubbed, operations

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stubbed if name in self._operations else self._real, name)


def stub_operations(monkeypatch: pytest.MonkeyPatch, service: str, *operations: str) -> Stubber:
    """Send only `operations` (client method names) of the tools' `service` client to a
    botocore Stubber, for the calls moto does not implement; moto serves the rest.

    The Stubber validates each request against the real service model, so a wrong
    parameter fails the test as it would fail in AWS.
    """
    stubbed_client = _SESSION.client(service)
    stubber = Stubber(stubbed_client)
    stubber.activate()
    original = Targets.client

    def client(self: Targets, name: str) -> Any:
        real = original(self, name)
        return (
            _SplitClient(real, stubbed_client, frozenset(operations)) if name == service else real
        )

    monkeypatch.setattr(Targets, "client", client)
    return stubber
