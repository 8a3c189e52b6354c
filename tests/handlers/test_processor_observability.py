"""Logs carry the object on every line; metrics are published as EMF."""

import json


def _metric_documents(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.startswith('{"_aws"')]


def test_every_log_line_about_an_object_names_bucket_key_and_version(
    function_logs, make_handler, upload, s3_record_factory, sqs_event_factory, lambda_context
):
    # GIVEN a batch with a good object and a poison one
    good, bad = upload("incoming/good.json", "{}"), upload("incoming/bad.json", "{")
    event = sqs_event_factory([s3_record_factory(good)], [s3_record_factory(bad)])

    # WHEN it is processed
    make_handler()(event, lambda_context)

    # THEN each object's lines carry its bucket, key and version, and the keys are gone after
    lines = [line for line in function_logs() if line["message"].startswith("Object")]
    assert [(line["key"], line["version"]) for line in lines] == [
        (good.key, good.version_id),
        (bad.key, bad.version_id),
    ]
    assert all(line["bucket"] == good.bucket for line in lines)
    assert lines[1]["error_code"] == "InvalidJson"


def test_object_keys_are_not_left_on_later_lines(
    function_logs,
    make_handler,
    upload,
    s3_record_factory,
    sqs_event_factory,
    test_event_body,
    lambda_context,
):
    # GIVEN a message with an object followed by a test event
    event = sqs_event_factory([s3_record_factory(upload("incoming/a.json", "{}"))], test_event_body)

    # WHEN it is processed
    make_handler()(event, lambda_context)

    # THEN the test event's line does not carry the previous object's key
    [line] = [line for line in function_logs() if line["message"].startswith("No object")]
    assert "key" not in line


def test_metrics_count_objects_records_bytes_and_latency(
    capsys, make_handler, upload, s3_record_factory, sqs_event_factory, lambda_context
):
    # GIVEN a batch with a two-record object and a poison object
    good = upload("incoming/good.ndjson", b'{"a": 1}\n{"a": 2}\n')
    bad = upload("incoming/bad.json", b"{")
    event = sqs_event_factory([s3_record_factory(good)], [s3_record_factory(bad)])
    capsys.readouterr()

    # WHEN it is processed
    make_handler()(event, lambda_context)

    # THEN the EMF output carries the five metrics with their values
    values: dict[str, list[float]] = {}
    for document in _metric_documents(capsys.readouterr().out):
        for definition in document["_aws"]["CloudWatchMetrics"][0]["Metrics"]:
            values.setdefault(definition["Name"], []).extend(document[definition["Name"]])
    assert values["ObjectsProcessed"] == [1.0]
    assert values["ObjectsFailed"] == [1.0]
    assert values["RecordsProcessed"] == [2.0]
    assert values["BytesProcessed"] == [18.0]
    assert len(values["ProcessingLatency"]) == 2
    assert all(latency > 0 for latency in values["ProcessingLatency"])


def test_message_that_is_not_an_s3_notification_is_logged_as_a_warning_with_its_id(
    function_logs, make_handler, bucket, sqs_event_factory, lambda_context
):
    # GIVEN a batch whose second message is not an S3 notification
    event = sqs_event_factory([], '{"hello": "world"}')

    # WHEN it is processed
    response = make_handler()(event, lambda_context)

    # THEN it is retried (towards the DLQ), and a warning names the message and the reason
    assert response == {"batchItemFailures": [{"itemIdentifier": "message-1"}]}
    [warning] = [line for line in function_logs() if line["level"] == "WARNING"]
    assert warning["message"].startswith("Message is not an S3 event notification")
    assert warning["message_id"] == "message-1"
    assert warning["error"] == "Records must be a list of S3 event records, got NoneType"
