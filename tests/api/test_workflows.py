"""POST /v1/workflows/reprocess and GET /v1/workflows/{execution_id}, against moto's
Step Functions running a small state machine."""

import json
import re
import time

import pytest
from api.workflows import execution_arn

ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


def _wait_until_stopped(call_api, execution_id, timeout=5.0):
    deadline = time.monotonic() + timeout
    while True:
        response = call_api("GET", f"/v1/workflows/{execution_id}")
        if response.body.get("status") != "RUNNING" or time.monotonic() > deadline:
            return response
        time.sleep(0.02)


def test_reprocess_starts_an_execution_named_by_its_id_with_the_validated_input(call_api, aws):
    # WHEN
    response = call_api(
        "POST", "/v1/workflows/reprocess", body={"object_keys": ["incoming/a.json", "incoming/b"]}
    )

    # THEN
    assert response.status == 202
    execution_id = response.body["execution_id"]
    assert response.headers["Location"] == f"/dev/v1/workflows/{execution_id}"
    execution = aws.stepfunctions.describe_execution(
        executionArn=execution_arn(aws.state_machine_arn, execution_id)
    )
    assert execution["name"] == execution_id
    assert json.loads(execution["input"]) == {
        "object_keys": ["incoming/a.json", "incoming/b"],
        "requested_by": "api-key:key-id-1",
    }


def test_reprocess_passes_requested_by_when_the_client_names_itself(call_api, aws):
    # WHEN
    response = call_api(
        "POST",
        "/v1/workflows/reprocess",
        body={"prefix": "incoming/2026/", "requested_by": "alice@example.com"},
    )

    # THEN
    assert response.status == 202
    execution = aws.stepfunctions.describe_execution(
        executionArn=execution_arn(aws.state_machine_arn, response.body["execution_id"])
    )
    assert json.loads(execution["input"]) == {
        "prefix": "incoming/2026/",
        "requested_by": "alice@example.com",
    }


@pytest.mark.parametrize(
    ("body", "field", "reason"),
    [
        (
            {"prefix": "incoming/", "object_keys": ["incoming/a"]},
            "body",
            "must contain exactly one of: prefix, object_keys",
        ),
        ({"requested_by": "bob"}, "body", "must contain exactly one of: prefix, object_keys"),
        ({"object_keys": []}, "body.object_keys", "must contain at least 1 items"),
        (
            {"object_keys": ["incoming/1", "incoming/2", "incoming/3", "incoming/4"]},
            "body.object_keys",
            "must contain less than or equal to 3 items",
        ),
        ({"object_keys": ["incoming/a", 5]}, "body.object_keys.1", "must be string"),
        ({"object_keys": ["incoming/a", "other/b"]}, "body.object_keys.1", "'incoming/'"),
        ({"prefix": "../"}, "body.prefix", "must start with 'incoming/'"),
        ({"prefix": "incoming/", "dry_run": True}, "body.dry_run", "is not an allowed field"),
    ],
)
def test_reprocess_with_a_bad_body_names_the_field_and_starts_nothing(
    call_api, aws, body, field, reason
):
    # WHEN
    response = call_api("POST", "/v1/workflows/reprocess", body=body)

    # THEN
    assert response.status == 400
    [error] = response.body["errors"]
    assert error["field"] == field
    assert reason in error["reason"]
    executions = aws.stepfunctions.list_executions(stateMachineArn=aws.state_machine_arn)
    assert executions["executions"] == []


def test_reprocess_rejects_a_key_list_larger_than_step_functions_accepts(
    call_api, aws, monkeypatch
):
    # GIVEN a cap that lets through more keys than one execution input can hold
    monkeypatch.setenv("MAX_REPROCESS_KEYS", "300")
    keys = [f"incoming/{n:04d}/" + "k" * 1000 for n in range(300)]

    # WHEN
    response = call_api("POST", "/v1/workflows/reprocess", body={"object_keys": keys})

    # THEN
    assert response.status == 400
    [error] = response.body["errors"]
    assert error["field"] == "body.object_keys"
    assert "too large for one workflow run" in error["reason"]
    executions = aws.stepfunctions.list_executions(stateMachineArn=aws.state_machine_arn)
    assert executions["executions"] == []


def test_workflow_status_reports_the_summary_once_it_succeeded(call_api):
    # GIVEN
    started = call_api("POST", "/v1/workflows/reprocess", body={"object_keys": ["incoming/a"]})
    execution_id = started.body["execution_id"]

    # WHEN
    response = _wait_until_stopped(call_api, execution_id)

    # THEN
    assert response.status == 200
    body = response.body
    assert body["execution_id"] == execution_id
    assert body["status"] == "SUCCEEDED"
    assert body["summary"] == {"succeeded": 2, "failed": 0, "requested_by": "api-key:key-id-1"}
    assert ISO_UTC.match(body["started_at"])
    assert ISO_UTC.match(body["stopped_at"])
    assert "error" not in body


def test_workflow_status_reports_error_and_cause_when_it_failed(call_api):
    # GIVEN
    started = call_api("POST", "/v1/workflows/reprocess", body={"prefix": "incoming/fail/x"})

    # WHEN
    response = _wait_until_stopped(call_api, started.body["execution_id"])

    # THEN
    assert response.status == 200
    body = response.body
    assert body["status"] == "FAILED"
    assert body["error"] == "InvalidInput"
    assert body["cause"] == "nothing under this prefix"
    assert "summary" not in body


def test_workflow_status_of_an_unknown_execution_is_404(call_api):
    # WHEN
    response = call_api("GET", "/v1/workflows/0b6f1c9e-0000-4000-8000-000000000000")

    # THEN
    assert response.status == 404
    assert response.body == {
        "message": "No workflow with id 0b6f1c9e-0000-4000-8000-000000000000",
        "request_id": "gateway-request-id",
    }


@pytest.mark.parametrize("execution_id", ["not.a.name", "a" * 81, "%2e%2e"])
def test_workflow_status_with_a_malformed_id_is_400(call_api, execution_id):
    # WHEN
    response = call_api("GET", f"/v1/workflows/{execution_id}")

    # THEN
    assert response.status == 400
    [error] = response.body["errors"]
    assert error["field"] == "path.execution_id"
