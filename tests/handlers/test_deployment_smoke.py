"""The pre-traffic hook's smoke test for the processor is one the real processor passes
(`lambda_functions/deployment_hook/smoke.py`), without touching any object or result."""

from deployment_hook.smoke import SMOKE_TESTS
from processor import app


def test_the_processor_acknowledges_the_hooks_test_message_without_writing(
    aws, results_table, lambda_context
):
    # GIVEN the smoke test the hook sends a new processor version
    test = SMOKE_TESTS["processor"]
    # WHEN the processor handles it
    answer = app.handler(test.event("deployment-hook-4"), lambda_context)
    # THEN the hook's verdict is "healthy", and no result was written
    assert test.verdict(answer) is None
    assert aws.dynamodb.scan(TableName=results_table)["Items"] == []


def test_a_processor_that_fails_the_message_fails_the_smoke_test(lambda_context, monkeypatch):
    # GIVEN a version whose message handling is broken
    def broken(body: str) -> list:
        raise ValueError("broken release")

    monkeypatch.setattr(app, "parse_notification", broken)
    handler = app.create_handler(app.SETTINGS, app.default_clients)
    test = SMOKE_TESTS["processor"]
    # WHEN it handles the hook's message, THEN the hook's verdict names the failure
    verdict = test.verdict(handler(test.event("deployment-hook-5"), lambda_context))
    assert verdict is not None
    assert verdict.startswith("expected no batch item failures, got {'batchItemFailures': [")
