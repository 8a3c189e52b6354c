"""The pre-traffic hook's smoke request for the api is one the real api function answers
200 when it can read results, and fails when it cannot
(`lambda_functions/deployment_hook/smoke.py`)."""

from api import app as api_app
from deployment_hook.smoke import SMOKE_TESTS
from moto import mock_aws

from .conftest import LambdaContext


def test_a_healthy_api_passes_the_hooks_smoke_request(aws):
    test = SMOKE_TESTS["api"]
    answer = api_app.handler(test.event("deployment-hook-4"), LambdaContext())
    assert test.verdict(answer) is None


def test_an_api_that_cannot_read_results_fails_the_hooks_smoke_request(api_environment):
    # GIVEN a version whose table is not there (a wrong RESULTS_TABLE, say)
    test = SMOKE_TESTS["api"]
    with mock_aws():
        answer = api_app.handler(test.event("deployment-hook-5"), LambdaContext())
    # THEN the hook's verdict names the 500 it answered
    verdict = test.verdict(answer)
    assert verdict is not None
    assert verdict.startswith("expected status 200, got {")
    assert "'statusCode': 500" in verdict
