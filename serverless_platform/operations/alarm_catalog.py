"""The platform's alarms: which metric, what threshold, and which runbook.

Slugs are stable: each one is an alarm name suffix and `runbooks/<slug>.md`.
"""

from __future__ import annotations

import pulumi

from serverless_platform.config import AlarmSettings, FunctionSettings
from serverless_platform.operations.observability import AlarmSpec, Metric

# Operations the platform performs on the results table.
TABLE_OPERATIONS = ("GetItem", "UpdateItem", "Query")

PROCESSOR_ERRORS = "processor-errors"
PROCESSOR_THROTTLES = "processor-throttles"
API_FUNCTION_ERRORS = "api-function-errors"
API_5XX_RATE = "api-5xx-rate"
# The alarms that stop a function's gradual deploy and roll its `live` alias back
# (`serverless_platform/delivery/`), by the function's slug. The api function turns an
# unhandled error into a 500 response itself, which Lambda's Errors metric never counts:
# its 5XX rate is as much its error signal as its Errors are. It also stands in for the
# throttle alarm the api function does not have: API Gateway answers a request whose
# invocation Lambda throttled with a 5XX.
ROLLBACK_ALARMS = {
    "processor": (PROCESSOR_ERRORS, PROCESSOR_THROTTLES),
    "api": (API_FUNCTION_ERRORS, API_5XX_RATE),
}


def _sum_of(count: int) -> str:
    """m1 + … + mN with every missing data point counted as 0."""
    return "+".join(f"FILL(m{i},0)" for i in range(1, count + 1))


def _lambda_metric(name: str, function_name: pulumi.Input[str], stat: str) -> Metric:
    # `FunctionName` alone is Lambda's aggregate over every version and alias of the
    # function, which is what these alarms (and the gradual deploys they roll back) need.
    # While CodeDeploy shifts the `live` alias, both versions serve through it, so the
    # alias's own `Resource` dimension would see the same mix, yet miss the new version
    # invoked by its number (as the pre-traffic hook does); only `ExecutedVersion` tells
    # versions apart, and its value changes with every deploy. The aggregate also keeps
    # the alarm's meaning for on-call and the runbooks: the function is failing.
    return Metric("AWS/Lambda", name, {"FunctionName": function_name}, stat)


def processor_alarms(
    settings: AlarmSettings, function: FunctionSettings, function_name: pulumi.Input[str]
) -> list[AlarmSpec]:
    duration_threshold = (
        function.timeout_seconds * 1000 * settings.duration_percent_of_timeout / 100
    )
    concurrency_threshold = (
        function.reserved_concurrency * settings.concurrency_percent_of_reserved / 100
    )
    return [
        AlarmSpec(
            PROCESSOR_ERRORS,
            "The processor function is failing invocations; "
            "uploads are being retried and may reach the DLQ.",
            [_lambda_metric("Errors", function_name, "Sum")],
            settings.processor_errors,
        ),
        AlarmSpec(
            PROCESSOR_THROTTLES,
            "The processor function is throttled; the ingest queue is backing up.",
            [_lambda_metric("Throttles", function_name, "Sum")],
            settings.processor_throttles,
        ),
        AlarmSpec(
            "processor-duration-near-timeout",
            "Processor invocations run close to their timeout; "
            "a slower object will time out and be retried.",
            [_lambda_metric("Duration", function_name, "Maximum")],
            duration_threshold,
        ),
        AlarmSpec(
            "processor-concurrency-near-limit",
            "The processor runs near its reserved concurrency; more load will be throttled.",
            [_lambda_metric("ConcurrentExecutions", function_name, "Maximum")],
            concurrency_threshold,
        ),
    ]


def queue_alarms(
    settings: AlarmSettings, queue_name: pulumi.Input[str], dlq_name: pulumi.Input[str]
) -> list[AlarmSpec]:
    return [
        AlarmSpec(
            "dlq-messages-visible",
            "Uploads failed processing 5 times and sit in the dead-letter queue; "
            "they have no result yet.",
            [
                Metric(
                    "AWS/SQS",
                    "ApproximateNumberOfMessagesVisible",
                    {"QueueName": dlq_name},
                    "Maximum",
                )
            ],
            0,
            comparison="GreaterThanThreshold",
        ),
        AlarmSpec(
            "ingest-queue-oldest-message-age",
            "The oldest upload notification has waited too long; "
            "processing is stalled or too slow.",
            [
                Metric(
                    "AWS/SQS", "ApproximateAgeOfOldestMessage", {"QueueName": queue_name}, "Maximum"
                )
            ],
            settings.queue_oldest_message_age_seconds,
        ),
    ]


def api_alarms(
    settings: AlarmSettings,
    api_name: pulumi.Input[str],
    stage_name: pulumi.Input[str],
    function_name: pulumi.Input[str],
) -> list[AlarmSpec]:
    dimensions = {"ApiName": api_name, "Stage": stage_name}
    return [
        AlarmSpec(
            API_5XX_RATE,
            "Too many API requests end in a 5XX error.",
            [Metric("AWS/ApiGateway", "5XXError", dimensions, "Average")],
            settings.api_5xx_rate_percent,
            expression="m1*100",
        ),
        AlarmSpec(
            "api-4xx-rate",
            "Too many API requests are refused (4XX): clients cannot use the API.",
            [Metric("AWS/ApiGateway", "4XXError", dimensions, "Average")],
            settings.api_4xx_rate_percent,
            expression="m1*100",
        ),
        AlarmSpec(
            "api-p99-latency",
            "The slowest 1% of API requests are too slow.",
            [Metric("AWS/ApiGateway", "Latency", dimensions, "p99")],
            settings.api_p99_latency_ms,
        ),
        AlarmSpec(
            API_FUNCTION_ERRORS,
            "The api function is failing invocations; clients get 5XX responses.",
            [_lambda_metric("Errors", function_name, "Sum")],
            settings.api_function_errors,
        ),
    ]


def workflow_alarms(
    settings: AlarmSettings, state_machine_arn: pulumi.Input[str]
) -> list[AlarmSpec]:
    dimensions = {"StateMachineArn": state_machine_arn}
    return [
        AlarmSpec(
            "workflow-executions-failed",
            "Reprocess workflow executions failed, timed out or were aborted.",
            [
                Metric("AWS/States", "ExecutionsFailed", dimensions, "Sum"),
                Metric("AWS/States", "ExecutionsTimedOut", dimensions, "Sum"),
                Metric("AWS/States", "ExecutionsAborted", dimensions, "Sum"),
            ],
            settings.workflow_failed_executions,
            # A sum over series with gaps has gaps: fill each so one quiet series
            # (executions rarely time out) cannot hide the others.
            expression=_sum_of(3),
        )
    ]


def table_alarms(settings: AlarmSettings, table_name: pulumi.Input[str]) -> list[AlarmSpec]:
    # ThrottledRequests counts requests DynamoDB rejected; UserErrors would count bad requests.
    return [
        AlarmSpec(
            "dynamodb-throttled-requests",
            "DynamoDB throttles requests to the results table; "
            "writes are retried and may reach the DLQ.",
            [
                Metric(
                    "AWS/DynamoDB",
                    "ThrottledRequests",
                    {"TableName": table_name, "Operation": op},
                    "Sum",
                )
                for op in TABLE_OPERATIONS
            ],
            settings.dynamodb_throttled_requests,
            expression=_sum_of(len(TABLE_OPERATIONS)),
        )
    ]
