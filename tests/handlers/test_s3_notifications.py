"""SQS message bodies to object references: decoding, test events and bad bodies."""

import json

import pytest
from shared.events import InvalidEventError, ObjectRef, parse_notification


def test_key_is_url_decoded_with_plus_as_space(s3_record_factory):
    # GIVEN a record whose key S3 encoded
    record = s3_record_factory(key="reports/Q1 2026/März+data.json", version_id="v1")
    assert record["s3"]["object"]["key"] == "reports/Q1+2026/M%C3%A4rz%2Bdata.json"

    # WHEN the body is parsed
    [ref] = parse_notification(json.dumps({"Records": [record]}))

    # THEN the key is the object's real key
    assert ref.key == "reports/Q1 2026/März+data.json"


def test_every_created_record_becomes_a_reference(s3_record_factory):
    # GIVEN a body with two creations and a deletion
    records = [
        s3_record_factory(key="incoming/a.json", version_id="v1", sequencer="0A"),
        s3_record_factory(key="incoming/b.json", event_name="ObjectRemoved:Delete"),
        s3_record_factory(key="incoming/c.json", sequencer="0C"),
    ]

    # WHEN it is parsed
    refs = parse_notification(json.dumps({"Records": records}))

    # THEN the creations are referenced in order, unversioned as version None
    assert refs == [
        ObjectRef("ingest-bucket", "incoming/a.json", "v1", "0A"),
        ObjectRef("ingest-bucket", "incoming/c.json", None, "0C"),
    ]


def test_s3_test_event_has_no_objects(test_event_body):
    # GIVEN the body S3 sends when the notification is configured
    # WHEN it is parsed
    # THEN there is nothing to process
    assert parse_notification(json.dumps(test_event_body)) == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("not json", "message body is not JSON"),
        ("[1]", "message body must be a JSON object, got list"),
        ('{"hello": 1}', "Records must be a list of S3 event records, got NoneType"),
        ('{"Records": ["x"]}', "Records[0] must be an object, got str"),
        ('{"Records": [{"eventSource": "aws:sqs"}]}', "Records[0].eventSource must be 'aws:s3'"),
        ('{"Records": ' + "[" * 100_000, "message body is not JSON: nested too deeply to parse"),
        ('{"Records": ' + "7" * 5_000 + "}", "message body is not JSON: an integer has more than"),
    ],
)
def test_body_that_is_not_an_s3_notification_is_rejected_with_the_field(body, message):
    # GIVEN a message body that is not an S3 notification
    # WHEN it is parsed
    with pytest.raises(InvalidEventError) as raised:
        parse_notification(body)

    # THEN the error says where it went wrong
    assert message in str(raised.value)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("key", "", "Records[0].s3.object.key must be a non-empty string, got ''"),
        ("sequencer", None, "Records[0].s3.object.sequencer must be a non-empty string"),
        ("sequencer", "not-hex", "Records[0].s3.object.sequencer: sequencer must be a hexadecimal"),
        ("versionId", 7, "Records[0].s3.object.versionId must be a string, got 7"),
    ],
)
def test_record_with_a_malformed_object_field_is_rejected(s3_record_factory, field, value, message):
    # GIVEN a record with one malformed object field
    record = s3_record_factory()
    record["s3"]["object"][field] = value

    # WHEN the body is parsed
    with pytest.raises(InvalidEventError) as raised:
        parse_notification(json.dumps({"Records": [record]}))

    # THEN the error names the field
    assert message in str(raised.value)


def test_reference_takes_the_served_version_only_when_it_had_none():
    # GIVEN an unversioned reference and a versioned one
    unknown = ObjectRef("b", "k.json")
    known = ObjectRef("b", "k.json", "v1")

    # WHEN S3 serves version v2
    # THEN only the reference without a version adopts it
    assert unknown.with_version("v2").version_id == "v2"
    assert known.with_version("v2").version_id == "v1"
