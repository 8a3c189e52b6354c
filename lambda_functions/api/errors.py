"""How the api function says no: `ApiError` for the routes to raise, the JSON error body,
and the error answers each route documents in OpenAPI."""

from http import HTTPStatus
from typing import Any, NotRequired

from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from typing_extensions import TypedDict  # pydantic needs this one before Python 3.12


class FieldError(TypedDict):
    field: str
    reason: str


class ErrorBody(TypedDict):
    message: str
    request_id: str
    errors: NotRequired[list[FieldError]]


class ApiError(Exception):
    """An answer for the client: a status, a message and, for bad input, the fields."""

    def __init__(
        self, status: HTTPStatus, message: str, errors: list[FieldError] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.errors = errors or []


def invalid(field: str, reason: str) -> ApiError:
    """A 400 naming the field and why.

    Example:
        >>> invalid("body.filename", "is required").errors
        [{'field': 'body.filename', 'reason': 'is required'}]
    """
    return ApiError(
        HTTPStatus.BAD_REQUEST,
        f"Invalid request: {field} {reason}",
        [FieldError(field=field, reason=reason)],
    )


ERROR_DESCRIPTIONS = {
    400: "A parameter or the body is invalid; `errors` names each field and why",
    404: "There is no such item",
    500: "Internal error; quote `request_id` when reporting it",
}


def documented_responses(
    status: int, model: Any, description: str, *errors: int
) -> dict[int, OpenAPIResponse]:
    """A route's answers for OpenAPI: its success model, then its errors as `ErrorBody`.

    Example:
        >>> sorted(documented_responses(200, dict, "The result", 400, 404))
        [200, 400, 404, 500]
    """
    answers: dict[int, OpenAPIResponse] = {
        status: {"description": description, "content": {"application/json": {"model": model}}}
    }
    for error in (*errors, 500):
        answers[error] = {
            "description": ERROR_DESCRIPTIONS[error],
            "content": {"application/json": {"model": ErrorBody}},
        }
    return answers
