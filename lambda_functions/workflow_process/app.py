"""Workflow step: reprocess ONE object with the processor's own code.

The state machine's Map invokes `handler` with `{"bucket", "key"[, "version_id"]}` per
object. The object goes through `shared.pipeline.process_object`, so it is read, parsed,
processed and written exactly as the processor does: the same result item, the same
conditional write. The response is what the Map tallies:

    {"key": ..., "status": "SUCCEEDED" | "FAILED" | "SKIPPED", "error": ..., "result_id": ...}

- FAILED: a poison object (its FAILED result item is written), or a malformed request.
  Returned, not raised: retrying would not help.
- SKIPPED: the write rules kept the stored result (another write landed meanwhile).
- Throttling, 5xx or a timeout from S3 or DynamoDB raises `TransientAwsError`: the
  state machine retries it with backoff. Anything else is raised unchanged; the Map's
  Catch records it as a FAILED outcome without retries.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, TypedDict

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.exceptions import (  # type: ignore[import-untyped, unused-ignore]
    BotoCoreError,
    ClientError,
)
from shared.clients import AwsClients, default_clients
from shared.config import ProcessorSettings
from shared.errors import TransientAwsError, is_transient
from shared.events import ObjectRef
from shared.names import INCOMING_PREFIX
from shared.pipeline import ObjectOutcome, process_object
from shared.results import ResultStatus

SKIPPED = "SKIPPED"
# The Map keeps every outcome in the execution's 256 KiB payload; the full error is on
# the result item.
MAX_OUTCOME_ERROR_CHARS = 100

# Validated at import, like the processor: a misconfigured function fails its cold start
# with a message naming each variable.
SETTINGS = ProcessorSettings.from_environ(os.environ)

logger = Logger(service=SETTINGS.service_name, level=SETTINGS.log_level)
tracer = Tracer(service=SETTINGS.service_name)
metrics = Metrics(namespace=SETTINGS.metrics_namespace, service=SETTINGS.service_name)


class Outcome(TypedDict):
    key: Any
    status: str
    error: str | None
    result_id: str | None


class InvalidRequestError(ValueError):
    """The step's input does not name one object under incoming/."""


def parse_request(event: Any) -> ObjectRef:
    """The object version to reprocess; raises `InvalidRequestError` naming the field."""
    if not isinstance(event, dict):
        raise InvalidRequestError(f"expected an object with bucket and key, got {event!r}")
    bucket, key, version_id = event.get("bucket"), event.get("key"), event.get("version_id")
    if not isinstance(bucket, str) or not bucket:
        raise InvalidRequestError(f"'bucket' must be a non-empty string, got {bucket!r}")
    if not isinstance(key, str) or not key.startswith(INCOMING_PREFIX):
        raise InvalidRequestError(f"'key' must be a string under {INCOMING_PREFIX!r}, got {key!r}")
    if version_id is not None and (not isinstance(version_id, str) or not version_id):
        raise InvalidRequestError(f"'version_id' must be a non-empty string, got {version_id!r}")
    return ObjectRef(bucket=bucket, key=key, version_id=version_id)


def outcome_of(outcome: ObjectOutcome) -> Outcome:
    """The Map's view of a pipeline outcome."""
    status = outcome.status.value if outcome.written else SKIPPED
    error = outcome.error[:MAX_OUTCOME_ERROR_CHARS] if outcome.error else None
    return Outcome(key=outcome.ref.key, status=status, error=error, result_id=outcome.result_id)


Handler = Callable[[dict[str, Any], LambdaContext], Outcome]


def create_handler(settings: ProcessorSettings, clients: Callable[[], AwsClients]) -> Handler:
    """A Lambda handler bound to `settings` and to a provider of AWS clients.

    The module's `handler` is the one Lambda calls; tests build their own with clients
    that inject faults.

    Example:
        >>> step = create_handler(SETTINGS, default_clients)
        >>> step({"bucket": "ingest", "key": "incoming/a.json"}, context)["status"]
        'SUCCEEDED'
    """

    @tracer.capture_method(capture_response=False)
    def reprocess(ref: ObjectRef) -> ObjectOutcome:
        tracer.put_annotation(key="bucket", value=ref.bucket)
        tracer.put_metadata(key="object", value={"key": ref.key, "version": ref.version_id})
        try:
            return process_object(ref, settings=settings, clients=clients())
        except (ClientError, BotoCoreError) as error:
            if is_transient(error):
                raise TransientAwsError(f"{ref.key}: {error}") from error
            raise

    @logger.inject_lambda_context(clear_state=True)
    @tracer.capture_lambda_handler(capture_response=False)
    @metrics.log_metrics
    def handler(event: dict[str, Any], context: LambdaContext) -> Outcome:
        try:
            ref = parse_request(event)
        except InvalidRequestError as error:
            logger.warning("Request rejected: recorded as FAILED", extra={"error": str(error)})
            metrics.add_metric(name="ObjectsFailed", unit=MetricUnit.Count, value=1)
            key = event.get("key") if isinstance(event, dict) else None
            message = str(error)[:MAX_OUTCOME_ERROR_CHARS]
            return Outcome(key=key, status=ResultStatus.FAILED.value, error=message, result_id=None)
        logger.append_keys(bucket=ref.bucket, key=ref.key, version=ref.version_id or "latest")
        processed = reprocess(ref)
        outcome = outcome_of(processed)
        _record(outcome, processed.duration_ms)
        return outcome

    return handler


def _record(outcome: Outcome, duration_ms: float) -> None:
    """The processor's metric names; the service dimension tells the two apart."""
    metric = {"SUCCEEDED": "ObjectsProcessed", "FAILED": "ObjectsFailed"}.get(
        outcome["status"], "ObjectsSkipped"
    )
    metrics.add_metric(name=metric, unit=MetricUnit.Count, value=1)
    metrics.add_metric(name="ProcessingLatency", unit=MetricUnit.Milliseconds, value=duration_ms)
    logger.info(
        "Object reprocessed", extra={"status": outcome["status"], "error": outcome["error"]}
    )


handler = create_handler(SETTINGS, default_clients)
