"""Queues that feed Lambda dead-letter poison messages after a few receives."""

from collections.abc import Iterator

from pulumi_policy import PolicyResource, Severity

from ...core import metadata
from ...core.eventsources import QUEUES, mappings_of, redrive_policy
from ...core.policy import MANDATORY, Config, option, stack_policy
from ...core.props import as_number
from ...core.stack import StackView


def _check(queue: PolicyResource, stack: StackView, config: Config) -> Iterator[str]:
    if not mappings_of(stack, queue):
        return  # a queue nobody polls with Lambda (a DLQ, for one) needs no redrive here
    redrive = redrive_policy(queue) or {}
    count = as_number(redrive.get("maxReceiveCount"))
    minimum = config["minimum_max_receive_count"]
    if not redrive.get("deadLetterTargetArn") or count is None:
        yield (
            f"SQS queue '{queue.name}' feeds Lambda without a redrive policy; set "
            "redrive_policy with deadLetterTargetArn and maxReceiveCount"
        )
    elif count < minimum:
        yield (
            f"SQS queue '{queue.name}' dead-letters after {count:g} receive(s), so throttled "
            f"batches land in the DLQ; set maxReceiveCount to at least {minimum:g}"
        )


POLICY = stack_policy(
    name="sqs-queue-redrive-policy",
    description="SQS queues that feed Lambda have a dead-letter queue and a sane maxReceiveCount.",
    resource_types=QUEUES,
    check=_check,
    category=metadata.RESILIENCE,
    severity=Severity.HIGH,
    enforcement=MANDATORY,
    remediation=(
        "Set redrive_policy=json.dumps({'deadLetterTargetArn': dlq.arn, 'maxReceiveCount': 5}) "
        "(built with Output.json_dumps)."
    ),
    mappings=("cdk-nag:AwsSolutions-SQS3", "cdk-nag:Serverless-SQSRedrivePolicy"),
    options={
        "minimum_max_receive_count": option(
            "integer", 5, "Lowest maxReceiveCount (AWS recommends 5 for Lambda).", minimum=1
        )
    },
)
