"""The reprocess workflow run end to end: the definition, interpreted locally, with the
two real step functions against moto and a stub for the SNS integration."""

import dataclasses
import json
from collections.abc import Callable
from typing import Any

import pytest

from serverless_platform.workflow import definition as wd
from tests.workflow.asl_interpreter import AslInterpreter, Execution, StatesError
from tests.workflow.conftest import (
    ALERTS_TOPIC_ARN,
    FAILED_KEYS_CAP,
    LIST_FUNCTION_ARN,
    MAX_OBJECTS,
    PROCESS_FUNCTION_ARN,
    FailingListing,
    FlakyClient,
    aws_error,
    reprocess_definition,
    result_items,
)

pytestmark = pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning")

Handler = Callable[[Any, Any], Any]
SUMMARY_KEYS = {*wd.SUMMARY_FIELDS, "failed_keys"}


@dataclasses.dataclass
class Run:
    execution: Execution
    published: list[dict[str, Any]]

    @property
    def messages(self) -> list[dict[str, Any]]:
        return [json.loads(p["Message"]) for p in self.published]


@pytest.fixture
def run_workflow(list_app, process_app) -> Callable[..., Run]:
    """Runs the definition; any step may be replaced or wrapped to inject faults."""

    def run(
        execution_input: dict[str, Any],
        *,
        list_step: Handler = list_app.handler,
        process_step: Handler = process_app.handler,
        publish: Callable[[dict[str, Any]], Any] | None = None,
        definition: dict[str, Any] | None = None,
    ) -> Run:
        published: list[dict[str, Any]] = []

        def record(parameters: dict[str, Any]) -> dict[str, str]:
            published.append(parameters)
            return {"MessageId": f"message-{len(published)}"}

        interpreter = AslInterpreter(
            definition or reprocess_definition(),
            lambdas={LIST_FUNCTION_ARN: list_step, PROCESS_FUNCTION_ARN: process_step},
            services={wd.SNS_PUBLISH: publish or record},
        )
        return Run(interpreter.execute(execution_input), published)

    return run


def lambda_throttled(handler: Handler, *, times: int, key: str | None = None) -> Handler:
    """What the lambda:invoke integration raises when Lambda throttles the invocation."""
    remaining = [times]

    def invoke(event: Any, context: Any) -> Any:
        if remaining[0] > 0 and (key is None or event.get("key") == key):
            remaining[0] -= 1
            raise StatesError("Lambda.TooManyRequestsException", "Rate Exceeded.")
        return handler(event, context)

    return invoke


def retries_of(run: Run, state: str) -> list[int]:
    return [r.attempt for r in run.execution.retries if r.state == state]


def test_a_run_with_one_poison_object_still_succeeds_with_failed_1(run_workflow, put_object):
    # GIVEN two good objects and one that is not JSON
    put_object("incoming/batch/a.json", '{"id": 1}')
    put_object("incoming/batch/b.csv", "id,name\n1,x\n", content_type="text/csv")
    put_object("incoming/batch/bad.json", "{not json")

    # WHEN
    run = run_workflow({"prefix": "incoming/batch/", "requested_by": "alice"})

    # THEN the run succeeds, counts the poison object, and says so on the alerts topic
    assert run.execution.status == "SUCCEEDED"
    output = run.execution.output
    assert {k: output[k] for k in SUMMARY_KEYS - {"execution"}} == {
        "requested_by": "alice",
        "prefix": "incoming/batch/",
        "listed": 3,
        "truncated": False,
        "succeeded": 2,
        "failed": 1,
        "skipped": 0,
        "failed_keys": ["incoming/batch/bad.json"],
    }
    assert run.messages == [output]
    assert run.published[0]["TopicArn"] == ALERTS_TOPIC_ARN
    # ... and every object has its result item, the poison one FAILED
    assert sorted((i["object_key"], i["status"]) for i in result_items()) == [
        ("incoming/batch/a.json", "SUCCEEDED"),
        ("incoming/batch/b.csv", "SUCCEEDED"),
        ("incoming/batch/bad.json", "FAILED"),
    ]


def test_a_throttled_invocation_succeeds_on_retry(run_workflow, process_app, put_object):
    # GIVEN Lambda throttles the first invocation for one object
    put_object("incoming/t/a.json")
    put_object("incoming/t/b.json")
    step = lambda_throttled(process_app.handler, times=1, key="incoming/t/b.json")

    # WHEN
    run = run_workflow({"prefix": "incoming/t/"}, process_step=step)

    # THEN the retry processed it: nothing failed, one retry with a jittered backoff
    assert run.execution.status == "SUCCEEDED"
    assert (run.execution.output["succeeded"], run.execution.output["failed"]) == (2, 0)
    (retry,) = run.execution.retries
    assert (retry.state, retry.error, retry.attempt) == (
        wd.PROCESS_OBJECT,
        "Lambda.TooManyRequestsException",
        1,
    )
    assert 0 <= retry.delay_seconds <= retry.max_delay_seconds == wd.RETRY_INTERVAL_SECONDS


def test_dynamodb_throttling_inside_the_step_is_retried_by_the_state_machine(
    run_workflow, process_app, put_object, clients
):
    # GIVEN DynamoDB refuses the first two writes
    put_object("incoming/d/a.json")
    dynamodb = FlakyClient(
        clients.dynamodb,
        "update_item",
        aws_error("ProvisionedThroughputExceededException", 400, "UpdateItem"),
        times=2,
    )
    flaky = dataclasses.replace(clients, dynamodb=dynamodb)
    step = process_app.create_handler(process_app.SETTINGS, lambda: flaky)

    # WHEN
    run = run_workflow({"prefix": "incoming/d/"}, process_step=step)

    # THEN the step raised TransientAwsError twice, and the third attempt wrote the result
    assert run.execution.status == "SUCCEEDED"
    assert run.execution.output["succeeded"] == 1
    assert [r.error for r in run.execution.retries] == ["TransientAwsError"] * 2
    assert [i["status"] for i in result_items()] == ["SUCCEEDED"]


def test_an_object_that_stays_throttled_is_counted_failed_and_the_run_succeeds(
    run_workflow, process_app, put_object
):
    # GIVEN Lambda throttles every invocation for one object
    put_object("incoming/s/a.json")
    put_object("incoming/s/b.json")
    step = lambda_throttled(process_app.handler, times=1000, key="incoming/s/b.json")

    # WHEN
    run = run_workflow({"prefix": "incoming/s/"}, process_step=step)

    # THEN the retries ran out with growing delays, and the Catch recorded the failure
    assert run.execution.status == "SUCCEEDED"
    assert retries_of(run, wd.PROCESS_OBJECT) == list(range(1, wd.RETRY_MAX_ATTEMPTS + 1))
    assert [r.max_delay_seconds for r in run.execution.retries] == [2, 4, 8, 16, 32]
    assert run.execution.output["failed_keys"] == ["incoming/s/b.json"]
    assert "ProcessObjects/RecordObjectFailure" in run.execution.path


@pytest.mark.parametrize(
    ("execution_input", "cause"),
    [
        ({}, "give 'prefix' (a string under incoming/) or 'object_keys'"),
        ({"requested_by": "alice"}, "give 'prefix' (a string under incoming/) or 'object_keys'"),
        (
            {"prefix": "incoming/", "object_keys": ["incoming/a.json"]},
            "give either 'prefix' or 'object_keys', not both",
        ),
        ({"prefix": "reports/"}, "'prefix' must be a string that starts with 'incoming/'"),
        ({"prefix": 42}, "'prefix' must be a string that starts with 'incoming/'"),
        ({"object_keys": []}, "'object_keys' must be a non-empty list of object keys"),
        (
            {"object_keys": "incoming/a.json"},
            "'object_keys' must be a non-empty list of object keys",
        ),
        (
            {"object_keys": [f"incoming/{n}.json" for n in range(MAX_OBJECTS + 1)]},
            f"'object_keys' may hold at most {MAX_OBJECTS} keys",
        ),
        (
            {"prefix": "incoming/", "requested_by": 7},
            "'requested_by' must be a string when it is given",
        ),
    ],
)
def test_invalid_input_fails_with_invalid_input_and_says_why(run_workflow, execution_input, cause):
    # WHEN
    run = run_workflow(execution_input)

    # THEN no step ran and nothing was published
    assert (run.execution.status, run.execution.error, run.execution.cause) == (
        "FAILED",
        "InvalidInput",
        cause,
    )
    assert not any(state in run.execution.path for state in (wd.LIST_OBJECTS, wd.PROCESS_OBJECTS))
    assert run.published == []


def test_a_named_key_that_is_not_a_string_fails_the_run_without_an_alert(run_workflow):
    # WHEN
    run = run_workflow({"object_keys": ["incoming/a.json", 7]})

    # THEN the list step refused it; that is the caller's mistake, not an incident
    assert (run.execution.status, run.execution.error) == ("FAILED", "InvalidInput")
    assert "object_keys[1] must be a non-empty string, got 7" in (run.execution.cause or "")
    assert run.execution.path[-2:] == [wd.LIST_OBJECTS, wd.REJECT_REQUEST]
    assert run.published == []


def test_a_listing_failure_notifies_then_fails_the_run(run_workflow, list_app):
    # GIVEN S3 denies the listing (not transient: no retry)
    step = list_app.create_handler(list_app.SETTINGS, lambda: FailingListing("AccessDenied", 403))

    # WHEN
    run = run_workflow({"prefix": "incoming/", "requested_by": "bob"}, list_step=step)

    # THEN the alerts topic hears of it first, then the run fails with the step's error
    assert run.execution.path[-3:] == [wd.DESCRIBE_RUN_FAILURE, wd.NOTIFY_RUN_FAILED, wd.RUN_FAILED]
    assert (run.execution.status, run.execution.error) == ("FAILED", "ClientError")
    assert "AccessDenied" in (run.execution.cause or "")
    (message,) = run.messages
    assert (message["requested_by"], message["failure"]["Error"]) == ("bob", "ClientError")
    assert message["execution"].endswith(":test-execution")
    assert run.execution.retries == []


def test_a_listing_that_stays_throttled_is_retried_then_notified_and_failed(run_workflow, list_app):
    # GIVEN S3 throttles every listing request
    step = list_app.create_handler(list_app.SETTINGS, lambda: FailingListing("SlowDown", 503))

    # WHEN
    run = run_workflow({"prefix": "incoming/"}, list_step=step)

    # THEN
    assert retries_of(run, wd.LIST_OBJECTS) == list(range(1, wd.RETRY_MAX_ATTEMPTS + 1))
    assert (run.execution.status, run.execution.error) == ("FAILED", "TransientAwsError")
    assert [m["failure"]["Error"] for m in run.messages] == ["TransientAwsError"]


def test_named_objects_are_processed_once_each(run_workflow, put_object):
    # GIVEN
    put_object("incoming/n/a.json")
    put_object("incoming/n/b.json")

    # WHEN a key is named twice
    keys = ["incoming/n/a.json", "incoming/n/b.json", "incoming/n/a.json"]
    run = run_workflow({"object_keys": keys})

    # THEN
    output = run.execution.output
    assert (output["prefix"], output["listed"], output["succeeded"]) == (None, 2, 2)
    assert output["requested_by"] == wd.REQUESTED_BY_DEFAULT
    assert len(result_items()) == 2


def test_a_named_key_outside_incoming_is_a_failed_outcome_not_a_failed_run(run_workflow):
    # WHEN
    run = run_workflow({"object_keys": ["reports/secret.json"]})

    # THEN
    assert run.execution.status == "SUCCEEDED"
    assert run.execution.output["failed_keys"] == ["reports/secret.json"]


def test_failed_keys_are_capped_but_all_failures_are_counted(run_workflow, put_object):
    # GIVEN more poison objects than the cap
    poison = [f"incoming/p/{n}.json" for n in range(FAILED_KEYS_CAP + 2)]
    for key in poison:
        put_object(key, "{broken")

    # WHEN
    run = run_workflow({"prefix": "incoming/p/"})

    # THEN
    output = run.execution.output
    assert output["failed"] == len(poison)
    assert output["failed_keys"] == poison[:FAILED_KEYS_CAP]
    assert wd.CAP_FAILED_KEYS in run.execution.path


def test_a_prefix_with_more_objects_than_the_cap_reports_truncated(run_workflow, put_object):
    # GIVEN
    for n in range(MAX_OBJECTS + 1):
        put_object(f"incoming/many/{n:03}.json")

    # WHEN
    run = run_workflow({"prefix": "incoming/many/"})

    # THEN
    output = run.execution.output
    assert (output["listed"], output["succeeded"], output["truncated"]) == (
        MAX_OBJECTS,
        MAX_OBJECTS,
        True,
    )


def test_a_lost_summary_notification_is_recorded_and_the_run_still_succeeds(
    run_workflow, put_object
):
    # GIVEN SNS refuses to publish
    put_object("incoming/q/a.json")

    def refuse(parameters: dict[str, Any]) -> None:
        raise StatesError("SNS.AuthorizationErrorException", "not allowed")

    # WHEN
    run = run_workflow({"prefix": "incoming/q/"}, publish=refuse)

    # THEN
    assert run.execution.status == "SUCCEEDED"
    assert (
        run.execution.output["notification_failure"]["Error"] == "SNS.AuthorizationErrorException"
    )


class ManyKeysS3:
    """A listing of `count` long keys, in pages of 1000, without moto (it is about size)."""

    def __init__(self, count: int, key_length: int) -> None:
        self.keys = [f"incoming/{n:08}/".ljust(key_length, "k") for n in range(count)]

    def get_paginator(self, _: str) -> "ManyKeysS3":
        return self

    def paginate(self, **_: Any) -> Any:
        for start in range(0, len(self.keys), 1000):
            yield {"Contents": [{"Key": key} for key in self.keys[start : start + 1000]]}


def failed_with_long_error(event: Any, context: Any) -> dict[str, Any]:
    return {"key": event["key"], "status": "FAILED", "error": "e" * 100, "result_id": None}


@pytest.mark.parametrize("key_length", [20, 200, 1024])
def test_the_largest_listing_still_fits_the_execution_payload(run_workflow, list_app, key_length):
    # GIVEN a prefix far larger than the payload allows, and every object failing with
    # the longest error an outcome carries
    settings = list_app.SETTINGS.model_copy(update={"max_objects": 100_000})
    step = list_app.create_handler(settings, lambda: ManyKeysS3(5000, key_length))

    # WHEN
    run = run_workflow(
        {"prefix": "incoming/"},
        list_step=step,
        process_step=failed_with_long_error,
        definition=reprocess_definition(max_objects=100_000, failed_keys_cap=1000),
    )

    # THEN the listing stopped early instead of the run hitting States.DataLimitExceeded
    assert run.execution.status == "SUCCEEDED", run.execution.cause
    assert run.execution.output["truncated"] is True
    assert run.execution.output["failed"] == run.execution.output["listed"] > 0


def test_the_largest_list_of_named_keys_still_fits_the_execution_payload(run_workflow, list_app):
    # GIVEN named keys that fill the 256 KiB execution input
    keys = ManyKeysS3(1200, 200).keys
    assert len(json.dumps({"object_keys": keys})) > 240_000
    settings = list_app.SETTINGS.model_copy(update={"max_objects": 100_000})

    # WHEN
    run = run_workflow(
        {"object_keys": keys},
        list_step=list_app.create_handler(settings, lambda: None),
        process_step=failed_with_long_error,
        definition=reprocess_definition(max_objects=100_000),
    )

    # THEN the request was dropped from the state before the Map, and the keys capped
    assert run.execution.status == "SUCCEEDED", run.execution.cause
    assert run.execution.output["truncated"] is True
    assert 0 < run.execution.output["listed"] < len(keys)


def test_without_the_payload_budget_the_run_would_die_uncaught(run_workflow, list_app, monkeypatch):
    # GIVEN the budget switched off
    monkeypatch.setattr(list_app, "PAYLOAD_BUDGET_BYTES", 10**9)
    settings = list_app.SETTINGS.model_copy(update={"max_objects": 100_000})
    step = list_app.create_handler(settings, lambda: ManyKeysS3(5000, 200))

    # WHEN
    run = run_workflow(
        {"prefix": "incoming/"},
        list_step=step,
        process_step=failed_with_long_error,
        definition=reprocess_definition(max_objects=100_000),
    )

    # THEN no Catch applies and no one is notified: why the budget exists
    assert (run.execution.status, run.execution.error) == ("FAILED", "States.DataLimitExceeded")
    assert run.published == []
