"""The test interpreter itself: the ASL semantics the execution tests rely on."""

import pytest

from tests.workflow.asl_interpreter import (
    AslInterpreter,
    StatesError,
    Unsupported,
    evaluate_intrinsic,
    read_path,
)

OUTCOMES = [
    {"key": "a", "status": "SUCCEEDED"},
    {"key": "b", "status": "FAILED"},
    {"key": "c", "status": "FAILED"},
]


def task_machine(retry: list[dict], catch: list[dict] | None = None) -> dict:
    task = {"Type": "Task", "Resource": "svc", "Retry": retry, "End": True}
    if catch is not None:
        task["Catch"] = catch
    states = {"Call": task, "Caught": {"Type": "Pass", "End": True}}
    return {"StartAt": "Call", "States": states}


def failing(times: int, error: str):
    calls = []

    def call(parameters: dict) -> dict:
        calls.append(parameters)
        if len(calls) <= times:
            raise StatesError(error, "injected")
        return {"ok": True}

    return call, calls


def test_a_filter_path_yields_the_matching_fields_and_an_empty_list_when_none_match():
    # THEN
    assert read_path("$.o[?(@.status == 'FAILED')].key", {"o": OUTCOMES}) == ["b", "c"]
    assert read_path("$.o[?(@.status == 'SKIPPED')].key", {"o": OUTCOMES}) == []


def test_a_missing_definite_path_is_an_uncatchable_runtime_error():
    # THEN
    with pytest.raises(StatesError) as raised:
        read_path("$.absent", {"present": 1})
    assert raised.value.name == "States.Runtime"


def test_nested_intrinsics_cap_an_array():
    # WHEN
    capped = evaluate_intrinsic(
        "States.ArrayGetItem(States.ArrayPartition($.keys, 2), 0)", {"keys": [1, 2, 3]}, {}
    )

    # THEN
    assert capped == [1, 2]


def test_an_unknown_intrinsic_is_refused_rather_than_guessed():
    # THEN
    with pytest.raises(Unsupported):
        evaluate_intrinsic("States.MathRandom(1, 2)", {}, {})


def test_retries_count_attempts_and_record_capped_jittered_delays_without_sleeping():
    # GIVEN a task that fails three times, and a retrier allowing three retries
    call, calls = failing(3, "Busy")
    retrier = {
        "ErrorEquals": ["Busy"],
        "IntervalSeconds": 2,
        "MaxAttempts": 3,
        "BackoffRate": 3.0,
        "MaxDelaySeconds": 10,
        "JitterStrategy": "FULL",
    }
    machine = task_machine([retrier])

    # WHEN
    run = AslInterpreter(machine, lambdas={}, services={"svc": call}).execute({})

    # THEN
    assert run.status == "SUCCEEDED"
    assert len(calls) == 4
    assert [r.max_delay_seconds for r in run.retries] == [2, 6, 10]
    assert all(0 <= r.delay_seconds <= r.max_delay_seconds for r in run.retries)


def test_exhausted_retries_fall_through_to_the_catch():
    # GIVEN
    call, calls = failing(10, "Busy")
    retrier = {"ErrorEquals": ["Busy"], "MaxAttempts": 2, "JitterStrategy": "FULL"}
    machine = task_machine([retrier], [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}])

    # WHEN
    run = AslInterpreter(machine, lambdas={}, services={"svc": call}).execute({})

    # THEN
    assert (run.status, len(calls), run.path) == ("SUCCEEDED", 3, ["Call", "Caught"])
    assert run.output == {"Error": "Busy", "Cause": "injected"}


def test_catch_all_does_not_catch_an_oversized_state_output():
    # GIVEN a task whose result is over 256 KiB
    machine = task_machine([], [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}])

    # WHEN
    run = AslInterpreter(machine, lambdas={}, services={"svc": lambda _: "x" * 300_000}).execute({})

    # THEN
    assert (run.status, run.error) == ("FAILED", "States.DataLimitExceeded")


def test_a_lambda_exception_is_named_by_its_class():
    # GIVEN
    class ObjectGoneError(Exception):
        pass

    def handler(event, context):
        raise ObjectGoneError("deleted")

    machine = {
        "StartAt": "Invoke",
        "States": {
            "Invoke": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": "fn", "Payload.$": "$"},
                "End": True,
            }
        },
    }

    # WHEN
    run = AslInterpreter(machine, lambdas={"fn": handler}).execute({})

    # THEN
    assert (run.status, run.error) == ("FAILED", "ObjectGoneError")
    assert '"errorMessage": "deleted"' in (run.cause or "")
