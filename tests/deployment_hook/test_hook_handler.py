"""The hook tests the version a deployment names and always reports a verdict: Succeeded
only when that version answered its smoke test as a healthy version does."""

import json

import pytest
from botocore.exceptions import ClientError
from deployment_hook import app
from deployment_hook.smoke import processor_event

from .conftest import EVENT, GUARDED, HOOK_ENVIRONMENT, LambdaContext, appspec, deployment


def test_a_version_that_answers_healthy_is_reported_succeeded(aws, run_hook):
    # GIVEN a deployment to version 4, which acknowledges the test message
    aws.expect_deployment(appspec(target="4"))
    aws.expect_invocation({"batchItemFailures": []}, version="4")
    aws.expect_report("Succeeded")
    # WHEN CodeDeploy runs the hook
    result = run_hook()
    # THEN version 4 was invoked with the test message, and CodeDeploy heard Succeeded
    assert result == {"status": "Succeeded"}
    (invocation,) = aws.invocations
    assert json.loads(invocation["Payload"]) == processor_event("deployment-hook-4")


def test_a_version_that_fails_the_test_message_is_reported_failed(aws, run_hook):
    aws.expect_deployment(appspec())
    aws.expect_invocation({"batchItemFailures": [{"itemIdentifier": "deployment-hook-4"}]})
    aws.expect_report("Failed")
    assert run_hook() == {"status": "Failed"}


def test_a_version_that_raises_is_reported_failed(aws, run_hook):
    aws.expect_deployment(appspec())
    aws.expect_invocation(
        {"errorMessage": "invalid environment", "errorType": "ConfigurationError"},
        function_error="Unhandled",
    )
    aws.expect_report("Failed")
    assert run_hook() == {"status": "Failed"}


def test_an_api_version_answering_200_with_a_page_is_reported_succeeded(aws, run_hook):
    aws.expect_deployment(appspec())
    aws.expect_invocation({"statusCode": 200, "body": '{"items": [], "next_token": null}'})
    aws.expect_report("Succeeded")
    assert run_hook("api") == {"status": "Succeeded"}


def test_an_api_version_answering_500_is_reported_failed(aws, run_hook):
    aws.expect_deployment(appspec())
    aws.expect_invocation({"statusCode": 500, "body": '{"message": "Internal server error"}'})
    aws.expect_report("Failed")
    assert run_hook("api") == {"status": "Failed"}


@pytest.mark.parametrize(
    "content",
    [
        None,
        "version: 0.0\nResources: []\n",
        appspec(name="platform-api-function-02cf9d7"),
        appspec(target="$LATEST"),
    ],
    ids=["no-appspec", "yaml-appspec", "another-function", "not-a-version"],
)
def test_without_a_version_of_its_function_to_test_the_hook_reports_failed_invoking_nothing(
    aws, run_hook, content
):
    # GIVEN a deployment whose AppSpec names no version of the guarded function
    aws.expect_deployment(content)
    aws.expect_report("Failed")
    # WHEN the hook runs
    assert run_hook() == {"status": "Failed"}
    # THEN it invoked nothing
    assert aws.invocations == []


def test_when_codedeploy_cannot_be_read_the_hook_still_reports_failed(aws, run_hook):
    aws.codedeploy.add_client_error(
        "get_deployment", service_error_code="ThrottlingException", http_status_code=400
    )
    aws.expect_report("Failed")
    assert run_hook() == {"status": "Failed"}


def test_a_report_codedeploy_refuses_fails_the_hook_loudly(aws, run_hook):
    aws.expect_deployment(appspec())
    aws.expect_invocation({"batchItemFailures": []})
    aws.codedeploy.add_client_error(
        "put_lifecycle_event_hook_execution_status",
        service_error_code="AccessDeniedException",
        http_status_code=400,
    )
    with pytest.raises(ClientError, match="AccessDeniedException"):
        run_hook()


@pytest.mark.parametrize(
    "name", [GUARDED, f"arn:aws:lambda:eu-west-1:123456789012:function:{GUARDED}"]
)
def test_the_appspec_may_name_the_function_by_name_or_arn(name):
    assert app.version_under_test(deployment(appspec(name=name))["deploymentInfo"], GUARDED) == (
        "4"
    )


def test_a_numeric_target_version_is_read_as_its_number():
    info = deployment(appspec(target=12))["deploymentInfo"]
    assert app.version_under_test(info, GUARDED) == "12"


def test_the_entry_point_reads_its_settings_from_the_environment(aws, monkeypatch):
    # GIVEN the environment the infrastructure sets, naming the api's smoke test
    for name, value in {**HOOK_ENVIRONMENT, "SMOKE_TEST": "api"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(app, "default_clients", lambda: aws.clients)
    app._configured_handler.cache_clear()
    aws.expect_deployment(appspec())
    aws.expect_invocation({"statusCode": 200, "body": '{"items": [], "next_token": null}'})
    aws.expect_report("Succeeded")
    # WHEN Lambda calls the module's handler, THEN it ran the api's smoke test
    try:
        assert app.handler(EVENT, LambdaContext()) == {"status": "Succeeded"}
    finally:
        app._configured_handler.cache_clear()
