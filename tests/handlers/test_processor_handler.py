"""The processor handler end to end against moto: formats, keys, idempotency, ordering,
poison input and the message shapes SQS and S3 send."""

import hashlib
import re
from datetime import UTC, datetime

import pytest
from processor import app
from shared import processing
from shared.errors import PoisonObjectError
from shared.results import parse_result_id, result_key

ISO_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")


@pytest.mark.parametrize(
    ("key", "body", "content_type", "expected_format", "expected_fields"),
    [
        ("incoming/one.json", '{"id": 1, "amount": 5}', None, "json", ["amount", "id"]),
        ("incoming/list.json", '[{"id": 1}, {"id": 2, "name": "x"}]', None, "json", ["id", "name"]),
        (
            "incoming/lines.ndjson",
            '{"id": 1}\n{"id": 2, "ok": true}\n',
            None,
            "ndjson",
            ["id", "ok"],
        ),
        ("incoming/lines.jsonl", '{"id": 1}\n\n{"id": 2}', None, "ndjson", ["id"]),
        ("incoming/table.csv", "id,name\n1,a\n2,b\n", None, "csv", ["id", "name"]),
        (
            "incoming/export",
            "id,name\n1,a\n2,b\n",
            "text/csv; charset=utf-8",
            "csv",
            ["id", "name"],
        ),
    ],
)
def test_each_supported_format_becomes_a_succeeded_result(
    make_handler,
    upload,
    s3_record_factory,
    sqs_event_factory,
    lambda_context,
    results,
    key,
    body,
    content_type,
    expected_format,
    expected_fields,
):
    # GIVEN an uploaded object of a supported format
    uploaded = upload(key, body, content_type=content_type)
    event = sqs_event_factory([s3_record_factory(uploaded)])

    # WHEN the processor handles its notification
    response = make_handler()(event, lambda_context)

    # THEN no message is retried and one SUCCEEDED result summarises the records
    assert response == {"batchItemFailures": []}
    [item] = results()
    assert item["status"] == "SUCCEEDED"
    assert item["format"] == expected_format
    assert item["summary"]["record_count"] == 2 - (key == "incoming/one.json")
    assert item["summary"]["field_names"] == expected_fields
    assert item["summary"]["invalid_count"] == 0


def test_result_item_carries_key_ids_summary_and_timestamps(
    make_handler, upload, s3_record_factory, sqs_event_factory, lambda_context, results
):
    # GIVEN an NDJSON object with one invalid line among valid ones
    body = b'{"id": 1}\nnot json\n{"id": 2}\n'
    uploaded = upload("incoming/orders.ndjson", body)
    record = s3_record_factory(uploaded, sequencer="0055AED6DCD90281E5")
    before = datetime.now(UTC)

    # WHEN it is processed
    make_handler()(sqs_event_factory([record]), lambda_context)

    # THEN the item is keyed by object version and records everything the API needs
    [item] = results()
    assert {k: item[k] for k in ("pk", "sk")} == result_key(
        uploaded.bucket, uploaded.key, uploaded.version_id
    )
    assert parse_result_id(item["result_id"]).key == "incoming/orders.ndjson"
    assert item["bucket"] == uploaded.bucket
    assert item["object_key"] == uploaded.key
    assert item["version_id"] == uploaded.version_id
    assert item["sequencer"] == "0055AED6DCD90281E5"
    assert item["byte_size"] == len(body)
    assert item["sha256"] == hashlib.sha256(body).hexdigest()
    assert item["summary"]["invalid_count"] == 1
    assert item["summary"]["invalid_examples"] == ["line 2: Expecting value at column 1"]
    assert ISO_UTC.fullmatch(item["created_at"])
    assert item["created_at"] == item["updated_at"]
    assert "error" not in item
    assert int(item["expires_at"]) >= before.timestamp() + 30 * 86400 - 1


def test_no_expiry_is_stored_when_result_ttl_days_is_zero(
    make_handler, upload, s3_record_factory, sqs_event_factory, lambda_context, results
):
    # GIVEN a processor configured with RESULT_TTL_DAYS=0
    handler = make_handler(result_ttl_days=0)
    uploaded = upload("incoming/keep.json", "{}")

    # WHEN it processes an object
    handler(sqs_event_factory([s3_record_factory(uploaded)]), lambda_context)

    # THEN the result has no TTL attribute
    [item] = results()
    assert "expires_at" not in item


def test_url_encoded_unicode_key_is_stored_decoded(
    make_handler, upload, s3_record_factory, sqs_event_factory, lambda_context, results
):
    # GIVEN the key `reports/Q1 2026/März+data.json`, which S3 sends URL-encoded
    uploaded = upload("reports/Q1 2026/März+data.json", '{"a": 1}')
    record = s3_record_factory(uploaded)
    assert record["s3"]["object"]["key"] == "reports/Q1+2026/M%C3%A4rz%2Bdata.json"

    # WHEN it is processed
    response = make_handler()(sqs_event_factory([record]), lambda_context)

    # THEN the object was found and the result stores the decoded key
    assert response == {"batchItemFailures": []}
    [item] = results()
    assert item["status"] == "SUCCEEDED"
    assert item["object_key"] == "reports/Q1 2026/März+data.json"
    assert item["pk"] == f"OBJECT#{uploaded.bucket}/reports/Q1 2026/März+data.json"


def test_duplicate_delivery_leaves_one_unchanged_item(
    make_handler, upload, s3_record_factory, sqs_event_factory, lambda_context, results
):
    # GIVEN an object whose notification was already processed
    handler = make_handler()
    record = s3_record_factory(upload("incoming/a.json", "{}"))
    handler(sqs_event_factory([record]), lambda_context)
    [first] = results()

    # WHEN the same notification is delivered again
    response = handler(sqs_event_factory([record]), lambda_context)

    # THEN it is acknowledged and the one item is exactly as it was
    assert response == {"batchItemFailures": []}
    assert results() == [first]


def test_older_sequencer_does_not_overwrite_a_newer_result(
    make_handler,
    upload,
    unversioned_bucket,
    s3_record_factory,
    sqs_event_factory,
    lambda_context,
    results,
):
    # GIVEN an unversioned key whose newer upload was processed first (out of order)
    handler = make_handler()
    upload("incoming/a.json", '{"old": 1}', to=unversioned_bucket)
    older = s3_record_factory(bucket=unversioned_bucket, key="incoming/a.json", sequencer="0A")
    newer_object = upload("incoming/a.json", '{"new": 1}', to=unversioned_bucket)
    newer = s3_record_factory(newer_object, sequencer="0B")
    handler(sqs_event_factory([newer]), lambda_context)
    [stored] = results()

    # WHEN the older event arrives afterwards
    response = handler(sqs_event_factory([older]), lambda_context)

    # THEN it is acknowledged and the newer result stays
    assert response == {"batchItemFailures": []}
    assert results() == [stored]
    assert stored["sequencer"] == "0B"


def test_newer_sequencer_overwrites_an_older_result(
    make_handler,
    upload,
    unversioned_bucket,
    s3_record_factory,
    sqs_event_factory,
    lambda_context,
    results,
):
    # GIVEN the result of an upload to an unversioned key
    handler = make_handler()
    first = upload("incoming/a.csv", "x\n1\n", to=unversioned_bucket)
    handler(sqs_event_factory([s3_record_factory(first, sequencer="0A")]), lambda_context)
    [before] = results()

    # WHEN the key is overwritten and its (longer, later) sequencer arrives
    second = upload("incoming/a.csv", "x,y\n1,2\n3,4\n", to=unversioned_bucket)
    handler(sqs_event_factory([s3_record_factory(second, sequencer="0A01")]), lambda_context)

    # THEN the same item now holds the newer result, with its creation time kept
    [after] = results()
    assert after["sk"] == "VERSION#null"
    assert after["sequencer"] == "0A01"
    assert after["summary"]["record_count"] == 2
    assert after["created_at"] == before["created_at"]


def test_message_with_several_records_writes_one_item_per_object(
    make_handler, upload, s3_record_factory, sqs_event_factory, lambda_context, results
):
    # GIVEN one notification that carries two records
    records = [s3_record_factory(upload(f"incoming/{n}.json", "{}")) for n in ("a", "b")]

    # WHEN it is processed
    response = make_handler()(sqs_event_factory(records), lambda_context)

    # THEN each object has its result
    assert response == {"batchItemFailures": []}
    assert sorted(item["object_key"] for item in results()) == [
        "incoming/a.json",
        "incoming/b.json",
    ]


@pytest.mark.parametrize(
    ("key", "body", "error_code", "error_start"),
    [
        ("incoming/bad.json", '{"id": 1,', "InvalidJson", "invalid JSON: Expecting"),
        ("incoming/scalar.json", "42", "InvalidJson", "invalid JSON: expected an object"),
        (
            "incoming/latin1.csv",
            "name\nM\xe4rz\n".encode("latin-1"),
            "InvalidEncoding",
            "invalid encoding",
        ),
        ("incoming/headless.csv", "\n\n", "InvalidCsv", "invalid CSV: the first row"),
        ("incoming/image.png", b"\x89PNG", "UnsupportedFormat", "unsupported type"),
        ("incoming/empty.json", b"", "EmptyObject", "empty object"),
        (
            "incoming/deep.json",
            "[" * 20_000 + "]" * 20_000,
            "JsonTooDeep",
            "invalid JSON: nested too deeply to parse",
        ),
        (
            "incoming/huge-number.json",
            '{"amount": ' + "9" * 5_000 + "}",
            "NumberTooLarge",
            "invalid JSON: an integer has more than",
        ),
    ],
)
def test_poison_object_becomes_failed_result_and_is_not_retried(
    make_handler,
    upload,
    s3_record_factory,
    sqs_event_factory,
    lambda_context,
    results,
    key,
    body,
    error_code,
    error_start,
):
    # GIVEN an object that can never be processed as it is
    event = sqs_event_factory([s3_record_factory(upload(key, body))])

    # WHEN it is processed
    response = make_handler()(event, lambda_context)

    # THEN its message is acknowledged and its result is FAILED with the reason
    assert response == {"batchItemFailures": []}
    [item] = results()
    assert item["status"] == "FAILED"
    assert item["error_code"] == error_code
    assert item["error"].startswith(error_start)
    assert "summary" not in item


def test_object_over_the_size_cap_becomes_failed_result(
    make_handler, upload, s3_record_factory, sqs_event_factory, lambda_context, results
):
    # GIVEN a processor capped at 1 KiB and a 2 KiB object
    handler = make_handler(max_object_bytes=1024)
    uploaded = upload("incoming/big.ndjson", b'{"a": 1}\n' * 228)

    # WHEN it is processed
    response = handler(sqs_event_factory([s3_record_factory(uploaded)]), lambda_context)

    # THEN it is a FAILED result naming both sizes, and the message is acknowledged
    assert response == {"batchItemFailures": []}
    [item] = results()
    assert item["status"] == "FAILED"
    assert item["error_code"] == "ObjectTooLarge"
    assert item["error"] == (
        "object too large: 2052 bytes is over the limit of 1024 bytes (MAX_OBJECT_BYTES)"
    )
    assert item["byte_size"] == 2052


def test_object_deleted_before_processing_becomes_failed_result(
    aws, make_handler, upload, s3_record_factory, sqs_event_factory, lambda_context, results
):
    # GIVEN a notification for an object version that was deleted since
    uploaded = upload("incoming/gone.json", "{}")
    aws.s3.delete_object(Bucket=uploaded.bucket, Key=uploaded.key, VersionId=uploaded.version_id)

    # WHEN it is processed
    response = make_handler()(sqs_event_factory([s3_record_factory(uploaded)]), lambda_context)

    # THEN it is not retried forever: the result says the object no longer exists
    assert response == {"batchItemFailures": []}
    [item] = results()
    assert item["status"] == "FAILED"
    assert item["error_code"] == "ObjectMissing"
    assert item["error"].startswith("object no longer exists")


def test_s3_test_event_is_acknowledged_and_ignored(
    make_handler, bucket, sqs_event_factory, test_event_body, lambda_context, results
):
    # GIVEN the s3:TestEvent S3 sends when the notification is configured
    event = sqs_event_factory(test_event_body)

    # WHEN it is processed
    response = make_handler()(event, lambda_context)

    # THEN it is acknowledged and writes nothing
    assert response == {"batchItemFailures": []}
    assert results() == []


def test_empty_batch_is_handled(make_handler, bucket, lambda_context, results):
    # GIVEN a batch without messages
    # WHEN it is processed
    response = make_handler()({"Records": []}, lambda_context)

    # THEN the response reports no failures and nothing is written
    assert response == {"batchItemFailures": []}
    assert results() == []


def test_records_other_than_object_created_are_ignored(
    make_handler, bucket, s3_record_factory, sqs_event_factory, lambda_context, results
):
    # GIVEN a notification for a deletion (the bucket sends only creations, but still)
    record = s3_record_factory(event_name="ObjectRemoved:Delete")

    # WHEN it is processed
    response = make_handler()(sqs_event_factory([record]), lambda_context)

    # THEN it is acknowledged without a result
    assert response == {"batchItemFailures": []}
    assert results() == []


def test_message_that_is_not_an_s3_notification_is_retried_towards_the_dlq(
    make_handler, bucket, upload, s3_record_factory, sqs_event_factory, lambda_context, results
):
    # GIVEN a batch with a good notification and a body that is not one
    good = s3_record_factory(upload("incoming/a.json", "{}"))
    event = sqs_event_factory([good], '{"hello": "world"}')

    # WHEN it is processed
    response = make_handler()(event, lambda_context)

    # THEN only the unreadable message is reported (it ends in the DLQ, not lost)
    assert response == {"batchItemFailures": [{"itemIdentifier": "message-1"}]}
    assert [item["object_key"] for item in results()] == ["incoming/a.json"]


@pytest.mark.parametrize(
    ("event", "problem"),
    [
        ({}, "the event has no Records list"),
        ({"bucket": "ingest-bucket", "key": "incoming/a.json"}, "the event has no Records list"),
        ({"Records": "x"}, "the event has no Records list"),
        ([{"eventSource": "aws:sqs"}], "the event is a list, not an object"),
        ({"Records": [{"eventSource": "aws:s3", "s3": {}}]}, "Records[0].eventSource is 'aws:s3'"),
        ({"Records": [{"eventSource": "aws:sqs", "body": "{}"}]}, "Records[0].messageId is None"),
        ({"Records": [{"eventSource": "aws:sqs", "messageId": "m"}]}, "Records[0].body is None"),
    ],
)
def test_invocation_with_an_event_that_is_not_from_sqs_raises_naming_the_problem(
    make_handler, bucket, lambda_context, results, event, problem
):
    # GIVEN an event that did not come from the SQS event source mapping
    # WHEN the processor is invoked with it directly
    with pytest.raises(ValueError, match="expected an SQS event") as raised:
        make_handler()(event, lambda_context)

    # THEN the error says what was expected and what was wrong, and nothing is written
    assert str(raised.value) == (
        f"expected an SQS event with Records[].eventSource == 'aws:sqs': {problem}"
    )
    assert results() == []


def test_replaced_processing_function_defines_the_summary(
    monkeypatch,
    make_handler,
    upload,
    s3_record_factory,
    sqs_event_factory,
    lambda_context,
    results,
):
    # GIVEN a fork whose processing function totals an amount
    def total_amount(document):
        return {"total": sum(record["amount"] for record in document.records)}

    monkeypatch.setattr(processing, "process_document", total_amount)
    uploaded = upload("incoming/amounts.ndjson", '{"amount": 2}\n{"amount": 3.5}\n')

    # WHEN an object is processed
    make_handler()(sqs_event_factory([s3_record_factory(uploaded)]), lambda_context)

    # THEN its summary is what the fork returned (floats stored as numbers)
    [item] = results()
    assert item["status"] == "SUCCEEDED"
    assert item["summary"] == {"total": 5.5}


def test_processing_function_rejecting_an_object_gives_failed_result(
    monkeypatch,
    make_handler,
    upload,
    s3_record_factory,
    sqs_event_factory,
    lambda_context,
    results,
):
    # GIVEN a processing function that rejects objects without records
    def require_records(document):
        if not document.records:
            raise PoisonObjectError("no records: the file holds an empty list")
        return {}

    monkeypatch.setattr(processing, "process_document", require_records)
    uploaded = upload("incoming/nothing.json", "[]")

    # WHEN the object is processed
    response = make_handler()(sqs_event_factory([s3_record_factory(uploaded)]), lambda_context)

    # THEN the result is FAILED with the function's reason, and it is not retried
    assert response == {"batchItemFailures": []}
    [item] = results()
    assert (item["status"], item["error_code"]) == ("FAILED", "Rejected")
    assert item["error"] == "no records: the file holds an empty list"


def test_module_handler_processes_with_the_environment_settings(
    aws, upload, s3_record_factory, sqs_event_factory, lambda_context, results
):
    # GIVEN the handler Lambda calls, built from the environment at import
    uploaded = upload("incoming/a.json", '{"a": 1}')

    # WHEN it handles a notification (its clients are created now, under moto)
    response = app.handler(sqs_event_factory([s3_record_factory(uploaded)]), lambda_context)

    # THEN it writes to the table named by RESULTS_TABLE
    assert response == {"batchItemFailures": []}
    [item] = results()
    assert item["status"] == "SUCCEEDED"
