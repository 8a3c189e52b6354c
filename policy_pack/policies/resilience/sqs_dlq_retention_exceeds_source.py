"""Dead-letter queues keep messages longer than their source queues."""

from collections.abc import Iterator

from pulumi_policy import PolicyResource, Severity

from ...core import metadata
from ...core.eventsources import (
    DEFAULT_RETENTION,
    MAX_RETENTION,
    QUEUES,
    dead_letter_queues,
    number,
)
from ...core.policy import ADVISORY, Config, stack_policy
from ...core.stack import StackView


def _check(queue: PolicyResource, stack: StackView, config: Config) -> Iterator[str]:
    source = number(queue, "messageRetentionSeconds", DEFAULT_RETENTION)
    for dlq in dead_letter_queues(stack, queue):
        kept = number(dlq, "messageRetentionSeconds", DEFAULT_RETENTION)
        # A message keeps its original enqueue time in the DLQ, so an equal retention
        # can expire it right after it is dead-lettered.
        if kept <= source and kept < MAX_RETENTION:
            yield (
                f"SQS queue '{queue.name}' dead-letters to '{dlq.name}', which keeps messages "
                f"{kept:g}s (source: {source:g}s); set the DLQ's message_retention_seconds "
                f"higher (up to {MAX_RETENTION})"
            )


POLICY = stack_policy(
    name="sqs-dlq-retention-exceeds-source",
    description="A dead-letter queue retains messages longer than the queue that feeds it.",
    resource_types=QUEUES,
    check=_check,
    category=metadata.RESILIENCE,
    severity=Severity.LOW,
    enforcement=ADVISORY,
    remediation="Set the DLQ's message_retention_seconds above the source's (1209600 = 14 days).",
)
