"""Process one object reference and write its result: the code every caller shares.

The processor calls it for each S3 record of an SQS message; the reprocessing
workflow calls it for each listed object. Nothing here knows about SQS.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from shared import processing
from shared.clients import AwsClients
from shared.config import ProcessorSettings
from shared.document import Document, ProcessFunction
from shared.errors import FailureCode, PoisonObjectError
from shared.events import ObjectRef
from shared.formats import detect_format
from shared.parsing import parse_records
from shared.reader import ObjectStream, open_object
from shared.result_store import ResultStore
from shared.results import ResultItem, ResultStatus


@dataclass(frozen=True)
class ObjectOutcome:
    """What happened to one object reference, for logs and metrics.

    `written` is False when the rules kept the stored result: the same event delivered
    again, an event older than the stored one, or a concurrent write.
    """

    ref: ObjectRef
    result_id: str
    status: ResultStatus
    written: bool
    record_count: int
    byte_size: int
    duration_ms: float
    error: str | None = None
    error_code: str | None = None


def process_object(
    ref: ObjectRef,
    *,
    settings: ProcessorSettings,
    clients: AwsClients,
    process: ProcessFunction | None = None,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> ObjectOutcome:
    """Read, parse and process one object version, then write its one result item.

    A poison object (missing, empty, too large, unsupported, unparseable, or rejected
    by the processing function) becomes a FAILED item and is returned normally. Any
    other exception (throttling, 5xx, timeouts from S3 or DynamoDB) propagates: the
    caller retries, and no item was written for this attempt.

    Example (it needs AWS, so it is not a doctest)::

        outcome = process_object(ObjectRef("ingest", "incoming/a.json", "v1", "0A"),
                settings=ProcessorSettings.from_environ(os.environ), clients=default_clients())
        outcome.status, outcome.written
        (<ResultStatus.SUCCEEDED: 'SUCCEEDED'>, True)
    """
    started = time.perf_counter()
    now = clock()
    process = process or processing.process_document
    store = ResultStore(clients.dynamodb, settings.results_table)
    # A write without an S3 event has no sequencer to order it, so it must find the
    # stored result as it was before the object was read (see ResultStore.save).
    expected = store.state(ref) if ref.sequencer is None else None
    byte_size = 0
    record_count = 0
    target = ref
    try:
        with open_object(clients.s3, ref) as stream:
            target, byte_size = stream.ref, stream.content_length
            if expected is not None and target != ref:
                # S3 named the version; a version's bytes never change, so its stored
                # state read now is as good as one read before.
                expected = store.state(target)
            document = _read_document(stream, settings.max_object_bytes)
        summary = process(document)
        record_count = len(document.records)
        item = ResultItem(
            ref=target,
            status=ResultStatus.SUCCEEDED,
            now=now,
            ttl_days=settings.result_ttl_days,
            object_format=document.object_format.value,
            content_type=document.content_type,
            byte_size=document.byte_size,
            sha256=document.sha256,
            summary=summary,
        )
    except PoisonObjectError as error:
        item = ResultItem(
            ref=target,
            status=ResultStatus.FAILED,
            now=now,
            ttl_days=settings.result_ttl_days,
            byte_size=byte_size if error.code != FailureCode.OBJECT_MISSING else None,
            error=error.message,
            error_code=error.code.value,
        )
    written = store.save(item, expected=expected)
    return ObjectOutcome(
        ref=target,
        result_id=item.result_id,
        status=item.status,
        written=written,
        record_count=record_count,
        byte_size=byte_size,
        duration_ms=(time.perf_counter() - started) * 1000,
        error=item.error,
        error_code=item.error_code,
    )


def _read_document(stream: ObjectStream, max_bytes: int) -> Document:
    # The checks that need only headers come first, so a rejected body is never read.
    object_format = detect_format(stream.ref.key, stream.content_type)
    if stream.content_length == 0:
        raise PoisonObjectError("empty object: it has no bytes", code=FailureCode.EMPTY_OBJECT)
    body = stream.read(max_bytes)
    parsed = parse_records(body, object_format)
    return Document(
        ref=stream.ref,
        object_format=object_format,
        content_type=stream.content_type,
        body=body,
        sha256=hashlib.sha256(body).hexdigest(),
        records=parsed.records,
        invalid_count=parsed.invalid_count,
        invalid_examples=parsed.invalid_examples,
    )
