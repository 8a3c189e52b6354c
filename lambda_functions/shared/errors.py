"""The one exception that turns an object into a FAILED result instead of a retry."""

from __future__ import annotations

from enum import StrEnum


class FailureCode(StrEnum):
    """Why an object was rejected; stored as the result's `error_code`."""

    OBJECT_MISSING = "ObjectMissing"
    OBJECT_TOO_LARGE = "ObjectTooLarge"
    EMPTY_OBJECT = "EmptyObject"
    UNSUPPORTED_FORMAT = "UnsupportedFormat"
    INVALID_ENCODING = "InvalidEncoding"
    INVALID_JSON = "InvalidJson"
    JSON_TOO_DEEP = "JsonTooDeep"
    NUMBER_TOO_LARGE = "NumberTooLarge"
    INVALID_CSV = "InvalidCsv"
    REJECTED = "Rejected"


class PoisonObjectError(Exception):
    """The object can never be processed as it is, so retrying would not help.

    The pipeline records it as a FAILED result with this message and acknowledges the
    message. Any other exception is treated as transient and the message is retried.

    Example:
        >>> raise PoisonObjectError("amount must be positive on record 3")
        Traceback (most recent call last):
        ...
        shared.errors.PoisonObjectError: amount must be positive on record 3
    """

    def __init__(self, message: str, *, code: FailureCode = FailureCode.REJECTED) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


# AWS error codes that mean "not now": throttling, timeouts and server-side failures.
_TRANSIENT_CODES = frozenset(
    {
        "SlowDown",
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestLimitExceeded",
        "ProvisionedThroughputExceededException",
        "RequestTimeout",
        "InternalError",
        "InternalServerError",
        "ServiceUnavailable",
    }
)


class TransientAwsError(Exception):
    """S3 or DynamoDB throttled or failed on its side; whoever called us retries it."""


def is_transient(error: Exception) -> bool:
    """Throttling, a 5xx or a connection problem (any botocore error): worth a retry."""
    response = getattr(error, "response", None)
    if not isinstance(response, dict):
        # BotoCoreError and friends: the request never got an answer.
        return type(error).__module__.startswith("botocore")
    code = response.get("Error", {}).get("Code", "")
    status = response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
    return code in _TRANSIENT_CODES or status >= 500
