"""The processor function: an SQS batch of S3 notifications in, one result per object.

Poison objects become FAILED results and are acknowledged; transient errors leave
their message in `batchItemFailures` so that SQS retries it (and dead-letters it after
the queue's last receive). The processing itself lives in `shared`, which the
reprocessing workflow calls too.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, NoReturn

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext
from shared.clients import AwsClients, default_clients
from shared.config import ProcessorSettings
from shared.events import InvalidEventError, ObjectRef, parse_notification
from shared.pipeline import ObjectOutcome, process_object
from shared.results import ResultStatus

# Validated at import so that a misconfigured function fails its cold start with a
# message naming the variable, instead of failing every message.
SETTINGS = ProcessorSettings.from_environ(os.environ)

logger = Logger(service=SETTINGS.service_name, level=SETTINGS.log_level)
tracer = Tracer(service=SETTINGS.service_name)
metrics = Metrics(namespace=SETTINGS.metrics_namespace, service=SETTINGS.service_name)

Handler = Callable[[dict[str, Any], LambdaContext], PartialItemFailureResponse]

SQS_EVENT_SOURCE = "aws:sqs"


class NotAnSqsEventError(ValueError):
    """The function was invoked with something other than an SQS batch (say, directly
    with an S3 notification or an object reference); the message says what was wrong."""


def require_sqs_event(event: Any) -> None:
    """Raise `NotAnSqsEventError` unless `event` is a batch from an SQS event source.

    Only the queue's event source mapping invokes this function. Any other event would
    otherwise be acknowledged as an empty batch, or fail inside the batch processor
    with a KeyError, and its objects would never get a result.

    Example:
        >>> require_sqs_event({"Records": [{"eventSource": "aws:s3"}]})
        Traceback (most recent call last):
        ...
        NotAnSqsEventError: expected an SQS event ...: Records[0].eventSource is 'aws:s3'
    """
    if not isinstance(event, dict):
        _reject(f"the event is a {type(event).__name__}, not an object")
    records = event.get("Records")
    if not isinstance(records, list):
        _reject("the event has no Records list")
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            _reject(f"Records[{index}] is a {type(record).__name__}, not an object")
        if record.get("eventSource") != SQS_EVENT_SOURCE:
            _reject(f"Records[{index}].eventSource is {record.get('eventSource')!r}")
        for field in ("messageId", "body"):
            if not isinstance(record.get(field), str):
                _reject(f"Records[{index}].{field} is {record.get(field)!r}")


def _reject(problem: str) -> NoReturn:
    raise NotAnSqsEventError(
        f"expected an SQS event with Records[].eventSource == {SQS_EVENT_SOURCE!r}: {problem}"
    )


def create_handler(settings: ProcessorSettings, clients: Callable[[], AwsClients]) -> Handler:
    """A Lambda handler bound to `settings` and to a provider of AWS clients.

    The module's `handler` is the one Lambda calls; tests build their own with other
    settings or with clients that inject faults.

    Example:
        >>> custom = create_handler(SETTINGS, default_clients)
        >>> custom({"Records": []}, context)
        {'batchItemFailures': []}
    """
    # A batch that fails entirely is reported message by message like any other, so
    # the response always says exactly which messages to retry.
    batch = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)

    @tracer.capture_method(capture_response=False)
    def process_reference(ref: ObjectRef) -> ObjectOutcome:
        tracer.put_annotation(key="bucket", value=ref.bucket)
        tracer.put_metadata(key="object", value={"key": ref.key, "version": ref.version_id})
        return process_object(ref, settings=settings, clients=clients())

    def process_message(record: SQSRecord) -> None:
        try:
            refs = parse_notification(record.body)
        except InvalidEventError as error:
            # Retried like a transient failure so that it ends in the DLQ, where someone
            # can read it: acknowledging it would lose whatever it was meant to carry.
            logger.warning(
                "Message is not an S3 event notification: it will be retried, then dead-lettered",
                extra={"message_id": record.message_id, "error": str(error)},
            )
            raise
        if not refs:
            logger.info("No object to process in this message", extra={"id": record.message_id})
        transient: list[Exception] = []
        for ref in refs:
            with logger.append_context_keys(
                bucket=ref.bucket, key=ref.key, version=ref.version_id or "null"
            ):
                try:
                    _record(process_reference(ref))
                # Any error that is not poison is transient: the other records of the
                # message still get processed, then the message as a whole is retried.
                except Exception as error:
                    logger.exception("Transient failure; the message will be retried")
                    transient.append(error)
        if transient:
            raise ExceptionGroup(f"{len(transient)} of {len(refs)} objects failed", transient)

    @logger.inject_lambda_context(clear_state=True)
    @tracer.capture_lambda_handler(capture_response=False)
    @metrics.log_metrics(capture_cold_start_metric=True)
    def handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
        require_sqs_event(event)
        if not event["Records"]:
            # Powertools rejects an empty batch as an unknown event type; it is just empty.
            return {"batchItemFailures": []}
        return process_partial_response(
            event=event, record_handler=process_message, processor=batch, context=context
        )

    return handler


def _record(outcome: ObjectOutcome) -> None:
    """Logs and metrics for one object outcome."""
    metrics.add_metric(
        name="ProcessingLatency", unit=MetricUnit.Milliseconds, value=outcome.duration_ms
    )
    details: dict[str, object] = {"result_id": outcome.result_id, "written": outcome.written}
    if outcome.status is ResultStatus.SUCCEEDED:
        metrics.add_metric(name="ObjectsProcessed", unit=MetricUnit.Count, value=1)
        metrics.add_metric(
            name="RecordsProcessed", unit=MetricUnit.Count, value=outcome.record_count
        )
        metrics.add_metric(name="BytesProcessed", unit=MetricUnit.Bytes, value=outcome.byte_size)
        logger.info("Object processed", extra={**details, "records": outcome.record_count})
    else:
        metrics.add_metric(name="ObjectsFailed", unit=MetricUnit.Count, value=1)
        logger.warning(
            "Object rejected: recorded as FAILED, not retried",
            extra={**details, "error": outcome.error, "error_code": outcome.error_code},
        )
    if not outcome.written:
        logger.info("Result unchanged: a duplicate delivery or an older event", extra=details)


handler = create_handler(SETTINGS, default_clients)
