"""Property: whatever the batch and whichever transient faults strike, every object ends
as exactly one result item or its message is reported for retry; none is lost or
doubled, and a retry without faults completes the rest."""

import dataclasses
from typing import Any

from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from processor import app
from shared.clients import AwsClients

BUCKET = "ingest-bucket"

# Letters, digits, a space, `+`, `%`, `&`, `=`, unicode: what URL-encoding gets wrong.
_KEY_ALPHABET = st.sampled_from(list("abcXYZ019 +%&=-_.äßé中"))
_CONTENTS = {
    ".json": [(b'{"id": 1}', "SUCCEEDED"), (b"[]", "SUCCEEDED"), (b"{oops", "FAILED")],
    ".ndjson": [(b'{"a": 1}\n{"b": 2}\n', "SUCCEEDED"), (b"", "FAILED")],
    ".csv": [(b"a,b\n1,2\n", "SUCCEEDED"), (b"\xff\xfe", "FAILED")],
    ".bin": [(b"\x00\x01", "FAILED")],
}


@st.composite
def _object(draw: st.DrawFn) -> dict[str, Any]:
    extension = draw(st.sampled_from(sorted(_CONTENTS)))
    body, status = draw(st.sampled_from(_CONTENTS[extension]))
    name = draw(st.text(_KEY_ALPHABET, min_size=1, max_size=12))
    return {
        "key": f"incoming/{name.strip() or 'x'}{extension}",
        "body": body,
        "status": status,
        "fault": draw(st.sampled_from([None, None, "s3", "dynamodb"])),
    }


_BATCHES = st.lists(_object(), min_size=1, max_size=8, unique_by=lambda o: o["key"]).flatmap(
    # Split the objects into messages of one or two S3 records each.
    lambda objects: st.lists(st.integers(1, 2), min_size=len(objects), max_size=len(objects)).map(
        lambda sizes: _messages(objects, sizes)
    )
)


def _messages(objects: list[dict[str, Any]], sizes: list[int]) -> list[list[dict[str, Any]]]:
    messages, position = [], 0
    for size in sizes:
        if position < len(objects):
            messages.append(objects[position : position + size])
            position += size
    return messages


@hypothesis_settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(messages=_BATCHES)
def test_every_object_ends_as_one_result_or_a_reported_failure(
    messages,
    fresh_account,
    results_in,
    faulty,
    transient_error,
    s3_record_factory,
    sqs_event_factory,
    lambda_context,
    settings,
):
    with fresh_account() as clients:
        # GIVEN the batch's objects in S3, and transient faults on some of them
        records = [[_upload(clients, obj, s3_record_factory) for obj in msg] for msg in messages]
        faulted = {obj["key"] for msg in messages for obj in msg if obj["fault"]}
        broken = _with_faults(clients, messages, faulty, transient_error)
        event = sqs_event_factory(*records)

        # WHEN the batch is processed
        response = app.create_handler(settings, lambda: broken)(event, lambda_context)

        # THEN a message is reported exactly when one of its objects hit a fault
        failed = {failure["itemIdentifier"] for failure in response["batchItemFailures"]}
        expected = {
            f"message-{n}" for n, msg in enumerate(messages) if faulted & {o["key"] for o in msg}
        }
        assert failed == expected
        # ... every object of an acknowledged message has exactly its one result ...
        items = _by_key(results_in(clients, settings.results_table))
        acknowledged = [
            o for n, msg in enumerate(messages) if f"message-{n}" not in failed for o in msg
        ]
        for obj in acknowledged:
            assert items[obj["key"]]["status"] == obj["status"]
        # ... and no result exists for an object that hit a fault.
        assert not faulted & set(items)

        # WHEN SQS redelivers the reported messages and the faults have passed
        retry = {"Records": [r for r in event["Records"] if r["messageId"] in failed]}
        if retry["Records"]:
            assert app.create_handler(settings, lambda: clients)(retry, lambda_context) == {
                "batchItemFailures": []
            }

        # THEN every object has exactly one result, with the expected status
        items = _by_key(results_in(clients, settings.results_table))
        assert {key: item["status"] for key, item in items.items()} == {
            obj["key"]: obj["status"] for msg in messages for obj in msg
        }


def _upload(clients: AwsClients, obj: dict[str, Any], s3_record_factory: Any) -> dict[str, Any]:
    version = clients.s3.put_object(Bucket=BUCKET, Key=obj["key"], Body=obj["body"])["VersionId"]
    return s3_record_factory(bucket=BUCKET, key=obj["key"], version_id=version)


def _with_faults(clients, messages, faulty, transient_error) -> AwsClients:
    by_service: dict[str, set[str]] = {"s3": set(), "dynamodb": set()}
    for msg in messages:
        for obj in msg:
            if obj["fault"]:
                by_service[obj["fault"]].add(obj["key"])
    return dataclasses.replace(
        clients,
        s3=faulty(
            clients.s3,
            "get_object",
            transient_error("SlowDown", 503, "GetObject"),
            when=lambda params: params["Key"] in by_service["s3"],
        ),
        dynamodb=faulty(
            clients.dynamodb,
            "update_item",
            transient_error("ProvisionedThroughputExceededException", 400, "UpdateItem"),
            when=lambda params: (
                params["Key"]["pk"]["S"].removeprefix(f"OBJECT#{BUCKET}/") in by_service["dynamodb"]
            ),
        ),
    )


def _by_key(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Results by object key; fails if any object has more than one."""
    by_key = {item["object_key"]: item for item in items}
    assert len(by_key) == len(items), "an object has more than one result item"
    return by_key
