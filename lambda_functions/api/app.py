"""The api function: the `/v1` routes behind API Gateway (REST, API keys), on the
Powertools REST resolver, one `Router` per area: `uploads`, `results`, `workflows`.

The resolver's routes are the API's one definition: `docs/generate_openapi.py` writes
them to `docs/openapi.json`, and the infrastructure declares API Gateway's resources,
methods and models from that document (`serverless_platform/api/definition.py`), so a
route cannot exist on one side only.

Request bodies are checked against `schemas/*.json` (`bodies.py`). Query and path
parameters are typed and validated by the resolver. Every answer is JSON; errors look
like `{"message": ..., "request_id": ..., "errors": [{"field": ..., "reason": ...}]}`.

Example (with `event`, a REST proxy event for `GET /v1/results?status=FAILED`, as
`tests/api/conftest.py` builds them; it needs AWS, so it is not a doctest)::

    response = handler(event, context)
    response["statusCode"], sorted(json.loads(response["body"]))  # (200, ['items', 'next_token'])
"""

import re
from http import HTTPStatus
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response, content_types
from aws_lambda_powertools.event_handler.exceptions import NotFoundError, ServiceError
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestValidationError,
    ResponseValidationError,
)
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from api import results, uploads, workflows
from api.bodies import load_body
from api.errors import ERROR_DESCRIPTIONS, ApiError, ErrorBody, FieldError
from api.runtime import logger, metrics, tracer

__all__ = ["ERROR_DESCRIPTIONS", "app", "handler", "routes"]

app = APIGatewayRestResolver(
    enable_validation=True,
    # A response that does not match its declared type is our bug: 500, not 400.
    response_validation_error_http_code=HTTPStatus.INTERNAL_SERVER_ERROR,
    json_body_deserializer=load_body,
)
for area in (uploads, results, workflows):
    app.include_router(area.router)

# Path parameters and the pattern validation holds them to, for telling a malformed
# parameter from an unknown route.
_PATH_PARAMETER_PATTERNS = {
    "result_id": results.RESULT_ID_PATTERN,
    "execution_id": workflows.EXECUTION_ID_PATTERN,
}


def routes() -> list[tuple[str, str]]:
    """Every (method, path template) the resolver serves, in API Gateway's `{name}` form.

    Example:
        >>> ("GET", "/v1/results/{result_id}") in routes()
        True
    """
    return sorted(
        (method, re.sub(r"<(\w+)>", r"{\1}", route.path))
        for route in (*app._static_routes, *app._dynamic_routes)
        for method in route.method.split("|")
    )


# For telling 400, 405 and 404 apart: every route, its `{parameter}`s matching any one
# path segment. Derived from the resolver's own routes, so it cannot drift from them.
_ROUTE_PATTERNS = tuple(
    (method, re.compile(re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template)))
    for method, template in routes()
)


# --- Errors ------------------------------------------------------------------------


def _error_response(
    status: HTTPStatus, message: str, errors: list[FieldError] | None = None
) -> Response[ErrorBody]:
    body = ErrorBody(message=message, request_id=app.current_event.request_context.request_id)
    if errors:
        body["errors"] = errors
    return Response(status_code=int(status), content_type=content_types.APPLICATION_JSON, body=body)


@app.exception_handler(ApiError)
def _handle_api_error(error: ApiError) -> Response[ErrorBody]:
    return _error_response(error.status, error.message, error.errors)


@app.exception_handler(RequestValidationError)
def _handle_invalid_parameters(error: RequestValidationError) -> Response[ErrorBody]:
    # Pydantic's messages name the rule, never the input; locations read "query.limit".
    errors = [
        FieldError(field=_field_name(e["loc"]), reason=_PYDANTIC_REASONS.get(e["type"], e["msg"]))
        for e in error.errors()
    ]
    message = "; ".join(f"{e['field']}: {e['reason']}" for e in errors)
    return _error_response(HTTPStatus.BAD_REQUEST, f"Invalid request: {message}", errors)


_PYDANTIC_REASONS = {
    "json_invalid": "must be valid JSON",
    "dict_type": "must be a JSON object",
    "missing": "is required",
}


def _field_name(location: tuple[str | int, ...]) -> str:
    # A JSON decode error is located at a character offset: the body as a whole is wrong.
    names = [str(part) for part in location if isinstance(part, str)]
    return ".".join(names) or "body"


# Powertools raises this for a body it cannot parse as JSON, form or multipart (newer
# versions raise its subclass RequestUnsupportedContentType); this code raises none.
@app.exception_handler(NotImplementedError)
def _handle_unsupported_content_type(_: NotImplementedError) -> Response[ErrorBody]:
    return _error_response(
        HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "Request bodies must be application/json"
    )


@app.not_found
def _handle_not_found(_: NotFoundError) -> Response[ErrorBody]:
    # The resolver only knows "no route for this method and path"; tell 400, 405 and 404
    # apart. Its path parameters match fewer characters than a path segment holds, so
    # a route of this very method that fits the path means a malformed parameter.
    path, method = app.current_event.path, app.current_event.http_method
    matches = [(route_method, pattern.fullmatch(path)) for route_method, pattern in _ROUTE_PATTERNS]
    for route_method, match in matches:
        if route_method == method and match and match.groupdict():
            name = next(iter(match.groupdict()))
            # Validation's own words, so a bad id gets one answer however it arrives.
            reason = f"String should match pattern '{_PATH_PARAMETER_PATTERNS[name]}'"
            return _error_response(
                HTTPStatus.BAD_REQUEST,
                f"Invalid request: path.{name}: {reason}",
                [FieldError(field=f"path.{name}", reason=reason)],
            )
    allowed = sorted(route_method for route_method, match in matches if match)
    if allowed:
        response = _error_response(
            HTTPStatus.METHOD_NOT_ALLOWED,
            f"Method {app.current_event.http_method} is not allowed on {path}",
        )
        response.headers["Allow"] = ", ".join(allowed)
        return response
    return _error_response(HTTPStatus.NOT_FOUND, "Not found")


# Powertools' own exceptions (`raise BadRequestError(...)` in a fork's route) keep their
# status rather than becoming a 500.
@app.exception_handler(ServiceError)
def _handle_service_error(error: ServiceError) -> Response[ErrorBody]:
    return _error_response(HTTPStatus(error.status_code), str(error.msg))


@app.exception_handler([ResponseValidationError, Exception])
def _handle_internal_error(error: Exception) -> Response[ErrorBody]:
    # The details go to the log (with the request id as correlation id), never to the client.
    logger.exception("Unhandled error", extra={"error_type": type(error).__name__})
    metrics.add_metric(name="InternalErrors", unit=MetricUnit.Count, value=1)
    return _error_response(HTTPStatus.INTERNAL_SERVER_ERROR, "Internal server error")


# --- Entry point -------------------------------------------------------------------


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@tracer.capture_lambda_handler
@metrics.log_metrics(capture_cold_start_metric=True)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
