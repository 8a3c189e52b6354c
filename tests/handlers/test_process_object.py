"""`process_object`, the shared entry point other callers (the reprocessing workflow)
use without SQS: outcomes, and results written without an S3 event."""

from datetime import UTC, datetime

import pytest
from shared.errors import PoisonObjectError
from shared.events import ObjectRef
from shared.pipeline import process_object
from shared.results import ResultStatus

EARLY = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
LATE = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def test_outcome_reports_the_result_for_logs_and_metrics(aws, settings, upload):
    # GIVEN an uploaded NDJSON object
    uploaded = upload("incoming/a.ndjson", b'{"a": 1}\n{"a": 2}\n')
    ref = ObjectRef(uploaded.bucket, uploaded.key, uploaded.version_id, "0A")

    # WHEN it is processed directly
    outcome = process_object(ref, settings=settings, clients=aws)

    # THEN the outcome says what was written
    assert outcome.status is ResultStatus.SUCCEEDED
    assert outcome.written
    assert (outcome.record_count, outcome.byte_size) == (2, 18)
    assert outcome.duration_ms > 0


def test_reference_without_version_is_recorded_under_the_version_s3_served(
    aws, settings, upload, results
):
    # GIVEN a listed object: key known, version not
    uploaded = upload("incoming/listed.json", "{}")

    # WHEN it is processed without version and sequencer
    outcome = process_object(
        ObjectRef(uploaded.bucket, uploaded.key), settings=settings, clients=aws
    )

    # THEN the result is keyed by the version that was read, without a sequencer
    [item] = results()
    assert item["sk"] == f"VERSION#{uploaded.version_id}"
    assert outcome.ref.version_id == uploaded.version_id
    assert "sequencer" not in item


def test_reprocessing_replaces_an_event_result_and_keeps_its_sequencer(
    aws, settings, upload, results
):
    # GIVEN a FAILED event result, for an object now readable by a fixed processor
    uploaded = upload("incoming/a.json", '{"a": 1}')
    event_ref = ObjectRef(uploaded.bucket, uploaded.key, uploaded.version_id, "0A")

    def reject(document):
        raise PoisonObjectError("bug in the old processor")

    process_object(event_ref, settings=settings, clients=aws, process=reject, clock=lambda: EARLY)

    # WHEN the object is reprocessed (no sequencer: not an S3 event)
    reprocess_ref = ObjectRef(uploaded.bucket, uploaded.key, uploaded.version_id)
    outcome = process_object(reprocess_ref, settings=settings, clients=aws, clock=lambda: LATE)

    # THEN the one item holds the new result, keeps the sequencer and its creation time
    assert outcome.written
    [item] = results()
    assert item["status"] == "SUCCEEDED"
    assert "error" not in item
    assert item["sequencer"] == "0A"
    assert (item["created_at"], item["updated_at"]) == (
        "2026-03-01T12:00:00.000Z",
        "2026-03-02T12:00:00.000Z",
    )


def test_event_result_replaces_a_reprocessing_result(
    aws, settings, unversioned_bucket, upload, results
):
    # GIVEN an unversioned key reprocessed without a sequencer
    upload("incoming/a.json", '{"old": 1}', to=unversioned_bucket)
    process_object(ObjectRef(unversioned_bucket, "incoming/a.json"), settings=settings, clients=aws)

    # WHEN a new upload's event arrives
    upload("incoming/a.json", '{"new": 1}', to=unversioned_bucket)
    ref = ObjectRef(unversioned_bucket, "incoming/a.json", None, "0B")
    outcome = process_object(ref, settings=settings, clients=aws)

    # THEN the event's result replaces it
    assert outcome.written
    [item] = results()
    assert item["summary"]["field_names"] == ["new"]
    assert item["sequencer"] == "0B"


def test_reprocessing_does_not_overwrite_a_result_written_meanwhile(
    aws, settings, unversioned_bucket, upload, results
):
    # GIVEN a reprocessing run whose processing overlaps a newer event's write
    upload("incoming/a.json", '{"v": 1}', to=unversioned_bucket)
    newer = ObjectRef(unversioned_bucket, "incoming/a.json", None, "0C")

    def meanwhile(document):
        process_object(newer, settings=settings, clients=aws)
        return {"from": "reprocessing"}

    # WHEN the reprocessing run writes
    outcome = process_object(
        ObjectRef(unversioned_bucket, "incoming/a.json"),
        settings=settings,
        clients=aws,
        process=meanwhile,
    )

    # THEN its write is dropped and the event's result stays
    assert not outcome.written
    [item] = results()
    assert item["sequencer"] == "0C"
    assert "from" not in item["summary"]


def test_non_poison_error_from_the_processing_function_propagates_for_retry(
    aws, settings, upload, results
):
    # GIVEN a processing function that fails for a reason other than the object
    uploaded = upload("incoming/a.json", "{}")

    def unavailable(document):
        raise ConnectionError("reference service unavailable")

    # WHEN the object is processed
    # THEN the error reaches the caller (which retries) and nothing is recorded
    with pytest.raises(ConnectionError):
        process_object(
            ObjectRef(uploaded.bucket, uploaded.key, uploaded.version_id, "0A"),
            settings=settings,
            clients=aws,
            process=unavailable,
        )
    assert results() == []
