"""The reprocess state machine, as data: `build_definition` returns the ASL as a dict.

The workflow validates its input, lists a prefix (or takes the given keys), processes
each object under a Map with bounded concurrency, tallies the outcomes in pure ASL
and publishes a summary to the alerts topic. Every Task retries transient errors with
full jitter and catches the rest, so one bad object never fails the run.

Its structural rules are checked by `tests/workflow/asl_validator.py`.

Example:
    >>> definition = build_definition(
    ...     list_function_arn="arn:aws:lambda:eu-west-1:111111111111:function:list",
    ...     process_function_arn="arn:aws:lambda:eu-west-1:111111111111:function:process",
    ...     alerts_topic_arn="arn:aws:sns:eu-west-1:111111111111:alerts",
    ...     bucket_name="ingest",
    ...     max_objects=500,
    ...     max_concurrency=5,
    ...     failed_keys_cap=50,
    ... )
    >>> definition["StartAt"], definition["States"][definition["StartAt"]]["Type"]
    ('CheckRequestedBy', 'Choice')
"""

from __future__ import annotations

from typing import Any

LAMBDA_INVOKE = "arn:aws:states:::lambda:invoke"
SNS_PUBLISH = "arn:aws:states:::sns:publish"
INCOMING_PATTERN = "incoming/*"

# What the two step functions raise for throttling or a 5xx from S3 or DynamoDB: their
# `TransientAwsError`, which Lambda reports by the exception's class name.
STEP_TRANSIENT_ERRORS = ("TransientAwsError",)
# What the lambda:invoke integration raises when Lambda itself fails or throttles.
LAMBDA_TRANSIENT_ERRORS = (
    "Lambda.ServiceException",
    "Lambda.AWSLambdaException",
    "Lambda.SdkClientException",
    "Lambda.TooManyRequestsException",
)
# The sns:publish integration names errors "SNS.<code>Exception".
SNS_TRANSIENT_ERRORS = (
    "SNS.ThrottledException",
    "SNS.InternalErrorException",
    "SNS.KMSThrottlingException",
)
TIMEOUT_ERROR = "States.Timeout"
LAMBDA_RETRY_ERRORS = (*LAMBDA_TRANSIENT_ERRORS, TIMEOUT_ERROR, *STEP_TRANSIENT_ERRORS)
SNS_RETRY_ERRORS = (*SNS_TRANSIENT_ERRORS, TIMEOUT_ERROR)
CATCH_ALL = "States.ALL"

RETRY_INTERVAL_SECONDS = 2
RETRY_MAX_ATTEMPTS = 5
RETRY_BACKOFF_RATE = 2.0
RETRY_MAX_DELAY_SECONDS = 60

INVALID_INPUT = "InvalidInput"
REQUESTED_BY_DEFAULT = "unspecified"

# Object outcomes, as the process function and the per-object Catch report them.
SUCCEEDED, FAILED, SKIPPED = "SUCCEEDED", "FAILED", "SKIPPED"
OUTCOME_STATUSES = (SUCCEEDED, FAILED, SKIPPED)
# The run's output and notification: these fields plus `failed_keys` (capped).
SUMMARY_FIELDS = (
    "execution",
    "requested_by",
    "prefix",
    "listed",
    "truncated",
    *(status.lower() for status in OUTCOME_STATUSES),
)

# State names: the execution history, the logs and the tests all refer to these.
CHECK_REQUESTED_BY = "CheckRequestedBy"
DEFAULT_REQUESTED_BY = "DefaultRequestedBy"
CHECK_TARGET = "CheckTarget"
COUNT_OBJECT_KEYS = "CountObjectKeys"
CHECK_OBJECT_KEY_COUNT = "CheckObjectKeyCount"
LIST_OBJECTS = "ListObjects"
PROCESS_OBJECTS = "ProcessObjects"
PROCESS_OBJECT = "ProcessObject"
RECORD_OBJECT_FAILURE = "RecordObjectFailure"
TALLY_OUTCOMES = "TallyOutcomes"
SUMMARISE_RUN = "SummariseRun"
CHECK_FAILED_KEYS_CAP = "CheckFailedKeysCap"
CAP_FAILED_KEYS = "CapFailedKeys"
NOTIFY_RUN_SUMMARY = "NotifyRunSummary"
RUN_SUCCEEDED = "RunSucceeded"
DESCRIBE_RUN_FAILURE = "DescribeRunFailure"
NOTIFY_RUN_FAILED = "NotifyRunFailed"
RUN_FAILED = "RunFailed"

# Each invalid input ends in its own Fail state, so the Cause says exactly what is wrong.
REJECT_INVALID_REQUESTED_BY = "RejectInvalidRequestedBy"
REJECT_PREFIX_AND_OBJECT_KEYS = "RejectPrefixAndObjectKeys"
REJECT_MISSING_TARGET = "RejectMissingTarget"
REJECT_INVALID_PREFIX = "RejectInvalidPrefix"
REJECT_INVALID_OBJECT_KEYS = "RejectInvalidObjectKeys"
REJECT_TOO_MANY_OBJECT_KEYS = "RejectTooManyObjectKeys"
REJECT_REQUEST = "RejectRequest"

Definition = dict[str, Any]
State = dict[str, Any]


def _invalid_input_causes(max_objects: int) -> dict[str, str]:
    return {
        REJECT_INVALID_REQUESTED_BY: "'requested_by' must be a string when it is given",
        REJECT_PREFIX_AND_OBJECT_KEYS: "give either 'prefix' or 'object_keys', not both",
        REJECT_MISSING_TARGET: "give 'prefix' (a string under incoming/) or 'object_keys'",
        REJECT_INVALID_PREFIX: "'prefix' must be a string that starts with 'incoming/'",
        REJECT_INVALID_OBJECT_KEYS: "'object_keys' must be a non-empty list of object keys",
        REJECT_TOO_MANY_OBJECT_KEYS: f"'object_keys' may hold at most {max_objects} keys",
    }


def _retry(errors: tuple[str, ...]) -> list[dict[str, Any]]:
    return [
        {
            "ErrorEquals": list(errors),
            "IntervalSeconds": RETRY_INTERVAL_SECONDS,
            "MaxAttempts": RETRY_MAX_ATTEMPTS,
            "BackoffRate": RETRY_BACKOFF_RATE,
            "MaxDelaySeconds": RETRY_MAX_DELAY_SECONDS,
            # Full jitter spreads the retries of concurrent Map iterations apart.
            "JitterStrategy": "FULL",
        }
    ]


def _catch(next_state: str, result_path: str) -> list[dict[str, Any]]:
    return [{"ErrorEquals": [CATCH_ALL], "ResultPath": result_path, "Next": next_state}]


def _invoke(function_arn: str, payload: dict[str, Any] | str) -> dict[str, Any]:
    """Parameters of the optimised lambda:invoke integration (the result is under Payload)."""
    if isinstance(payload, str):
        return {"FunctionName": function_arn, "Payload.$": payload}
    return {"FunctionName": function_arn, "Payload": payload}


def _present(path: str) -> dict[str, Any]:
    return {"Variable": path, "IsPresent": True}


def _absent(path: str) -> dict[str, Any]:
    return {"Variable": path, "IsPresent": False}


def _input_checks(max_objects: int) -> dict[str, State]:
    """Choice states that route every malformed input to a Fail state with its Cause."""
    return {
        CHECK_REQUESTED_BY: {
            "Type": "Choice",
            "Comment": "requested_by is optional; when given it must be a string",
            "Choices": [
                {
                    # IsPresent first: a type test on a missing field is a runtime error.
                    "And": [
                        _present("$.requested_by"),
                        {"Variable": "$.requested_by", "IsString": False},
                    ],
                    "Next": REJECT_INVALID_REQUESTED_BY,
                },
                {**_absent("$.requested_by"), "Next": DEFAULT_REQUESTED_BY},
            ],
            "Default": CHECK_TARGET,
        },
        DEFAULT_REQUESTED_BY: {
            "Type": "Pass",
            "Result": REQUESTED_BY_DEFAULT,
            "ResultPath": "$.requested_by",
            "Next": CHECK_TARGET,
        },
        CHECK_TARGET: {
            "Type": "Choice",
            "Comment": "exactly one of prefix (under incoming/) and object_keys",
            "Choices": [
                {
                    "And": [_present("$.prefix"), _present("$.object_keys")],
                    "Next": REJECT_PREFIX_AND_OBJECT_KEYS,
                },
                {
                    "And": [_absent("$.prefix"), _absent("$.object_keys")],
                    "Next": REJECT_MISSING_TARGET,
                },
                {
                    "And": [
                        _present("$.prefix"),
                        {"Variable": "$.prefix", "IsString": True},
                        {"Variable": "$.prefix", "StringMatches": INCOMING_PATTERN},
                    ],
                    "Next": LIST_OBJECTS,
                },
                {**_present("$.prefix"), "Next": REJECT_INVALID_PREFIX},
                # A first element exists only when object_keys is a non-empty list.
                {**_present("$.object_keys[0]"), "Next": COUNT_OBJECT_KEYS},
            ],
            "Default": REJECT_INVALID_OBJECT_KEYS,
        },
        COUNT_OBJECT_KEYS: {
            "Type": "Pass",
            "Parameters": {"count.$": "States.ArrayLength($.object_keys)"},
            "ResultPath": "$.object_key_count",
            "Next": CHECK_OBJECT_KEY_COUNT,
        },
        CHECK_OBJECT_KEY_COUNT: {
            "Type": "Choice",
            "Choices": [
                {
                    "Variable": "$.object_key_count.count",
                    "NumericGreaterThan": max_objects,
                    "Next": REJECT_TOO_MANY_OBJECT_KEYS,
                }
            ],
            "Default": LIST_OBJECTS,
        },
        **{
            name: {"Type": "Fail", "Error": INVALID_INPUT, "Cause": cause}
            for name, cause in _invalid_input_causes(max_objects).items()
        },
    }


def _processing(
    *,
    list_function_arn: str,
    process_function_arn: str,
    bucket_name: str,
    max_concurrency: int,
) -> dict[str, State]:
    return {
        LIST_OBJECTS: {
            "Type": "Task",
            "Comment": (
                "lists the prefix page by page, or de-duplicates the named keys; capped by "
                "count and by what fits the execution's payload"
            ),
            "Resource": LAMBDA_INVOKE,
            # The state holds either prefix or object_keys; the function reads whichever.
            "Parameters": _invoke(list_function_arn, "$"),
            # Replaces the state: named keys can fill most of the 256 KiB input, and must
            # not ride along into the Map next to the listing and the outcomes.
            "ResultSelector": {
                "requested_by.$": "$.Payload.requested_by",
                "listing": {
                    "prefix.$": "$.Payload.prefix",
                    "keys.$": "$.Payload.keys",
                    "count.$": "$.Payload.count",
                    "truncated.$": "$.Payload.truncated",
                },
            },
            "ResultPath": "$",
            "Retry": _retry(LAMBDA_RETRY_ERRORS),
            "Catch": [
                # A request the function refuses is the caller's mistake: no alert.
                {"ErrorEquals": [INVALID_INPUT], "ResultPath": "$.failure", "Next": REJECT_REQUEST},
                *_catch(DESCRIBE_RUN_FAILURE, "$.failure"),
            ],
            "Next": PROCESS_OBJECTS,
        },
        REJECT_REQUEST: {
            "Type": "Fail",
            "ErrorPath": "$.failure.Error",
            "CausePath": "$.failure.Cause",
        },
        PROCESS_OBJECTS: {
            "Type": "Map",
            "ItemsPath": "$.listing.keys",
            "ItemSelector": {"bucket": bucket_name, "key.$": "$$.Map.Item.Value"},
            "MaxConcurrency": max_concurrency,
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "INLINE"},
                "StartAt": PROCESS_OBJECT,
                "States": {
                    PROCESS_OBJECT: {
                        "Type": "Task",
                        "Resource": LAMBDA_INVOKE,
                        "Parameters": _invoke(process_function_arn, "$"),
                        # Only what the tally needs: the inline Map's results share the
                        # execution's 256 KiB payload limit.
                        "ResultSelector": {
                            "key.$": "$.Payload.key",
                            "status.$": "$.Payload.status",
                            "error.$": "$.Payload.error",
                        },
                        "Retry": _retry(LAMBDA_RETRY_ERRORS),
                        "Catch": _catch(RECORD_OBJECT_FAILURE, "$.failure"),
                        "End": True,
                    },
                    RECORD_OBJECT_FAILURE: {
                        "Type": "Pass",
                        "Comment": "a failed object is an outcome, not a failed run",
                        "Parameters": {
                            "key.$": "$.key",
                            "status": FAILED,
                            "error.$": "$.failure.Error",
                        },
                        "End": True,
                    },
                },
            },
            "ResultPath": "$.outcomes",
            "Catch": _catch(DESCRIBE_RUN_FAILURE, "$.failure"),
            "Next": TALLY_OUTCOMES,
        },
    }


def _outcome_keys(status: str) -> str:
    return f"$.outcomes[?(@.status == '{status}')].key"


def _reporting(*, alerts_topic_arn: str, failed_keys_cap: int) -> dict[str, State]:
    return {
        TALLY_OUTCOMES: {
            "Type": "Pass",
            "Comment": (
                "keys per outcome (a JSONPath filter yields [] when none match); replaces "
                "the state, so the listing and the outcomes are not carried further"
            ),
            "Parameters": {
                "requested_by.$": "$.requested_by",
                "listing": {
                    "prefix.$": "$.listing.prefix",
                    "count.$": "$.listing.count",
                    "truncated.$": "$.listing.truncated",
                },
                "tally": {
                    status.lower() + ".$": _outcome_keys(status) for status in OUTCOME_STATUSES
                },
            },
            "Next": SUMMARISE_RUN,
        },
        SUMMARISE_RUN: {
            "Type": "Pass",
            "Comment": "the run's output, as GET /v1/workflows/{execution_id} shows it",
            "Parameters": {
                "execution.$": "$$.Execution.Id",
                "requested_by.$": "$.requested_by",
                "prefix.$": "$.listing.prefix",
                "listed.$": "$.listing.count",
                "truncated.$": "$.listing.truncated",
                **{
                    status.lower() + ".$": f"States.ArrayLength($.tally.{status.lower()})"
                    for status in OUTCOME_STATUSES
                },
                "failed_keys.$": "$.tally.failed",
            },
            "Next": CHECK_FAILED_KEYS_CAP,
        },
        CHECK_FAILED_KEYS_CAP: {
            "Type": "Choice",
            "Choices": [
                {
                    "Variable": "$.failed",
                    "NumericGreaterThan": failed_keys_cap,
                    "Next": CAP_FAILED_KEYS,
                }
            ],
            "Default": NOTIFY_RUN_SUMMARY,
        },
        CAP_FAILED_KEYS: {
            "Type": "Pass",
            "Comment": "keeps the first failed_keys_cap keys; 'failed' still counts them all",
            "Parameters": {
                **{f"{field}.$": f"$.{field}" for field in SUMMARY_FIELDS},
                "failed_keys.$": "States.ArrayGetItem("
                f"States.ArrayPartition($.failed_keys, {failed_keys_cap}), 0)",
            },
            "Next": NOTIFY_RUN_SUMMARY,
        },
        NOTIFY_RUN_SUMMARY: {
            "Type": "Task",
            "Resource": SNS_PUBLISH,
            "Parameters": {
                "TopicArn": alerts_topic_arn,
                "Subject": "Reprocess run finished",
                "Message.$": "States.JsonToString($)",
            },
            "ResultPath": None,
            "Retry": _retry(SNS_RETRY_ERRORS),
            # The run itself succeeded: a lost summary is recorded in the output, not fatal.
            "Catch": _catch(RUN_SUCCEEDED, "$.notification_failure"),
            "Next": RUN_SUCCEEDED,
        },
        RUN_SUCCEEDED: {"Type": "Succeed"},
        DESCRIBE_RUN_FAILURE: {
            "Type": "Pass",
            # The whole error output: a path into it that were missing would be an
            # uncatchable runtime error, and nobody would be told.
            "Parameters": {
                "execution.$": "$$.Execution.Id",
                "requested_by.$": "$.requested_by",
                "failure.$": "$.failure",
            },
            "ResultPath": "$.failure_report",
            "Next": NOTIFY_RUN_FAILED,
        },
        NOTIFY_RUN_FAILED: {
            "Type": "Task",
            "Resource": SNS_PUBLISH,
            "Parameters": {
                "TopicArn": alerts_topic_arn,
                "Subject": "Reprocess run failed",
                "Message.$": "States.JsonToString($.failure_report)",
            },
            "ResultPath": None,
            "Retry": _retry(SNS_RETRY_ERRORS),
            "Catch": _catch(RUN_FAILED, "$.notification_failure"),
            "Next": RUN_FAILED,
        },
        RUN_FAILED: {
            "Type": "Fail",
            "ErrorPath": "$.failure.Error",
            "CausePath": "$.failure.Cause",
        },
    }


def build_definition(
    *,
    list_function_arn: str,
    process_function_arn: str,
    alerts_topic_arn: str,
    bucket_name: str,
    max_objects: int,
    max_concurrency: int,
    failed_keys_cap: int,
) -> dict[str, Any]:
    """The reprocess workflow's ASL (STANDARD) as a dict, ready for `json.dumps`."""
    for name, value in (
        ("max_objects", max_objects),
        ("max_concurrency", max_concurrency),
        ("failed_keys_cap", failed_keys_cap),
    ):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return {
        "Comment": (
            "Reprocess a prefix or a list of objects: validate, list, process each object "
            "with bounded concurrency, tally the outcomes and notify."
        ),
        "StartAt": CHECK_REQUESTED_BY,
        "States": {
            **_input_checks(max_objects),
            **_processing(
                list_function_arn=list_function_arn,
                process_function_arn=process_function_arn,
                bucket_name=bucket_name,
                max_concurrency=max_concurrency,
            ),
            **_reporting(alerts_topic_arn=alerts_topic_arn, failed_keys_cap=failed_keys_cap),
        },
    }
