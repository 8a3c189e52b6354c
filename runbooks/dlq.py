"""`dlq-inspect` and `dlq-redrive`: what sits in the dead-letter queue, and moving it back.

`dlq-inspect` is read-only: it receives a sample with a short visibility timeout, never
deletes, and makes the sample visible again at once. `dlq-redrive` uses SQS's own
message move task (`StartMessageMoveTask`), so messages move server-side, in order, and
none is lost between a receive and a send.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from runbooks.changes import confirmed
from runbooks.command import Command, bounded_int
from runbooks.s3_events import decode_body, describe
from runbooks.targets import Targets, ToolError, UsageError

# Long enough to receive a whole sample without seeing a message twice; the sample is
# made visible again as soon as it has been read.
PEEK_VISIBILITY_SECONDS = 30
MAX_SAMPLE = 100
SQS_BATCH = 10


@dataclass(frozen=True)
class QueueCounts:
    visible: int
    in_flight: int


def queue_counts(sqs: Any, url: str) -> QueueCounts:
    attributes = sqs.get_queue_attributes(
        QueueUrl=url,
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    )["Attributes"]
    return QueueCounts(
        visible=int(attributes["ApproximateNumberOfMessages"]),
        in_flight=int(attributes["ApproximateNumberOfMessagesNotVisible"]),
    )


def _print_counts(name: str, url: str, counts: QueueCounts) -> None:
    print(f"{name} {url}")
    print(f"  visible (ApproximateNumberOfMessages):             {counts.visible}")
    print(f"  in flight (ApproximateNumberOfMessagesNotVisible): {counts.in_flight}")


def _peek(sqs: Any, url: str, limit: int) -> list[dict[str, Any]]:
    """Receive up to `limit` messages without deleting them, then release them."""
    seen: dict[str, dict[str, Any]] = {}
    try:
        # Bounded: a queue that keeps answering with the same messages cannot loop us.
        for _ in range(limit // SQS_BATCH + 3):
            if len(seen) >= limit:
                break
            batch = sqs.receive_message(
                QueueUrl=url,
                MaxNumberOfMessages=min(SQS_BATCH, limit - len(seen)),
                VisibilityTimeout=PEEK_VISIBILITY_SECONDS,
                # Long polling asks every SQS server, so a small queue is not missed.
                WaitTimeSeconds=1,
                MessageSystemAttributeNames=["ApproximateReceiveCount", "SentTimestamp"],
            ).get("Messages", [])
            if not batch:
                break
            for message in batch:
                seen.setdefault(message["MessageId"], message)
    finally:
        _release(sqs, url, list(seen.values()))
    return list(seen.values())


def _release(sqs: Any, url: str, messages: list[dict[str, Any]]) -> None:
    for start in range(0, len(messages), SQS_BATCH):
        chunk = messages[start : start + SQS_BATCH]
        response = sqs.change_message_visibility_batch(
            QueueUrl=url,
            Entries=[
                {"Id": str(i), "ReceiptHandle": message["ReceiptHandle"], "VisibilityTimeout": 0}
                for i, message in enumerate(chunk)
            ],
        )
        for failure in response.get("Failed", []):
            print(
                f"warning: message {chunk[int(failure['Id'])]['MessageId']} stays hidden for "
                f"up to {PEEK_VISIBILITY_SECONDS} s: {failure.get('Message', failure['Code'])}",
                file=sys.stderr,
            )


def _timestamp(milliseconds: str | int | None) -> str:
    if milliseconds is None:
        return "unknown time"
    moment = datetime.fromtimestamp(int(milliseconds) / 1000, tz=UTC)
    return moment.isoformat(timespec="seconds")


def _print_message(message: dict[str, Any]) -> None:
    attributes = message.get("Attributes", {})
    print(
        f"  message {message['MessageId']}: sent {_timestamp(attributes.get('SentTimestamp'))}, "
        f"received {attributes.get('ApproximateReceiveCount', '?')} times"
    )
    decoded = decode_body(message.get("Body", ""))
    for ref in decoded.objects:
        print(f"    {describe(ref)}")
    if decoded.note:
        print(f"    ({decoded.note})")


def inspect_dead_letter_queue(args: argparse.Namespace, targets: Targets) -> int:
    sqs = targets.client("sqs")
    url = targets.require("dlq_url")
    counts = queue_counts(sqs, url)
    _print_counts("Dead-letter queue", url, counts)
    if args.sample == 0 or counts.visible == 0:
        return 0
    # Stop at the approximate count, rather than waiting on an empty receive.
    messages = _peek(sqs, url, min(args.sample, counts.visible))
    print(
        f"Sample of {len(messages)} message(s) (not deleted; visible again now), "
        "with their decoded object keys:"
    )
    for message in messages:
        _print_message(message)
    return 0


def _queue_attributes(sqs: Any, url: str) -> dict[str, str]:
    response = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn", "RedrivePolicy"])
    return dict(response["Attributes"])


def _print_move_tasks(tasks: list[dict[str, Any]]) -> None:
    if not tasks:
        print("No message move tasks from this DLQ in the last 14 days.")
        return
    print("Message move tasks from this DLQ (newest first):")
    for task in tasks:
        failure = f", failure: {task['FailureReason']}" if task.get("FailureReason") else ""
        handle = f", task handle {task['TaskHandle']}" if task.get("TaskHandle") else ""
        print(
            f"  {task['Status']}: started {_timestamp(task.get('StartedTimestamp'))}, "
            f"moved {task.get('ApproximateNumberOfMessagesMoved', 0)} of "
            f"{task.get('ApproximateNumberOfMessagesToMove', '?')} "
            f"to {task.get('DestinationArn', 'the original source queue')}{handle}{failure}"
        )


def redrive_dead_letter_queue(args: argparse.Namespace, targets: Targets) -> int:
    sqs = targets.client("sqs")
    dlq_url = targets.require("dlq_url")
    queue_url = targets.require("queue_url")
    dlq_arn = _queue_attributes(sqs, dlq_url)["QueueArn"]
    queue = _queue_attributes(sqs, queue_url)
    # Moving messages into a queue that does not own this DLQ would feed the wrong consumer.
    redrive_target = json.loads(queue.get("RedrivePolicy", "{}")).get("deadLetterTargetArn")
    if redrive_target != dlq_arn:
        raise UsageError(
            f"--queue-url {queue_url} does not dead-letter into --dlq-url {dlq_url}: "
            f"its redrive target is {redrive_target or 'not set'}"
        )
    counts = queue_counts(sqs, dlq_url)
    _print_counts("Dead-letter queue", dlq_url, counts)
    tasks = sqs.list_message_move_tasks(SourceArn=dlq_arn, MaxResults=10).get("Results", [])
    _print_move_tasks(tasks)
    running = [task for task in tasks if task["Status"] == "RUNNING"]
    if running:
        raise ToolError(
            "a message move task is already running from this DLQ; wait for it, or cancel it "
            f"with `aws sqs cancel-message-move-task --task-handle {running[0]['TaskHandle']}`"
        )
    if counts.visible + counts.in_flight == 0:
        print("The DLQ is empty: nothing to redrive.")
        return 0
    rate = (
        f"at most {args.max_per_second} messages/s"
        if args.max_per_second
        else "at the rate SQS chooses (up to 500 messages/s)"
    )
    change = (
        f"start a message move task (sqs:StartMessageMoveTask): about {counts.visible} "
        f"message(s) from {dlq_arn} to {queue['QueueArn']}, {rate}"
    )
    if not confirmed([change], yes=args.yes):
        return 0
    request: dict[str, Any] = {"SourceArn": dlq_arn, "DestinationArn": queue["QueueArn"]}
    if args.max_per_second:
        request["MaxNumberOfMessagesPerSecond"] = args.max_per_second
    handle = sqs.start_message_move_task(**request)["TaskHandle"]
    print(f"Started message move task {handle}.")
    _print_move_tasks(sqs.list_message_move_tasks(SourceArn=dlq_arn, MaxResults=1)["Results"])
    print("Run this command again (without --yes) to follow its progress.")
    return 0


def _configure_inspect(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--sample",
        type=bounded_int(0, MAX_SAMPLE),
        default=10,
        help=f"how many messages to show (0..{MAX_SAMPLE}, default 10; 0: counts only)",
    )


def _configure_redrive(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--max-per-second",
        type=bounded_int(1, 500),
        help="MaxNumberOfMessagesPerSecond of the move task (1..500; default: SQS decides)",
    )


COMMANDS = [
    Command(
        "dlq-inspect",
        "DLQ counts and a sample of failed messages with decoded object keys (read-only)",
        ("dlq_url",),
        inspect_dead_letter_queue,
        _configure_inspect,
    ),
    Command(
        "dlq-redrive",
        "move DLQ messages back to the ingest queue (StartMessageMoveTask); dry run without --yes",
        ("dlq_url", "queue_url"),
        redrive_dead_letter_queue,
        _configure_redrive,
        mutating=True,
    ),
]
