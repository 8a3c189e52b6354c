"""The reprocess state machine's definition, read as data."""

import copy
import json
from typing import Any

import pytest

from serverless_platform.workflow import definition as wd
from tests.workflow.asl_validator import iter_state_machines, validate_definition
from tests.workflow.conftest import (
    ALERTS_TOPIC_ARN,
    LIST_FUNCTION_ARN,
    MAX_CONCURRENCY,
    PROCESS_FUNCTION_ARN,
    reprocess_definition,
)


def all_states(definition: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        name: state
        for _, machine in iter_state_machines(definition)
        for name, state in machine["States"].items()
    }


def tasks(definition: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {n: s for n, s in all_states(definition).items() if s["Type"] == "Task"}


def test_definition_is_structurally_valid(definition):
    # WHEN
    problems = validate_definition(definition, max_concurrency=MAX_CONCURRENCY)

    # THEN
    assert problems == []


def test_definition_round_trips_through_json(definition):
    # THEN: what the lead serialises is exactly what the tests read
    assert json.loads(json.dumps(definition)) == definition


def test_every_task_has_retry_and_ends_its_catchers_with_a_catch_all(definition):
    # THEN
    for name, task in tasks(definition).items():
        assert task["Retry"], name
        assert task["Catch"][-1]["ErrorEquals"] == ["States.ALL"], name


def test_a_request_the_list_step_refuses_fails_the_run_without_an_alert(definition):
    # THEN
    first = definition["States"][wd.LIST_OBJECTS]["Catch"][0]
    assert (first["ErrorEquals"], first["Next"]) == (["InvalidInput"], wd.REJECT_REQUEST)
    assert definition["States"][wd.REJECT_REQUEST]["Type"] == "Fail"


def test_every_retrier_backs_off_exponentially_with_full_jitter(definition):
    # THEN
    retriers = [r for task in tasks(definition).values() for r in task["Retry"]]
    assert retriers
    for retrier in retriers:
        assert retrier["JitterStrategy"] == "FULL"
        assert retrier["IntervalSeconds"] >= 1
        assert retrier["MaxAttempts"] >= 2
        assert retrier["BackoffRate"] > 1


def test_lambda_tasks_retry_lambda_throttling_service_timeout_and_step_transient_errors(
    definition,
):
    # GIVEN
    expected = {
        "Lambda.ServiceException",
        "Lambda.AWSLambdaException",
        "Lambda.SdkClientException",
        "Lambda.TooManyRequestsException",
        "States.Timeout",
        "TransientAwsError",
    }

    # THEN
    for name in (wd.LIST_OBJECTS, wd.PROCESS_OBJECT):
        retried = {e for r in tasks(definition)[name]["Retry"] for e in r["ErrorEquals"]}
        assert retried == expected, name


def test_step_functions_raise_the_error_names_the_state_machine_retries_and_reports():
    # GIVEN
    from workflow_list import app as list_app

    # THEN: Lambda reports a raised exception by its class name
    assert list_app.TransientAwsError.__name__ in wd.STEP_TRANSIENT_ERRORS
    assert list_app.InvalidInput.__name__ == wd.INVALID_INPUT


def test_lambda_tasks_use_the_optimised_invoke_integration_with_exact_functions(definition):
    # THEN
    list_task, process_task = (
        tasks(definition)[wd.LIST_OBJECTS],
        tasks(definition)[wd.PROCESS_OBJECT],
    )
    assert list_task["Resource"] == process_task["Resource"] == "arn:aws:states:::lambda:invoke"
    assert list_task["Parameters"]["FunctionName"] == LIST_FUNCTION_ARN
    assert process_task["Parameters"]["FunctionName"] == PROCESS_FUNCTION_ARN


def test_notifications_use_the_direct_sns_integration_to_the_alerts_topic(definition):
    # WHEN
    publishers = [t for t in tasks(definition).values() if "sns" in t["Resource"]]

    # THEN: one on success, one on the failure path, and no Lambda in between
    assert len(publishers) == 2
    for task in publishers:
        assert task["Resource"] == "arn:aws:states:::sns:publish"
        assert task["Parameters"]["TopicArn"] == ALERTS_TOPIC_ARN


def test_only_the_two_step_functions_are_invoked(definition):
    # THEN: the state machine's role may invoke exactly these two
    invoked = {
        t["Parameters"]["FunctionName"]
        for t in tasks(definition).values()
        if t["Resource"].endswith(":lambda:invoke")
    }
    assert invoked == {LIST_FUNCTION_ARN, PROCESS_FUNCTION_ARN}


@pytest.mark.parametrize("max_concurrency", [1, 7, 40])
def test_map_concurrency_comes_from_config(max_concurrency):
    # WHEN
    definition = reprocess_definition(max_concurrency=max_concurrency)

    # THEN
    assert definition["States"][wd.PROCESS_OBJECTS]["MaxConcurrency"] == max_concurrency
    assert validate_definition(definition, max_concurrency=max_concurrency) == []


def test_object_key_limit_and_failed_keys_cap_come_from_config():
    # WHEN
    definition = reprocess_definition(max_objects=123, failed_keys_cap=9)

    # THEN
    states = definition["States"]
    assert states[wd.CHECK_OBJECT_KEY_COUNT]["Choices"][0]["NumericGreaterThan"] == 123
    assert "123" in states[wd.REJECT_TOO_MANY_OBJECT_KEYS]["Cause"]
    assert states[wd.CHECK_FAILED_KEYS_CAP]["Choices"][0]["NumericGreaterThan"] == 9
    assert ", 9)" in states[wd.CAP_FAILED_KEYS]["Parameters"]["failed_keys.$"]


def test_each_object_is_processed_with_the_configured_bucket(definition):
    # THEN
    selector = definition["States"][wd.PROCESS_OBJECTS]["ItemSelector"]
    assert selector == {"bucket": "ingest-bucket", "key.$": "$$.Map.Item.Value"}


def test_workflow_is_standard_and_starts_by_validating_its_input(definition):
    # THEN: no Type EXPRESS field; the first state is an input check
    assert definition["StartAt"] == wd.CHECK_REQUESTED_BY
    assert definition["States"][wd.CHECK_REQUESTED_BY]["Type"] == "Choice"


@pytest.mark.parametrize("setting", ["max_objects", "max_concurrency", "failed_keys_cap"])
@pytest.mark.parametrize("value", [0, -1, True, "5"])
def test_build_definition_rejects_a_limit_that_is_not_a_positive_integer(setting, value):
    # THEN
    with pytest.raises(ValueError, match=f"{setting} must be a positive integer"):
        reprocess_definition(**{setting: value})


# --- the validator finds each kind of problem ----------------------------------------


def broken(mutate: Any) -> dict[str, Any]:
    definition = copy.deepcopy(reprocess_definition())
    mutate(definition)
    return definition


def _map_states(d: dict[str, Any]) -> dict[str, Any]:
    return d["States"][wd.PROCESS_OBJECTS]["ItemProcessor"]["States"]


@pytest.mark.parametrize(
    ("mutate", "problem"),
    [
        (
            lambda d: d.update(StartAt="Nowhere"),
            "(top level): StartAt 'Nowhere' is not a state",
        ),
        (
            lambda d: d["States"][wd.LIST_OBJECTS].update(Next="Nowhere"),
            "ListObjects: transition to missing state 'Nowhere'",
        ),
        (
            lambda d: d["States"][wd.LIST_OBJECTS].pop("Retry"),
            "ListObjects: a Task needs Retry",
        ),
        (
            lambda d: _map_states(d)[wd.PROCESS_OBJECT].pop("Catch"),
            "ProcessObjects.ItemProcessor/ProcessObject: a Task needs Catch",
        ),
        (
            lambda d: d["States"][wd.NOTIFY_RUN_SUMMARY]["Retry"][0].pop("JitterStrategy"),
            "NotifyRunSummary: retrier ['SNS.ThrottledException', 'SNS.InternalErrorException', "
            "'SNS.KMSThrottlingException', 'States.Timeout'] lacks JitterStrategy FULL",
        ),
        (
            lambda d: d["States"][wd.TALLY_OUTCOMES].update(End=True),
            "TallyOutcomes: needs exactly one of Next and End",
        ),
        (
            lambda d: d["States"][wd.CHECK_TARGET].pop("Default"),
            "CheckTarget: a Choice needs a Default (no input may fall through)",
        ),
        (
            lambda d: d["States"].update(Orphan={"Type": "Succeed"}),
            "Orphan: unreachable",
        ),
        (
            lambda d: d["States"][wd.PROCESS_OBJECTS].pop("ItemProcessor"),
            "ProcessObjects: a Map needs an ItemProcessor with StartAt and States",
        ),
        (
            lambda d: d["States"][wd.PROCESS_OBJECTS].update(MaxConcurrency=99),
            "ProcessObjects: MaxConcurrency 99, config says 4",
        ),
    ],
)
def test_validator_reports_the_exact_problem(mutate, problem):
    # GIVEN
    definition = broken(mutate)

    # WHEN
    problems = validate_definition(definition, max_concurrency=MAX_CONCURRENCY)

    # THEN
    assert problem in problems
