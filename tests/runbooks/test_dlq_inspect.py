"""`dlq-inspect` against moto: counts, decoded keys, and nothing deleted or hidden."""

from __future__ import annotations

import json
from pathlib import Path

from tests.runbooks.conftest import CliRunner
from tests.runbooks.moto_platform import MotoPlatform, s3_event_body


def _send(platform: MotoPlatform, *bodies: str) -> None:
    sqs = platform.client("sqs")
    for body in bodies:
        sqs.send_message(QueueUrl=platform.outputs["dead_letter_queue_url"], MessageBody=body)


def test_dlq_inspect_shows_counts_and_decoded_object_keys(
    platform: MotoPlatform, outputs_file: Path, run_cli: CliRunner
) -> None:
    # GIVEN two S3 events with URL-encoded keys in the DLQ
    _send(
        platform,
        s3_event_body("platform-ingest-bucket", "incoming/a b+c.json", "v1"),
        s3_event_body("platform-ingest-bucket", "incoming/café.csv", "v2"),
    )
    # WHEN the on-call engineer inspects the DLQ
    result = run_cli("dlq-inspect", "--outputs", str(outputs_file))
    # THEN the counts and the decoded keys are shown
    assert result.code == 0, result.err
    assert "visible (ApproximateNumberOfMessages):             2" in result.out
    assert "s3://platform-ingest-bucket/incoming/a b+c.json version v1" in result.out
    assert "s3://platform-ingest-bucket/incoming/café.csv version v2" in result.out


def test_dlq_inspect_leaves_every_message_in_the_dlq_and_visible(
    platform: MotoPlatform, outputs_file: Path, run_cli: CliRunner
) -> None:
    # GIVEN three messages in the DLQ
    _send(platform, *(s3_event_body("b", f"incoming/{n}.json", "v") for n in range(3)))
    # WHEN it is inspected
    assert run_cli("dlq-inspect", "--outputs", str(outputs_file)).code == 0
    # THEN all three can be received again at once: not deleted, not left hidden
    received = platform.client("sqs").receive_message(
        QueueUrl=platform.outputs["dead_letter_queue_url"], MaxNumberOfMessages=10
    )["Messages"]
    assert len(received) == 3


def test_dlq_inspect_explains_messages_that_are_not_s3_events(
    platform: MotoPlatform, outputs_file: Path, run_cli: CliRunner
) -> None:
    # GIVEN an S3 test event and a body that is not JSON
    _send(platform, json.dumps({"Service": "Amazon S3", "Event": "s3:TestEvent"}), "oops")
    # WHEN it is inspected
    result = run_cli("dlq-inspect", "--outputs", str(outputs_file))
    # THEN each says what it is instead of a key
    assert "s3:TestEvent" in result.out
    assert "not an S3 notification the processor accepts: message body is not JSON" in result.out


def test_dlq_inspect_of_an_empty_dlq_prints_zero_counts_only(
    platform: MotoPlatform, outputs_file: Path, run_cli: CliRunner
) -> None:
    result = run_cli("dlq-inspect", "--outputs", str(outputs_file))
    assert result.code == 0
    assert "visible (ApproximateNumberOfMessages):             0" in result.out
    assert "Sample" not in result.out


def test_dlq_inspect_with_sample_zero_prints_counts_without_receiving(
    platform: MotoPlatform, outputs_file: Path, run_cli: CliRunner
) -> None:
    _send(platform, s3_event_body("b", "incoming/x.json", "v"))
    result = run_cli("dlq-inspect", "--outputs", str(outputs_file), "--sample", "0")
    assert "Sample" not in result.out
    assert platform.queue_count("dead_letter_queue_url") == 1


def test_dlq_inspect_rejects_a_sample_above_the_limit_naming_the_flag(
    outputs_file: Path, run_cli: CliRunner
) -> None:
    result = run_cli("dlq-inspect", "--outputs", str(outputs_file), "--sample", "101")
    assert result.code == 2
    assert "--sample" in result.err
