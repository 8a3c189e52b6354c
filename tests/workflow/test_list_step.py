"""The list step function against moto: pagination, caps, validation, errors."""

import pytest
from botocore.exceptions import ClientError
from shared.environment import ConfigurationError

from tests.workflow.asl_interpreter import LambdaContext
from tests.workflow.conftest import ENVIRONMENT, LIST_FUNCTION_ARN, MAX_OBJECTS, FailingListing

CONTEXT = LambdaContext(LIST_FUNCTION_ARN)
# A request that fails before listing has no metrics to flush; Powertools says so.
pytestmark = pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning")


def test_lists_every_key_under_the_prefix_across_pages(list_app, put_object, monkeypatch):
    # GIVEN five objects under the prefix, one outside it, and pages of two keys
    monkeypatch.setattr(list_app, "S3_PAGE_SIZE", 2)
    keys = [f"incoming/2026/{n}.json" for n in range(5)]
    for key in [*keys, "incoming/2025/other.json"]:
        put_object(key)

    # WHEN
    result = list_app.handler({"prefix": "incoming/2026/"}, CONTEXT)

    # THEN
    assert result == {
        "requested_by": None,
        "prefix": "incoming/2026/",
        "keys": keys,
        "count": 5,
        "truncated": False,
    }


def test_caps_the_listing_at_max_objects_and_reports_truncation(list_app, put_object, monkeypatch):
    # GIVEN one object more than the cap
    monkeypatch.setattr(list_app, "S3_PAGE_SIZE", 7)
    for n in range(MAX_OBJECTS + 1):
        put_object(f"incoming/big/{n:03}.json")

    # WHEN
    result = list_app.handler({"prefix": "incoming/big/"}, CONTEXT)

    # THEN
    assert result["count"] == MAX_OBJECTS
    assert result["keys"] == [f"incoming/big/{n:03}.json" for n in range(MAX_OBJECTS)]
    assert result["truncated"] is True


def test_exactly_max_objects_is_not_truncated(list_app, put_object):
    # GIVEN
    for n in range(MAX_OBJECTS):
        put_object(f"incoming/full/{n:03}.json")

    # WHEN
    result = list_app.handler({"prefix": "incoming/full/"}, CONTEXT)

    # THEN
    assert (result["count"], result["truncated"]) == (MAX_OBJECTS, False)


def test_skips_directory_placeholder_keys(list_app, put_object):
    # GIVEN a console "folder" and a real object in it
    put_object("incoming/dir/", b"")
    put_object("incoming/dir/a.json")

    # WHEN
    result = list_app.handler({"prefix": "incoming/"}, CONTEXT)

    # THEN
    assert result["keys"] == ["incoming/dir/a.json"]


def test_an_empty_prefix_lists_nothing(list_app):
    # WHEN
    result = list_app.handler({"prefix": "incoming/none/"}, CONTEXT)

    # THEN
    assert (result["keys"], result["count"], result["truncated"]) == ([], 0, False)


def test_unicode_and_plus_keys_are_returned_as_stored(list_app, put_object):
    # GIVEN
    key = "incoming/reports/Q1 2026/März+data.json"
    put_object(key)

    # WHEN
    result = list_app.handler({"prefix": "incoming/reports/"}, CONTEXT)

    # THEN
    assert result["keys"] == [key]


def test_stops_before_the_keys_outgrow_the_execution_payload(list_app, put_object, monkeypatch):
    # GIVEN a budget that holds exactly two of these keys
    keys = [f"incoming/p/{n}.json" for n in range(4)]
    for key in keys:
        put_object(key)
    monkeypatch.setattr(list_app, "PAYLOAD_BUDGET_BYTES", 2 * list_app.payload_cost(keys[0]))

    # WHEN
    result = list_app.handler({"prefix": "incoming/p/"}, CONTEXT)

    # THEN
    assert (result["keys"], result["truncated"]) == (keys[:2], True)


@pytest.mark.parametrize(
    ("event", "message"),
    [
        ({}, "expected an object with either 'prefix' or 'object_keys', got {}"),
        (
            {"prefix": "incoming/", "object_keys": ["incoming/a"]},
            "expected an object with either 'prefix' or 'object_keys', got "
            '{"prefix": "incoming/", "object_keys": ["incoming/a"]}',
        ),
        (
            {"prefix": "reports/"},
            "'prefix' must be a string starting with 'incoming/', got \"reports/\"",
        ),
        ({"prefix": 7}, "'prefix' must be a string starting with 'incoming/', got 7"),
        ({"prefix": "incoming/" + "x" * 1100}, "'prefix' must be at most 1024 characters"),
        ({"object_keys": []}, "'object_keys' must be a non-empty list, got []"),
        (
            {"object_keys": "incoming/a"},
            "'object_keys' must be a non-empty list, got \"incoming/a\"",
        ),
        ({"object_keys": ["incoming/a", 7]}, "object_keys[1] must be a non-empty string, got 7"),
    ],
)
def test_rejects_a_malformed_request_with_invalid_input(list_app, event, message):
    # THEN
    with pytest.raises(list_app.InvalidInput) as raised:
        list_app.handler(event, CONTEXT)
    assert str(raised.value) == message


def test_named_keys_come_back_once_each_in_the_order_given(list_app):
    # GIVEN
    keys = ["incoming/b.json", "incoming/a.json", "incoming/b.json"]

    # WHEN
    result = list_app.handler({"object_keys": keys, "requested_by": "alice"}, CONTEXT)

    # THEN: not looked up in S3; a missing one fails when it is processed
    assert result == {
        "requested_by": "alice",
        "prefix": None,
        "keys": ["incoming/b.json", "incoming/a.json"],
        "count": 2,
        "truncated": False,
    }


def test_named_keys_are_capped_by_the_payload_budget_too(list_app, monkeypatch):
    # GIVEN a budget that holds two keys
    keys = [f"incoming/{n}.json" for n in range(3)]
    monkeypatch.setattr(list_app, "PAYLOAD_BUDGET_BYTES", 2 * list_app.payload_cost(keys[0]))

    # WHEN
    result = list_app.handler({"object_keys": keys}, CONTEXT)

    # THEN
    assert (result["keys"], result["truncated"]) == (keys[:2], True)


@pytest.mark.parametrize(
    ("code", "status"), [("SlowDown", 503), ("InternalError", 500), ("RequestTimeout", 400)]
)
def test_throttling_and_server_errors_raise_the_retried_transient_error(list_app, code, status):
    # GIVEN
    step = list_app.create_handler(list_app.SETTINGS, lambda: FailingListing(code, status))

    # THEN
    with pytest.raises(list_app.TransientAwsError, match=code):
        step({"prefix": "incoming/"}, CONTEXT)


def test_access_denied_is_not_disguised_as_transient(list_app):
    # GIVEN
    step = list_app.create_handler(list_app.SETTINGS, lambda: FailingListing("AccessDenied", 403))

    # THEN: it surfaces as ClientError, which the state machine does not retry
    with pytest.raises(ClientError, match="AccessDenied"):
        step({"prefix": "incoming/"}, CONTEXT)


@pytest.mark.parametrize(
    ("variable", "value", "problem"),
    [
        ("INGEST_BUCKET", "", "INGEST_BUCKET is not set: expected the ingest bucket name"),
        ("MAX_OBJECTS", "many", "MAX_OBJECTS must be an integer >= 1, got 'many'"),
        ("MAX_OBJECTS", "0", "MAX_OBJECTS must be an integer >= 1, got '0'"),
        (
            "LOG_LEVEL",
            "loud",
            "LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL, got 'loud'",
        ),
        (
            "POWERTOOLS_METRICS_NAMESPACE",
            "",
            "POWERTOOLS_METRICS_NAMESPACE is not set: expected the CloudWatch metrics namespace",
        ),
    ],
)
def test_bad_configuration_is_refused_naming_the_variable(list_app, variable, value, problem):
    # GIVEN
    environ = {**ENVIRONMENT, variable: value}

    # THEN
    with pytest.raises(ConfigurationError) as raised:
        list_app.ListSettings.from_environ(environ)
    assert str(raised.value) == f"invalid environment: {problem}"


def test_every_configuration_problem_is_reported_at_once(list_app):
    # WHEN
    with pytest.raises(ConfigurationError) as raised:
        list_app.ListSettings.from_environ({})

    # THEN
    for variable in ("INGEST_BUCKET", "MAX_OBJECTS", "POWERTOOLS_SERVICE_NAME"):
        assert variable in str(raised.value)
