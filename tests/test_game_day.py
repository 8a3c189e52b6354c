"""Game day: one incident, end to end, against moto, following the runbooks' tools.

The incident: DynamoDB throttles the results table's writes for some objects (a hot
partition). Their messages fail every receive, reach the DLQ after `maxReceiveCount`,
and `dlq-messages-visible` would page. The on-call engineer follows
`runbooks/dlq-messages-visible.md`: `dlq-inspect` shows the stuck objects with their
decoded keys, the cause is removed, `dlq-redrive --yes` moves the messages back, the
processor handles them, and `failed-results` is empty. No object is lost.

Two places stand in for AWS where moto cannot:
- S3 notifications: moto's events carry neither `versionId` nor `sequencer`, which
  the processor needs (as real S3 sends them), so the test sends the notification S3
  would send for each upload.
- The message move task: moto 5.2.5 does not implement `StartMessageMoveTask` or
  `ListMessageMoveTasks`. In that single step those two calls go to a botocore Stubber
  (which checks the request against the SQS model) and the harness moves the messages
  from the DLQ to the ingest queue, as the task does server-side.
Lambda's poller is played by `_poll`: it receives batches from the queue (moto counts
receives and dead-letters after the 5th), calls the real handler, and deletes what
the handler did not report as failed, as the event source mapping does.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse
from moto import mock_aws

from runbooks.cli import main
from serverless_platform.data.ingest import MAX_RECEIVE_COUNT
from tests.runbooks.moto_platform import (
    MotoPlatform,
    create_platform,
    s3_event_body,
    stub_operations,
    use_fake_credentials,
)

# The processor validates its environment when imported; other suites may set theirs.
for _name, _value in {
    "RESULTS_TABLE": "results",
    "MAX_OBJECT_BYTES": "1048576",
    "RESULT_TTL_DAYS": "0",
    "POWERTOOLS_SERVICE_NAME": "processor",
    "POWERTOOLS_METRICS_NAMESPACE": "GameDay",
    "POWERTOOLS_TRACE_DISABLED": "true",
}.items():
    os.environ.setdefault(_name, _value)

from processor import app  # noqa: E402
from shared.clients import AwsClients  # noqa: E402
from shared.results import result_key  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore:No application metrics")

UPLOADS = {
    "incoming/2024/05/orders 1.json": b'[{"id": 1, "amount": 5}]',
    "incoming/2024/05/orders+2.json": b'[{"id": 2, "amount": 7}]',
    "incoming/2024/05/caf\u00e9.csv": b"id,amount\n3,9\n",
    "incoming/2024/05/events.ndjson": b'{"id": 4}\n{"id": 5}\n',
    "incoming/2024/05/100% done.json": b'{"id": 6}',
    "incoming/2024/05/plain.csv": b"id\n7\n",
}
# The objects whose result writes DynamoDB throttles during the incident.
HOT_KEYS = {
    "incoming/2024/05/orders+2.json",
    "incoming/2024/05/caf\u00e9.csv",
    "incoming/2024/05/100% done.json",
}


@dataclass
class LambdaContext:
    function_name: str = "processor"
    memory_limit_in_mb: int = 512
    invoked_function_arn: str = "arn:aws:lambda:us-east-1:123456789012:function:processor"
    aws_request_id: str = "game-day"


class WriteThrottling:
    """Makes the DynamoDB client answer UpdateItem on chosen items as a throttled table
    does once the SDK's retries are spent: ProvisionedThroughputExceededException."""

    def __init__(self, dynamodb: Any, partition_keys: set[str]) -> None:
        self.partition_keys = partition_keys
        self.active = True
        self.throttled = 0
        dynamodb.meta.events.register("before-call.dynamodb.UpdateItem", self._answer)

    def _answer(
        self, params: dict[str, Any], **_: Any
    ) -> tuple[AWSResponse, dict[str, Any]] | None:
        key = json.loads(params["body"])["Key"]["pk"]["S"]
        if not self.active or key not in self.partition_keys:
            return None
        self.throttled += 1
        error = {
            "Code": "ProvisionedThroughputExceededException",
            "Message": "The level of configured provisioned throughput for the table was exceeded.",
        }
        return AWSResponse("", 400, {}, None), {"Error": error, "ResponseMetadata": {}}


@dataclass(frozen=True)
class Upload:
    bucket: str
    key: str
    version_id: str


@pytest.fixture
def platform(monkeypatch: pytest.MonkeyPatch) -> Iterator[MotoPlatform]:
    use_fake_credentials(monkeypatch)
    with mock_aws():
        # Visibility 0: a failed message is visible again at once, so retries are fast.
        yield create_platform(queue_visibility_seconds=0)


def _upload_all(platform: MotoPlatform) -> list[Upload]:
    """Put every object and send the notification S3 sends for it, as S3 would."""
    bucket = platform.outputs["ingest_bucket"]
    sqs, s3 = platform.client("sqs"), platform.client("s3")
    queue_url = platform.outputs["ingest_queue_url"]
    # S3 sends a test event when the notification is configured; it must be ignored.
    sqs.send_message(
        QueueUrl=queue_url,
        MessageBody=json.dumps({"Service": "Amazon S3", "Event": "s3:TestEvent", "Bucket": bucket}),
    )
    uploads = []
    for sequence, (key, body) in enumerate(UPLOADS.items(), start=1):
        version = s3.put_object(Bucket=bucket, Key=key, Body=body)["VersionId"]
        sqs.send_message(
            QueueUrl=queue_url,
            MessageBody=s3_event_body(bucket, key, version, sequencer=f"{sequence:016X}"),
        )
        uploads.append(Upload(bucket, key, version))
    return uploads


def _sqs_event(messages: list[dict[str, Any]], queue_arn: str) -> dict[str, Any]:
    """The event Lambda's SQS poller passes to the function."""
    return {
        "Records": [
            {
                "messageId": message["MessageId"],
                "receiptHandle": message["ReceiptHandle"],
                "body": message["Body"],
                "attributes": message.get("Attributes", {}),
                "messageAttributes": {},
                "md5OfBody": message["MD5OfBody"],
                "eventSource": "aws:sqs",
                "eventSourceARN": queue_arn,
                "awsRegion": "us-east-1",
            }
            for message in messages
        ]
    }


def _poll(platform: MotoPlatform, handler: Callable[..., Any], max_batches: int = 100) -> int:
    """Play the event source mapping until the queue gives nothing; return the batches."""
    sqs = platform.client("sqs")
    queue_url = platform.outputs["ingest_queue_url"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])[
        "Attributes"
    ]["QueueArn"]
    for batch in range(max_batches):
        messages = sqs.receive_message(
            QueueUrl=queue_url, MaxNumberOfMessages=10, MessageSystemAttributeNames=["All"]
        ).get("Messages", [])
        if not messages:
            return batch
        response = handler(_sqs_event(messages, queue_arn), LambdaContext())
        failed = {failure["itemIdentifier"] for failure in response["batchItemFailures"]}
        for message in messages:
            if message["MessageId"] not in failed:
                sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
    raise AssertionError(f"the queue still gave messages after {max_batches} batches")


def _move_dlq_to_queue(platform: MotoPlatform) -> int:
    """What the started message move task does server-side."""
    sqs = platform.client("sqs")
    dlq_url = platform.outputs["dead_letter_queue_url"]
    moved = 0
    while messages := sqs.receive_message(QueueUrl=dlq_url, MaxNumberOfMessages=10).get(
        "Messages", []
    ):
        for message in messages:
            sqs.send_message(
                QueueUrl=platform.outputs["ingest_queue_url"], MessageBody=message["Body"]
            )
            sqs.delete_message(QueueUrl=dlq_url, ReceiptHandle=message["ReceiptHandle"])
            moved += 1
    return moved


def _queue_arn(platform: MotoPlatform, output: str) -> str:
    return str(
        platform.client("sqs").get_queue_attributes(
            QueueUrl=platform.outputs[output], AttributeNames=["QueueArn"]
        )["Attributes"]["QueueArn"]
    )


def _runbook(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    capsys.readouterr()
    code = main(list(argv))
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return captured.out


def _results(platform: MotoPlatform) -> list[dict[str, Any]]:
    return list(
        platform.client("dynamodb").scan(TableName=platform.outputs["results_table"])["Items"]
    )


def test_game_day_throttled_writes_reach_the_dlq_and_are_redriven_without_loss(
    platform: MotoPlatform,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    outputs = str(platform.write_outputs(tmp_path))
    dynamodb = platform.client("dynamodb")
    settings = app.SETTINGS.model_copy(update={"results_table": platform.outputs["results_table"]})
    clients = AwsClients(s3=platform.client("s3"), dynamodb=dynamodb)
    handler = app.create_handler(settings, lambda: clients)

    # GIVEN uploads, some of whose result writes DynamoDB throttles
    uploads = _upload_all(platform)
    hot = {result_key(u.bucket, u.key, u.version_id)["pk"] for u in uploads if u.key in HOT_KEYS}
    throttling = WriteThrottling(dynamodb, hot)

    # WHEN the processor works through the queue during the incident
    _poll(platform, handler)

    # THEN every hot object was tried maxReceiveCount times and sits in the DLQ
    assert throttling.throttled == len(HOT_KEYS) * MAX_RECEIVE_COUNT
    assert platform.queue_count("ingest_queue_url") == 0
    assert platform.queue_count("dead_letter_queue_url") == len(HOT_KEYS)
    assert len(_results(platform)) == len(UPLOADS) - len(HOT_KEYS)

    # WHEN the on-call engineer inspects the DLQ
    inspected = _runbook(capsys, "dlq-inspect", "--outputs", outputs)
    # THEN it shows each stuck object by its decoded key, and takes nothing out
    for upload in uploads:
        shown = f"s3://{upload.bucket}/{upload.key} version {upload.version_id}"
        assert (shown in inspected) == (upload.key in HOT_KEYS), shown
    assert platform.queue_count("dead_letter_queue_url") == len(HOT_KEYS)

    # WHEN the cause is removed and the DLQ is redriven (dry run first, then --yes)
    throttling.active = False
    move_tasks = stub_operations(
        monkeypatch, "sqs", "list_message_move_tasks", "start_message_move_task"
    )
    dlq_arn = _queue_arn(platform, "dead_letter_queue_url")
    queue_arn = _queue_arn(platform, "ingest_queue_url")
    no_tasks = ({"Results": []}, {"SourceArn": dlq_arn, "MaxResults": 10})
    move_tasks.add_response("list_message_move_tasks", *no_tasks)
    dry_run = _runbook(capsys, "dlq-redrive", "--outputs", outputs)
    assert "Dry run: nothing was changed" in dry_run
    assert platform.queue_count("dead_letter_queue_url") == len(HOT_KEYS)
    move_tasks.add_response("list_message_move_tasks", *no_tasks)
    move_tasks.add_response(
        "start_message_move_task",
        {"TaskHandle": "game-day-task"},
        {"SourceArn": dlq_arn, "DestinationArn": queue_arn},
    )
    move_tasks.add_response(
        "list_message_move_tasks",
        {"Results": [{"TaskHandle": "game-day-task", "Status": "RUNNING", "SourceArn": dlq_arn}]},
        {"SourceArn": dlq_arn, "MaxResults": 1},
    )
    assert "Started message move task game-day-task." in _runbook(
        capsys, "dlq-redrive", "--outputs", outputs, "--yes"
    )
    move_tasks.assert_no_pending_responses()
    assert _move_dlq_to_queue(platform) == len(HOT_KEYS)

    # AND the processor, without the fault, works through the queue again
    _poll(platform, handler)

    # THEN nothing failed, both queues are empty, and no object is lost: each upload has
    # exactly one result, SUCCEEDED
    failed = _runbook(capsys, "failed-results", "--outputs", outputs)
    assert f"No FAILED results in {platform.outputs['results_table']}." in failed
    assert platform.queue_count("ingest_queue_url") == 0
    assert platform.queue_count("dead_letter_queue_url") == 0
    results = _results(platform)
    assert sorted((item["pk"]["S"], item["sk"]["S"]) for item in results) == sorted(
        (key["pk"], key["sk"])
        for key in (result_key(u.bucket, u.key, u.version_id) for u in uploads)
    )
    assert {item["status"]["S"] for item in results} == {"SUCCEEDED"}
