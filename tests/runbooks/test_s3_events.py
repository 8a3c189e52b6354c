"""Decoding the S3 events inside SQS bodies: keys arrive URL-encoded."""

from __future__ import annotations

import json
from urllib.parse import quote_plus

from hypothesis import given
from hypothesis import strategies as st

from runbooks.s3_events import decode_body
from tests.runbooks.moto_platform import s3_event_body


@given(st.text(min_size=1, max_size=50))
def test_any_key_survives_s3_url_encoding(name: str) -> None:
    key = f"incoming/{name}"
    [ref] = decode_body(s3_event_body("bucket", key, "v1")).objects
    assert ref.key == key


def test_a_plus_sign_in_an_event_is_a_space() -> None:
    body = s3_event_body("b", "a b", "v1")
    assert json.loads(body)["Records"][0]["s3"]["object"]["key"] == "a+b"
    assert decode_body(body).objects[0].key == "a b"


def test_an_encoded_plus_sign_stays_a_plus_sign() -> None:
    body = s3_event_body("b", "a+b", "v1")
    assert json.loads(body)["Records"][0]["s3"]["object"]["key"] == quote_plus("a+b")
    assert decode_body(body).objects[0].key == "a+b"


def test_an_s3_test_event_names_no_object() -> None:
    decoded = decode_body(json.dumps({"Service": "Amazon S3", "Event": "s3:TestEvent"}))
    assert decoded.objects == []
    assert "s3:TestEvent" in decoded.note


def test_a_body_the_processor_rejects_shows_the_processors_reason() -> None:
    decoded = decode_body(json.dumps({"Records": [{"eventSource": "aws:sns"}]}))
    assert decoded.objects == []
    assert decoded.note == (
        "not an S3 notification the processor accepts: "
        "Records[0].eventSource must be 'aws:s3', got 'aws:sns'"
    )


def test_a_json_value_that_is_not_an_object_is_not_an_s3_notification() -> None:
    assert "must be a JSON object" in decode_body("[1]").note


def test_an_event_of_another_kind_names_no_object() -> None:
    record = json.loads(s3_event_body("b", "k", "v1"))
    record["Records"][0]["eventName"] = "ObjectRemoved:Delete"
    decoded = decode_body(json.dumps(record))
    assert decoded.objects == []
    assert decoded.note == "an event with no ObjectCreated records"
