"""Batch event sources report item failures, so one bad record does not retry a batch."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import metadata
from ...core.policy import MANDATORY, Config, resource_policy
from ...core.props import as_list

# Sources whose batches Lambda can partially succeed on.
BATCH_SOURCES = (":sqs:", ":kinesis:", ":dynamodb:")


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    source = args.props.get("eventSourceArn")
    if not isinstance(source, str) or not any(kind in source for kind in BATCH_SOURCES):
        args.not_applicable("the event source is not SQS, Kinesis or DynamoDB Streams")
    if "ReportBatchItemFailures" not in as_list(args.props.get("functionResponseTypes")):
        yield (
            f"Lambda event source mapping '{args.name}' retries whole batches; set "
            "function_response_types=['ReportBatchItemFailures'] and return batchItemFailures"
        )


POLICY = resource_policy(
    name="lambda-event-source-mapping-batch-failures",
    description=(
        "Lambda event source mappings for SQS, Kinesis and DynamoDB report batch item failures."
    ),
    resource_types=("aws:lambda/eventSourceMapping:EventSourceMapping",),
    check=_check,
    category=metadata.RESILIENCE,
    severity=Severity.HIGH,
    enforcement=MANDATORY,
    remediation=(
        "Set function_response_types=['ReportBatchItemFailures'] and have the handler return "
        "the failed message ids (Powertools BatchProcessor does)."
    ),
)
