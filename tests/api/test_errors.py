"""What every route shares: JSON errors for unknown routes and methods, internal errors
that never leak, and an environment checked once per execution environment."""

import os
import re
import sys

import boto3
import pytest
from api import runtime, uploads
from api.runtime import ConfigurationError, Settings
from aws_lambda_powertools.event_handler.exceptions import BadRequestError
from botocore.stub import Stubber

from serverless_platform.api.definition import ROUTES

SECRET_DETAIL = "arn:aws:dynamodb:eu-west-1:123456789012:table/results is throttled by ProvisionedX"


@pytest.fixture
def failing_dynamodb(aws, monkeypatch):
    """A DynamoDB client whose every Query fails with an AWS error carrying details."""
    client = boto3.client("dynamodb", region_name="eu-west-1")
    stubber = Stubber(client)
    stubber.add_client_error(
        "query",
        service_error_code="InternalServerError",
        service_message=SECRET_DETAIL,
        http_status_code=500,
    )
    stubber.activate()
    monkeypatch.setattr(runtime, "dynamodb", lambda: client)
    return stubber


def test_an_unknown_route_is_a_json_404(call_api):
    # WHEN
    response = call_api("GET", "/v1/nothing-here", request_id="req-404")

    # THEN
    assert response.status == 404
    assert response.headers["Content-Type"] == "application/json"
    assert response.body == {"message": "Not found", "request_id": "req-404"}


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method} {r.path}")
def test_a_wrong_method_on_any_route_is_a_json_405_that_names_the_allowed_ones(call_api, route):
    # GIVEN the route's path, with a value for its parameter
    path = re.sub(r"\{\w+\}", "some-id", route.path)

    # WHEN
    response = call_api("DELETE", path)

    # THEN
    assert response.status == 405
    assert route.method in response.headers["Allow"].split(", ")
    assert response.body == {
        "message": f"Method DELETE is not allowed on {path}",
        "request_id": "gateway-request-id",
    }


def test_an_internal_error_is_a_500_with_the_request_id_and_no_aws_detail(
    call_api, failing_dynamodb, api_logs
):
    # WHEN
    response = call_api(
        "GET", "/v1/results", query={"status": "FAILED"}, request_id="req-for-support"
    )

    # THEN the client sees only the request id
    assert response.status == 500
    assert response.body == {"message": "Internal server error", "request_id": "req-for-support"}
    assert "arn:" not in response.raw_body
    assert "InternalServerError" not in response.raw_body
    assert "Traceback" not in response.raw_body
    # THEN the log has the detail, under the request's correlation id
    [error] = [line for line in api_logs() if line["level"] == "ERROR"]
    assert error["correlation_id"] == "req-for-support"
    assert SECRET_DETAIL in error["exception"]
    failing_dynamodb.assert_no_pending_responses()


def test_a_powertools_service_error_keeps_its_status(call_api, monkeypatch):
    # GIVEN a route that raises the Powertools way
    def reject(_: str) -> str:
        raise BadRequestError("filename is on the deny list")

    monkeypatch.setattr(uploads, "sanitise_filename", reject)

    # WHEN
    response = call_api(
        "POST", "/v1/uploads", body={"filename": "a.csv", "content_type": "text/csv"}
    )

    # THEN
    assert response.status == 400
    assert response.body == {
        "message": "filename is on the deny list",
        "request_id": "gateway-request-id",
    }


def test_an_unsupported_content_type_is_a_json_415(call_api):
    # WHEN
    response = call_api(
        "POST",
        "/v1/uploads",
        body="filename=a.csv&content_type=text/csv",
        headers={"Content-Type": "text/plain"},
    )

    # THEN
    assert response.status == 415
    assert response.body["message"] == "Request bodies must be application/json"


def test_a_missing_environment_variable_is_a_500_and_the_log_names_it(
    call_api, monkeypatch, api_logs
):
    # GIVEN
    monkeypatch.delenv("RESULTS_TABLE")

    # WHEN
    response = call_api("GET", "/v1/results", query={"status": "FAILED"})

    # THEN
    assert response.status == 500
    assert "RESULTS_TABLE" not in response.raw_body
    [error] = [line for line in api_logs() if line["level"] == "ERROR"]
    assert "RESULTS_TABLE is not set: expected the results table name" in error["exception"]


def test_settings_report_every_bad_variable_at_once(api_environment):
    # GIVEN
    environment = dict(api_environment, STATE_MACHINE_ARN="arn:aws:states:eu-west-1:1:x")
    environment |= {"UPLOAD_URL_EXPIRY_SECONDS": "soon", "LOG_LEVEL": "LOUD"}
    del environment["INGEST_BUCKET"]

    # WHEN
    with pytest.raises(ConfigurationError) as raised:
        Settings.from_environ(environment)

    # THEN
    message = str(raised.value)
    assert "INGEST_BUCKET is not set: expected the ingest bucket name" in message
    assert "UPLOAD_URL_EXPIRY_SECONDS must be an integer from 1 to 604800, got 'soon'" in message
    assert "STATE_MACHINE_ARN must be a Step Functions state machine ARN" in message
    assert "LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL, got 'LOUD'" in message


def test_settings_read_the_environment_the_infrastructure_sets(aws):
    # WHEN
    settings = Settings.from_environ(dict(os.environ, LOG_LEVEL="debug"))

    # THEN
    assert settings.results_index == "status-index"
    assert settings.upload_url_expiry_seconds == 900
    assert settings.max_reprocess_keys == 3
    assert settings.state_machine_arn == aws.state_machine_arn


# Python refuses these while parsing: a RecursionError, and a ValueError that is not a
# JSONDecodeError (int() converts at most sys.get_int_max_str_digits() digits).
DEEP_BODY = '{"filename": ' + "[" * 100_000 + "]" * 100_000 + "}"
HUGE_NUMBER_BODY = '{"filename": "a.csv", "content_type": "text/csv", "n": ' + "7" * 5_000 + "}"
DIGITS = sys.get_int_max_str_digits()


def nested_body(levels: int) -> str:
    """A body object whose extra field nests objects `levels` deep, the body included."""
    return '{"prefix": "incoming/", "x": ' + '{"a": ' * (levels - 1) + "1" + "}" * levels


@pytest.mark.parametrize("path", ["/v1/uploads", "/v1/workflows/reprocess"])
@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (DEEP_BODY, "cannot be read: nested more than 32 levels deep"),
        # These parse; the deeper one was a 500 when the resolver's debug logging of the
        # body ran past the recursion limit. The limit is fixed, not the stack's.
        (nested_body(935), "cannot be read: nested more than 32 levels deep"),
        (nested_body(33), "cannot be read: nested more than 32 levels deep"),
        (HUGE_NUMBER_BODY, f"cannot be read: an integer has more than {DIGITS} digits"),
    ],
    ids=["nested-100000-deep", "nested-935-deep", "nested-33-deep", "5000-digit-integer"],
)
def test_a_body_beyond_the_json_parsers_limits_is_a_400_that_says_which(
    call_api, api_logs, path, body, reason
):
    # WHEN
    response = call_api("POST", path, body=body)

    # THEN the client is told what is wrong with its body, and nothing is logged as ours
    assert response.status == 400
    assert response.body["errors"] == [{"field": "body", "reason": reason}]
    assert response.body["message"] == f"Invalid request: body {reason}"
    assert [line for line in api_logs() if line["level"] == "ERROR"] == []


def test_a_body_nested_to_the_limit_is_validated_like_any_other(call_api):
    # WHEN
    response = call_api("POST", "/v1/workflows/reprocess", body=nested_body(32))

    # THEN it is read, and the schema names what is wrong with it
    assert response.status == 400
    assert response.body["errors"] == [{"field": "body.x", "reason": "is not an allowed field"}]


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/v1/results/a\x00b", "path.result_id"),
        ('/v1/results/{"$ne": null}', "path.result_id"),
        ("/v1/results/März", "path.result_id"),
        ('/v1/workflows/{"$ne": null}', "path.execution_id"),
    ],
)
def test_a_path_parameter_the_router_cannot_match_is_a_400_naming_it(call_api, path, field):
    # GIVEN a path API Gateway passes decoded, with characters no id ever has
    # WHEN
    response = call_api("GET", path)

    # THEN it is a bad id, not a method that is not allowed
    assert response.status == 400
    assert "Allow" not in response.headers
    [error] = response.body["errors"]
    assert error["field"] == field
    assert error["reason"].startswith("String should match pattern")
