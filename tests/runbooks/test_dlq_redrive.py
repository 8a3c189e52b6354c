"""`dlq-redrive`: SQS message move tasks, dry run by default.

moto 5.2.5 does not implement SQS `StartMessageMoveTask` or `ListMessageMoveTasks`:
those two calls go to a botocore Stubber (which validates each request against the
real SQS model), while moto serves the queues and their attributes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from botocore.stub import Stubber

from tests.runbooks.conftest import CliRunner
from tests.runbooks.moto_platform import MotoPlatform, s3_event_body, stub_operations

MOVE_TASK_CALLS = ("start_message_move_task", "list_message_move_tasks")


def _arn(platform: MotoPlatform, output: str) -> str:
    return str(
        platform.client("sqs").get_queue_attributes(
            QueueUrl=platform.outputs[output], AttributeNames=["QueueArn"]
        )["Attributes"]["QueueArn"]
    )


def _dead_letter(platform: MotoPlatform, count: int) -> None:
    for number in range(count):
        platform.client("sqs").send_message(
            QueueUrl=platform.outputs["dead_letter_queue_url"],
            MessageBody=s3_event_body("b", f"incoming/{number}.json", "v"),
        )


@pytest.fixture
def move_tasks(monkeypatch: pytest.MonkeyPatch, platform: MotoPlatform) -> Stubber:
    return stub_operations(monkeypatch, "sqs", *MOVE_TASK_CALLS)


def _expect_list(
    stubber: Stubber, platform: MotoPlatform, results: list[dict[str, Any]], max_results: int = 10
) -> None:
    stubber.add_response(
        "list_message_move_tasks",
        {"Results": results},
        {"SourceArn": _arn(platform, "dead_letter_queue_url"), "MaxResults": max_results},
    )


def test_dlq_redrive_without_yes_starts_no_task(
    platform: MotoPlatform, move_tasks: Stubber, outputs_file: Path, run_cli: CliRunner
) -> None:
    # GIVEN two messages in the DLQ and no earlier move task
    _dead_letter(platform, 2)
    _expect_list(move_tasks, platform, [])
    # WHEN redrive runs without --yes
    result = run_cli("dlq-redrive", "--outputs", str(outputs_file))
    # THEN it says what it would do, starts nothing, and the messages stay
    assert result.code == 0, result.err
    assert "start a message move task (sqs:StartMessageMoveTask): about 2 message(s)" in result.out
    assert "Dry run: nothing was changed" in result.out
    move_tasks.assert_no_pending_responses()
    assert platform.queue_count("dead_letter_queue_url") == 2


def test_dlq_redrive_with_yes_moves_from_the_dlq_to_the_ingest_queue(
    platform: MotoPlatform, move_tasks: Stubber, outputs_file: Path, run_cli: CliRunner
) -> None:
    # GIVEN a message in the DLQ
    _dead_letter(platform, 1)
    dlq_arn = _arn(platform, "dead_letter_queue_url")
    queue_arn = _arn(platform, "ingest_queue_url")
    _expect_list(move_tasks, platform, [])
    move_tasks.add_response(
        "start_message_move_task",
        {"TaskHandle": "handle-1"},
        {"SourceArn": dlq_arn, "DestinationArn": queue_arn},
    )
    running = {
        "TaskHandle": "handle-1",
        "Status": "RUNNING",
        "SourceArn": dlq_arn,
        "DestinationArn": queue_arn,
        "ApproximateNumberOfMessagesMoved": 0,
        "ApproximateNumberOfMessagesToMove": 1,
        "StartedTimestamp": 1714557600000,
    }
    _expect_list(move_tasks, platform, [running], max_results=1)
    # WHEN redrive runs with --yes
    result = run_cli("dlq-redrive", "--outputs", str(outputs_file), "--yes")
    # THEN exactly that move task was started, and its status is shown
    assert result.code == 0, result.err
    move_tasks.assert_no_pending_responses()
    assert "Started message move task handle-1." in result.out
    assert "RUNNING: started 2024-05-01T10:00:00+00:00, moved 0 of 1" in result.out


def test_dlq_redrive_passes_the_rate_limit_to_the_move_task(
    platform: MotoPlatform, move_tasks: Stubber, outputs_file: Path, run_cli: CliRunner
) -> None:
    _dead_letter(platform, 1)
    _expect_list(move_tasks, platform, [])
    move_tasks.add_response(
        "start_message_move_task",
        {"TaskHandle": "handle-2"},
        {
            "SourceArn": _arn(platform, "dead_letter_queue_url"),
            "DestinationArn": _arn(platform, "ingest_queue_url"),
            "MaxNumberOfMessagesPerSecond": 5,
        },
    )
    _expect_list(move_tasks, platform, [], max_results=1)
    result = run_cli(
        "dlq-redrive", "--outputs", str(outputs_file), "--max-per-second", "5", "--yes"
    )
    assert result.code == 0, result.err
    move_tasks.assert_no_pending_responses()


def test_dlq_redrive_refuses_while_a_move_task_is_running(
    platform: MotoPlatform, move_tasks: Stubber, outputs_file: Path, run_cli: CliRunner
) -> None:
    _dead_letter(platform, 1)
    _expect_list(
        move_tasks,
        platform,
        [{"TaskHandle": "busy", "Status": "RUNNING", "SourceArn": "arn:aws:sqs:us-east-1:1:q"}],
    )
    result = run_cli("dlq-redrive", "--outputs", str(outputs_file), "--yes")
    assert result.code == 1
    assert "already running" in result.err
    assert "--task-handle busy" in result.err


def test_dlq_redrive_of_an_empty_dlq_starts_nothing_even_with_yes(
    platform: MotoPlatform, move_tasks: Stubber, outputs_file: Path, run_cli: CliRunner
) -> None:
    _expect_list(move_tasks, platform, [])
    result = run_cli("dlq-redrive", "--outputs", str(outputs_file), "--yes")
    assert result.code == 0
    assert "The DLQ is empty: nothing to redrive." in result.out
    move_tasks.assert_no_pending_responses()


def test_dlq_redrive_rejects_a_queue_that_does_not_own_the_dlq(
    platform: MotoPlatform, move_tasks: Stubber, outputs_file: Path, run_cli: CliRunner
) -> None:
    # GIVEN --queue-url names the DLQ itself, which dead-letters nowhere
    result = run_cli(
        "dlq-redrive",
        "--outputs",
        str(outputs_file),
        "--queue-url",
        platform.outputs["dead_letter_queue_url"],
    )
    assert result.code == 2
    assert "--queue-url" in result.err
    assert "does not dead-letter into --dlq-url" in result.err
