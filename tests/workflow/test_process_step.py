"""The process step function against moto: one object through the shared pipeline."""

import dataclasses
import json

import pytest
from botocore.exceptions import ReadTimeoutError

from tests.workflow.asl_interpreter import LambdaContext
from tests.workflow.conftest import (
    BUCKET,
    PROCESS_FUNCTION_ARN,
    FlakyClient,
    aws_error,
    result_items,
)

CONTEXT = LambdaContext(PROCESS_FUNCTION_ARN)
# A rejected request publishes only ObjectsFailed; others may publish nothing at all.
pytestmark = pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning")


def request(key: str, **extra: str) -> dict[str, str]:
    return {"bucket": BUCKET, "key": key, **extra}


def s3_notification(key: str, version_id: str, sequencer: str) -> dict:
    """An SQS batch with one S3 ObjectCreated record, as the processor receives it."""
    record = {
        "eventSource": "aws:s3",
        "eventName": "ObjectCreated:Put",
        "s3": {
            "bucket": {"name": BUCKET},
            "object": {"key": key, "versionId": version_id, "sequencer": sequencer},
        },
    }
    return {
        "Records": [
            {
                "messageId": "m-0",
                "receiptHandle": "r-0",
                "body": json.dumps({"Records": [record]}),
                "attributes": {"ApproximateReceiveCount": "1"},
                "eventSource": "aws:sqs",
            }
        ]
    }


def test_reprocessing_writes_the_result_item_the_processor_wrote(process_app, put_object):
    # GIVEN an object the processor has already turned into a result
    from processor import app as processor_app

    version = put_object("incoming/sales.ndjson", '{"id": 1, "sku": "a"}\n{"id": 2}\n')
    processor_app.handler(
        s3_notification("incoming/sales.ndjson", version, "0055AED6DCD90281E5"), CONTEXT
    )
    (by_processor,) = result_items()

    # WHEN the workflow reprocesses it
    outcome = process_app.handler(request("incoming/sales.ndjson"), CONTEXT)

    # THEN the item is the same one, rewritten: only updated_at (and the expiry) move
    (by_workflow,) = result_items()
    assert outcome == {
        "key": "incoming/sales.ndjson",
        "status": "SUCCEEDED",
        "error": None,
        "result_id": by_processor["result_id"],
    }
    for moving in ("updated_at", "expires_at"):
        assert by_workflow[moving] >= by_processor[moving]
    unchanged = {k: v for k, v in by_processor.items() if k not in {"updated_at", "expires_at"}}
    assert {k: by_workflow[k] for k in unchanged} == unchanged
    assert by_workflow["summary"]["record_count"] == 2


def test_a_new_object_gets_its_first_result_item(process_app, put_object):
    # GIVEN
    version = put_object("incoming/new.json", '[{"id": 1}, {"id": 2}]')

    # WHEN
    outcome = process_app.handler(request("incoming/new.json"), CONTEXT)

    # THEN
    (item,) = result_items()
    assert outcome["status"] == "SUCCEEDED"
    assert (item["object_key"], item["version_id"], item["status"]) == (
        "incoming/new.json",
        version,
        "SUCCEEDED",
    )


def test_a_named_version_is_the_one_reprocessed(process_app, put_object):
    # GIVEN two versions of a key, the older one valid and the newer one poison
    older = put_object("incoming/v.json", '{"id": 1}')
    put_object("incoming/v.json", "{broken")

    # WHEN
    outcome = process_app.handler(request("incoming/v.json", version_id=older), CONTEXT)

    # THEN
    (item,) = result_items()
    assert (outcome["status"], item["version_id"], item["status"]) == (
        "SUCCEEDED",
        older,
        "SUCCEEDED",
    )


def test_a_poison_object_is_returned_failed_with_a_failed_item(process_app, put_object):
    # GIVEN
    put_object("incoming/broken.json", "{not json")

    # WHEN
    outcome = process_app.handler(request("incoming/broken.json"), CONTEXT)

    # THEN: returned, not raised, so the state machine does not retry it
    (item,) = result_items()
    assert outcome["status"] == item["status"] == "FAILED"
    assert outcome["error"] == item["error"][: process_app.MAX_OUTCOME_ERROR_CHARS]
    assert outcome["result_id"] == item["result_id"]


@pytest.mark.parametrize(
    ("body", "error_code"),
    [
        ("[" * 20_000 + "]" * 20_000, "JsonTooDeep"),
        ('{"n": ' + "9" * 5_000 + "}", "NumberTooLarge"),
    ],
    ids=["nested-20000-deep", "5000-digit-integer"],
)
def test_json_beyond_the_parsers_limits_is_returned_failed_with_a_failed_item(
    process_app, put_object, body, error_code
):
    # GIVEN an object only Python's parsing limits reject
    put_object("incoming/limits.json", body)

    # WHEN
    outcome = process_app.handler(request("incoming/limits.json"), CONTEXT)

    # THEN: returned, not raised, like any poison object
    (item,) = result_items()
    assert outcome["status"] == item["status"] == "FAILED"
    assert item["error_code"] == error_code
    assert outcome["error"].startswith("invalid JSON: ")


def test_an_oversize_object_is_failed_with_the_limit_in_its_error(process_app, put_object, clients):
    # GIVEN a cap of 16 bytes
    put_object("incoming/big.json", '{"padding": "' + "x" * 64 + '"}')
    settings = process_app.SETTINGS.model_copy(update={"max_object_bytes": 16})
    step = process_app.create_handler(settings, lambda: clients)

    # WHEN
    outcome = step(request("incoming/big.json"), CONTEXT)

    # THEN
    assert outcome["status"] == "FAILED"
    assert outcome["error"].startswith("object too large")


def test_an_object_deleted_before_reprocessing_is_failed_as_gone(process_app, aws):
    # WHEN
    outcome = process_app.handler(request("incoming/gone.json"), CONTEXT)

    # THEN
    assert outcome["status"] == "FAILED"
    assert "no longer exists" in outcome["error"]


def test_a_long_error_is_cut_in_the_outcome_but_kept_whole_on_the_item(process_app, put_object):
    # GIVEN an unsupported key whose error message quotes the long key
    key = "incoming/" + "k" * 300 + ".xml"
    put_object(key, "<xml/>")

    # WHEN
    outcome = process_app.handler(request(key), CONTEXT)

    # THEN
    (item,) = result_items()
    assert len(outcome["error"]) == process_app.MAX_OUTCOME_ERROR_CHARS
    assert len(item["error"]) > process_app.MAX_OUTCOME_ERROR_CHARS


@pytest.mark.parametrize(
    ("event", "error"),
    [
        (
            request("reports/a.json"),
            "'key' must be a string under 'incoming/', got 'reports/a.json'",
        ),
        ({"bucket": BUCKET, "key": 7}, "'key' must be a string under 'incoming/', got 7"),
        ({"key": "incoming/a.json"}, "'bucket' must be a non-empty string, got None"),
        (
            request("incoming/a.json", version_id=""),
            "'version_id' must be a non-empty string, got ''",
        ),
    ],
)
def test_a_malformed_request_is_failed_without_reading_or_writing(process_app, event, error):
    # WHEN
    outcome = process_app.handler(event, CONTEXT)

    # THEN
    assert outcome == {
        "key": event.get("key"),
        "status": "FAILED",
        "error": error,
        "result_id": None,
    }
    assert result_items() == []


@pytest.mark.parametrize(
    ("service", "operation", "error"),
    [
        (
            "dynamodb",
            "update_item",
            aws_error("ProvisionedThroughputExceededException", 400, "UpdateItem"),
        ),
        ("dynamodb", "update_item", aws_error("InternalServerError", 500, "UpdateItem")),
        ("s3", "get_object", aws_error("SlowDown", 503, "GetObject")),
        ("s3", "get_object", ReadTimeoutError(endpoint_url="https://s3.eu-west-1.amazonaws.com")),
    ],
    ids=["ddb-throughput", "ddb-500", "s3-slowdown", "s3-timeout"],
)
def test_a_transient_aws_error_raises_the_error_the_state_machine_retries(
    process_app, put_object, clients, service, operation, error
):
    # GIVEN
    put_object("incoming/a.json")
    flaky = dataclasses.replace(
        clients, **{service: FlakyClient(getattr(clients, service), operation, error)}
    )
    step = process_app.create_handler(process_app.SETTINGS, lambda: flaky)

    # THEN
    with pytest.raises(process_app.TransientAwsError):
        step(request("incoming/a.json"), CONTEXT)
    assert result_items() == []


def test_access_denied_is_raised_unchanged_and_not_retried(process_app, put_object, clients):
    # GIVEN
    put_object("incoming/a.json")
    denied = FlakyClient(clients.s3, "get_object", aws_error("AccessDenied", 403, "GetObject"))
    step = process_app.create_handler(
        process_app.SETTINGS, lambda: dataclasses.replace(clients, s3=denied)
    )

    # THEN: a ClientError, which only the Map's Catch handles
    with pytest.raises(process_app.ClientError, match="AccessDenied"):
        step(request("incoming/a.json"), CONTEXT)


def test_a_write_that_loses_to_a_concurrent_one_is_skipped(process_app, put_object, clients):
    # GIVEN the processor writes the same version between the read and the write
    from processor import app as processor_app

    version = put_object("incoming/race.json")

    class RacingDynamoDb:
        def __getattr__(self, name: str):
            return getattr(clients.dynamodb, name)

        def update_item(self, **params):
            processor_app.handler(s3_notification("incoming/race.json", version, "0A"), CONTEXT)
            return clients.dynamodb.update_item(**params)

    step = process_app.create_handler(
        process_app.SETTINGS, lambda: dataclasses.replace(clients, dynamodb=RacingDynamoDb())
    )

    # WHEN
    outcome = step(request("incoming/race.json"), CONTEXT)

    # THEN the processor's result stays
    (item,) = result_items()
    assert outcome["status"] == "SKIPPED"
    assert item["sequencer"] == "0A"
