"""The known events the pre-traffic hook sends a new version, and how a healthy version
answers them. Neither writes anything, so both are safe to send in production.

- `processor`: one SQS message carrying S3's `s3:TestEvent`, which the processor
  acknowledges without reading any object. A healthy version has loaded its settings
  and answers with no batch item failure.
- `api`: `GET /v1/results?status=FAILED&limit=1`, one read of the results table's
  status index. A healthy version answers 200 with a page of results.

Example:
    >>> test = SMOKE_TESTS["processor"]
    >>> test.verdict({"batchItemFailures": []}) is None
    True
    >>> test.verdict({"batchItemFailures": [{"itemIdentifier": "m-1"}]})
    "expected no batch item failures, got {'batchItemFailures': [{'itemIdentifier': 'm-1'}]}"
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from shared.events import TEST_EVENT

# The answer quoted in a verdict: enough to see what went wrong, short enough for a log.
MAX_QUOTED_CHARACTERS = 500
SMOKE_RESULTS_PATH = "/v1/results"


@dataclass(frozen=True)
class SmokeTest:
    """An event for the version under test (built from a request id, which the version
    logs as its correlation id) and the verdict on its answer: None when healthy, else
    what was wrong."""

    description: str
    event: Callable[[str], dict[str, Any]]
    verdict: Callable[[Any], str | None]


def quoted(answer: Any) -> str:
    """`answer` as a verdict quotes it, cut to a length a log line holds."""
    text = repr(answer)
    return text if len(text) <= MAX_QUOTED_CHARACTERS else text[:MAX_QUOTED_CHARACTERS] + "..."


def processor_event(request_id: str) -> dict[str, Any]:
    """An SQS batch of one message: the notification S3 sends to test a destination."""
    body = json.dumps(
        {
            "Service": "Amazon S3",
            "Event": TEST_EVENT,
            "Time": "1970-01-01T00:00:00.000Z",
            "Bucket": "deployment-hook",
            "RequestId": request_id,
            "HostId": "deployment-hook",
        }
    )
    return {
        "Records": [
            {
                "messageId": request_id,
                "receiptHandle": "deployment-hook",
                "body": body,
                "attributes": {
                    "ApproximateReceiveCount": "1",
                    "SentTimestamp": "0",
                    "SenderId": "deployment-hook",
                    "ApproximateFirstReceiveTimestamp": "0",
                },
                "messageAttributes": {},
                "md5OfBody": hashlib.md5(body.encode(), usedforsecurity=False).hexdigest(),
                "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:us-east-1:000000000000:deployment-hook",
                "awsRegion": "us-east-1",
            }
        ]
    }


def processor_verdict(answer: Any) -> str | None:
    if answer == {"batchItemFailures": []}:
        return None
    return f"expected no batch item failures, got {quoted(answer)}"


def api_event(request_id: str) -> dict[str, Any]:
    """A REST API (v1) Lambda proxy event, as API Gateway sends it."""
    query = {"status": "FAILED", "limit": "1"}
    headers = {"Accept": "application/json", "User-Agent": "deployment-hook"}
    return {
        "resource": SMOKE_RESULTS_PATH,
        "path": SMOKE_RESULTS_PATH,
        "httpMethod": "GET",
        "headers": headers,
        "multiValueHeaders": {name: [value] for name, value in headers.items()},
        "queryStringParameters": query,
        "multiValueQueryStringParameters": {name: [value] for name, value in query.items()},
        "pathParameters": None,
        "stageVariables": None,
        "requestContext": {
            "resourcePath": SMOKE_RESULTS_PATH,
            "httpMethod": "GET",
            "path": SMOKE_RESULTS_PATH,
            "stage": "deployment-hook",
            "requestId": request_id,
            "identity": {"sourceIp": "127.0.0.1", "userAgent": "deployment-hook"},
        },
        "body": None,
        "isBase64Encoded": False,
    }


def api_verdict(answer: Any) -> str | None:
    if not isinstance(answer, dict) or answer.get("statusCode") != 200:
        return f"expected status 200, got {quoted(answer)}"
    try:
        page = json.loads(answer.get("body") or "")
    except ValueError:
        page = None
    if not isinstance(page, dict) or not isinstance(page.get("items"), list):
        return f"expected a page of results, got {quoted(answer.get('body'))}"
    return None


SMOKE_TESTS = {
    "processor": SmokeTest(
        "an SQS message carrying s3:TestEvent", processor_event, processor_verdict
    ),
    "api": SmokeTest("GET /v1/results?status=FAILED&limit=1", api_event, api_verdict),
}
