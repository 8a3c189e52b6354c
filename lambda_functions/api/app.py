"""The api function: the `/v1` routes behind API Gateway (REST, API keys), on the
Powertools REST resolver.

Request bodies are checked against `schemas/*.json`, the same JSON schemas API Gateway
validates with, so the two can never disagree. Query and path parameters are typed and
validated by the resolver. Every answer is JSON; errors look like
`{"message": ..., "request_id": ..., "errors": [{"field": ..., "reason": ...}]}`.

Example (with `event`, a REST proxy event for `GET /v1/results?status=FAILED`, as
`tests/api/conftest.py` builds them):

    >>> response = handler(event, context)
    >>> response["statusCode"], sorted(json.loads(response["body"]))
    (200, ['items', 'next_token'])
"""

import base64
import binascii
import json
import os
import re
import unicodedata
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from http import HTTPStatus
from pathlib import Path, PurePosixPath
from typing import Annotated, Any, Literal, NotRequired

import boto3  # type: ignore[import-untyped, unused-ignore]
import fastjsonschema
from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response, content_types
from aws_lambda_powertools.event_handler.exceptions import NotFoundError, ServiceError
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestValidationError,
    ResponseValidationError,
)
from aws_lambda_powertools.event_handler.openapi.params import Body, Query
from aws_lambda_powertools.event_handler.openapi.params import Path as PathParameter
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext
from boto3.dynamodb.types import TypeDeserializer  # type: ignore[import-untyped, unused-ignore]
from shared.errors import PoisonObjectError
from shared.formats import SUPPORTED_EXTENSIONS
from shared.parsing import load_json
from shared.result_store import ResultStore
from shared.results import (
    MAX_RESULT_ID_LENGTH,
    InvalidResultIdError,
    ResultStatus,
    parse_result_id,
    timestamp,
)
from typing_extensions import TypedDict  # pydantic needs this one before Python 3.12

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
# The resolver's route templates. `serverless_platform/api/definition.py` declares the
# same routes to API Gateway; a test keeps the two equal.
UPLOADS = "/v1/uploads"
RESULTS = "/v1/results"
RESULT = "/v1/results/<result_id>"
REPROCESS = "/v1/workflows/reprocess"
WORKFLOW = "/v1/workflows/<execution_id>"

MAX_PAGE_SIZE = 100
MAX_FILENAME_CHARACTERS = 128
# Step Functions execution names: at most 80 of these characters.
EXECUTION_ID_PATTERN = r"^[A-Za-z0-9_-]{1,80}$"
RESULT_ID_PATTERN = rf"^[A-Za-z0-9_-]{{1,{MAX_RESULT_ID_LENGTH}}}$"
NEXT_TOKEN_PATTERN = r"^[A-Za-z0-9_-]{1,2048}$"
# The request schemas nest two levels; no request needs anything near this.
MAX_BODY_NESTING = 32
# Step Functions refuses a larger execution input (256 KiB).
MAX_EXECUTION_INPUT_BYTES = 256 * 1024
# RFC 6838 type/subtype with optional parameters; it is signed into the URL as a header.
_MEDIA_TYPE = re.compile(
    r"^[A-Za-z0-9][\w!#$&^.+-]{0,126}/[A-Za-z0-9][\w!#$&^.+-]{0,126}"
    r"(\s*;\s*[\w!#$&^.+-]+=(\"[^\"\\\r\n]*\"|[\w!#$&^.+-]+))*$",
    re.ASCII,
)
# Unicode letters, digits, `_`, `.` and `-` survive; anything else becomes `_`.
_UNSAFE_FILENAME_RUN = re.compile(r"[^\w.-]+")
_TOKEN_KEYS = ("pk", "sk", "status", "updated_at")
_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")

logger = Logger()
tracer = Tracer()
metrics = Metrics()


def _load_body(text: str) -> Any:
    """The request body's JSON. Python refuses some valid JSON (nested too deeply, or an
    integer with too many digits) with errors the resolver would answer with a 500, and
    the resolver's own logging recurses through the body: hence a fixed nesting limit."""
    try:
        return load_json(text, max_nesting=MAX_BODY_NESTING)
    except PoisonObjectError as error:
        raise _invalid("body", f"cannot be read: {error.message}") from None


app = APIGatewayRestResolver(
    enable_validation=True,
    # A response that does not match its declared type is our bug: 500, not 400.
    response_validation_error_http_code=HTTPStatus.INTERNAL_SERVER_ERROR,
    json_body_deserializer=_load_body,
)


# --- Configuration -----------------------------------------------------------------


class ConfigurationError(Exception):
    """The function's environment is incomplete or malformed."""


@dataclass(frozen=True)
class Settings:
    """The environment the infrastructure sets, validated once per execution environment."""

    results_table: str
    results_index: str
    ingest_bucket: str
    incoming_prefix: str
    data_key_arn: str
    upload_url_expiry_seconds: int
    state_machine_arn: str
    max_reprocess_keys: int

    @classmethod
    def from_environment(cls, environ: Mapping[str, str]) -> "Settings":
        """Every problem at once, each naming the variable, what it expected and got.

        Example:
            >>> Settings.from_environment({"RESULTS_TABLE": ""})
            Traceback (most recent call last):
            ...
            app.ConfigurationError: invalid environment: RESULTS_TABLE must be set ...
        """
        problems: list[str] = []

        def text(name: str, pattern: str = r".+", expected: str = "must be set") -> str:
            value = environ.get(name, "")
            if not re.fullmatch(pattern, value):
                problems.append(f"{name} {expected}, got {value!r}")
            return value

        def integer(name: str, low: int, high: int) -> int:
            raw = environ.get(name, "")
            if raw.isdigit() and low <= int(raw) <= high:
                return int(raw)
            problems.append(f"{name} must be an integer from {low} to {high}, got {raw!r}")
            return low

        settings = cls(
            results_table=text("RESULTS_TABLE"),
            results_index=text("RESULTS_INDEX"),
            ingest_bucket=text("INGEST_BUCKET"),
            incoming_prefix=text(
                "INCOMING_PREFIX", r"[^/].*/", "must be a key prefix ending in '/'"
            ),
            data_key_arn=text(
                "DATA_KEY_ARN", r"arn:[\w-]+:kms:[\w-]+:\d{12}:key/[\w-]+", "must be a KMS key ARN"
            ),
            upload_url_expiry_seconds=integer("UPLOAD_URL_EXPIRY_SECONDS", 1, 604_800),
            state_machine_arn=text(
                "STATE_MACHINE_ARN",
                r"arn:[\w-]+:states:[\w-]+:\d{12}:stateMachine:[\w-]{1,80}",
                "must be a Step Functions state machine ARN",
            ),
            max_reprocess_keys=integer("MAX_REPROCESS_KEYS", 1, 100_000),
        )
        # Powertools reads these itself; a typo would silently fall back to defaults.
        text("POWERTOOLS_SERVICE_NAME")
        text("POWERTOOLS_METRICS_NAMESPACE")
        text(
            "LOG_LEVEL", "(?i)" + "|".join(_LOG_LEVELS), f"must be one of {', '.join(_LOG_LEVELS)}"
        )
        if problems:
            raise ConfigurationError("invalid environment: " + "; ".join(problems))
        return settings


@cache
def _settings() -> Settings:
    return Settings.from_environment(os.environ)


# Clients are created on first use, once per execution environment.
@cache
def _dynamodb() -> Any:
    return boto3.client("dynamodb")


@cache
def _s3() -> Any:
    # SSE-KMS uploads need SigV4; virtual-hosted URLs avoid a redirect for new buckets.
    config = boto3.session.Config(signature_version="s3v4", s3={"addressing_style": "virtual"})
    return boto3.client("s3", config=config)


@cache
def _stepfunctions() -> Any:
    return boto3.client("stepfunctions")


# --- Errors ------------------------------------------------------------------------


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


def _invalid(field: str, reason: str) -> ApiError:
    return ApiError(
        HTTPStatus.BAD_REQUEST,
        f"Invalid request: {field} {reason}",
        [FieldError(field=field, reason=reason)],
    )


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
        >>> sorted(documented_responses(200, Result, "The result", 400, 404))
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


# --- Request bodies -----------------------------------------------------------------


def _schema_file(name: str) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
    return schema


def _openapi_body(name: str) -> Any:
    """The body parameter, documented with the JSON schema API Gateway validates."""
    schema = {k: v for k, v in _schema_file(name).items() if k != "$schema"}
    return Body(json_schema_extra=schema, description=schema.get("description"))


@cache
def _body_validators(max_reprocess_keys: int) -> dict[str, Any]:
    """Compiled once per execution environment; the key list is capped by config, as the
    infrastructure caps the API Gateway model."""
    reprocess = _schema_file("reprocess_request.json")
    reprocess["properties"]["object_keys"]["maxItems"] = max_reprocess_keys
    return {
        "upload": fastjsonschema.compile(_schema_file("upload_request.json")),
        "reprocess": fastjsonschema.compile(reprocess),
    }


def _validate_body(schema: str, body: dict[str, Any]) -> None:
    try:
        _body_validators(_settings().max_reprocess_keys)[schema](body)
    except fastjsonschema.JsonSchemaValueException as error:
        field, reason = _describe_schema_error(error)
        raise _invalid(field, reason) from None


def _describe_schema_error(error: fastjsonschema.JsonSchemaValueException) -> tuple[str, str]:
    """fastjsonschema speaks of `data`; clients sent a body. Name the field and the rule."""
    field = ".".join(["body", *(str(part) for part in (error.path or [])[1:])])
    definition = error.definition or {}
    value = error.value
    if error.rule == "required" and isinstance(value, dict):
        missing = [name for name in definition.get("required", []) if name not in value]
        return f"{field}.{missing[0]}", "is required"
    if error.rule == "additionalProperties" and isinstance(value, dict):
        unknown = sorted(set(value) - set(definition.get("properties", {})))
        return f"{field}.{unknown[0]}", "is not an allowed field"
    if error.rule == "oneOf":
        options = [" and ".join(o.get("required", [])) for o in definition.get("oneOf", [])]
        return field, "must contain exactly one of: " + ", ".join(options)
    return field, error.message.removeprefix(error.name or "").strip()


# --- Uploads ------------------------------------------------------------------------


class UploadResponse(TypedDict):
    upload_url: str
    object_key: str
    expires_in: int
    method: Literal["PUT"]
    headers: dict[str, str]


def sanitise_filename(raw: str) -> str:
    """The last path segment, without control characters, in a safe character set,
    at most `MAX_FILENAME_CHARACTERS` long, with the extension kept.

    Example:
        >>> sanitise_filename("../../etc/März report.JSON")
        'März_report.json'
    """
    text = unicodedata.normalize("NFKC", raw)
    # Control, format, private-use and unassigned characters go before anything else.
    text = "".join(ch for ch in text if not unicodedata.category(ch).startswith("C"))
    name = re.split(r"[/\\]", text)[-1]
    # Leading dots would make `..` or a hidden file; trailing ones hide the extension.
    name = _UNSAFE_FILENAME_RUN.sub("_", name).strip("._-")
    suffix = PurePosixPath(name).suffix
    stem = name[: len(name) - len(suffix)]
    stem = stem[: MAX_FILENAME_CHARACTERS - len(suffix)].rstrip("._-")
    return f"{stem}{suffix.lower()}" if stem else ""


@app.post(
    UPLOADS,
    summary="Get a presigned URL to upload one object",
    description=(
        "Returns a presigned PUT URL under the incoming prefix. The client must send the "
        "returned `headers` with the PUT: the URL is signed with them (SSE-KMS)."
    ),
    responses=documented_responses(
        201, UploadResponse, "A presigned PUT URL and the headers it must be sent with", 400
    ),
)
def create_upload(
    body: Annotated[dict[str, Any], _openapi_body("upload_request.json")],
) -> Response[UploadResponse]:
    settings = _settings()
    _validate_body("upload", body)
    filename = sanitise_filename(body["filename"])
    extension = PurePosixPath(filename).suffix
    if extension not in SUPPORTED_EXTENSIONS:
        raise _invalid(
            "body.filename",
            f"must end in one of {', '.join(sorted(SUPPORTED_EXTENSIONS))}, "
            f"got {extension or 'no extension'!r}",
        )
    content_type = body["content_type"]
    if not _MEDIA_TYPE.fullmatch(content_type):
        raise _invalid("body.content_type", "must be a media type such as 'application/json'")

    object_key = f"{settings.incoming_prefix}{uuid.uuid4()}/{filename}"
    headers = {
        "Content-Type": content_type,
        "x-amz-server-side-encryption": "aws:kms",
        "x-amz-server-side-encryption-aws-kms-key-id": settings.data_key_arn,
    }
    url = _s3().generate_presigned_url(
        "put_object",
        Params={
            "Bucket": settings.ingest_bucket,
            "Key": object_key,
            "ContentType": content_type,
            "ServerSideEncryption": "aws:kms",
            "SSEKMSKeyId": settings.data_key_arn,
        },
        ExpiresIn=settings.upload_url_expiry_seconds,
        HttpMethod="PUT",
    )
    logger.info("Presigned an upload", extra={"object_key": object_key})
    metrics.add_metric(name="UploadUrlsIssued", unit=MetricUnit.Count, value=1)
    upload = UploadResponse(
        upload_url=url,
        object_key=object_key,
        expires_in=settings.upload_url_expiry_seconds,
        method="PUT",
        headers=headers,
    )
    return Response(int(HTTPStatus.CREATED), content_types.APPLICATION_JSON, upload)


# --- Results ------------------------------------------------------------------------


class Result(TypedDict):
    """A result item as clients see it: no table keys, sequencers or expiry."""

    result_id: str
    bucket: str
    object_key: str
    version_id: str | None
    status: ResultStatus
    format: NotRequired[str]
    content_type: NotRequired[str]
    byte_size: NotRequired[int]
    sha256: NotRequired[str]
    summary: NotRequired[dict[str, Any]]
    error: NotRequired[str]
    error_code: NotRequired[str]
    created_at: str
    updated_at: str


PUBLIC_RESULT_FIELDS = Result.__required_keys__ | Result.__optional_keys__


class ResultsPage(TypedDict):
    items: list[Result]
    next_token: str | None


_deserializer = TypeDeserializer()


def _plain(value: Any) -> Any:
    """DynamoDB numbers are Decimals; JSON numbers are ints or floats."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _deserialize(item: Mapping[str, Any]) -> dict[str, Any]:
    return {name: _deserializer.deserialize(value) for name, value in item.items()}


def _public_result(item: Mapping[str, Any]) -> Result:
    public = {name: _plain(value) for name, value in item.items() if name in PUBLIC_RESULT_FIELDS}
    # An unversioned object's result stores no version id.
    public.setdefault("version_id", None)
    return Result(**public)  # type: ignore[typeddict-item]


@app.get(
    RESULT,
    summary="Read one result",
    responses=documented_responses(
        200, Result, "The result of processing one object version", 400, 404
    ),
)
def get_result(
    result_id: Annotated[
        str,
        PathParameter(
            pattern=RESULT_ID_PATTERN,
            description="A result's `result_id`, as GET /v1/results lists it",
        ),
    ],
) -> Result:
    try:
        ref = parse_result_id(result_id)
    except InvalidResultIdError as error:
        raise _invalid("path.result_id", str(error)) from None
    stored = ResultStore(_dynamodb(), _settings().results_table).get(ref)
    if stored is None:
        raise ApiError(HTTPStatus.NOT_FOUND, f"No result with id {result_id}")
    return _public_result(stored)


def _encode_token(key: Mapping[str, str]) -> str:
    document = json.dumps({name: key[name] for name in _TOKEN_KEYS}, separators=(",", ":"))
    return base64.urlsafe_b64encode(document.encode()).rstrip(b"=").decode("ascii")


def _decode_token(token: str, status: str) -> dict[str, dict[str, str]]:
    """The exclusive start key behind a token, or 400 when it is not one we issued for
    this status. Tokens are opaque to clients but not secret: a forged one only skips."""
    rejected = _invalid("query.next_token", "is not a token this API issued for this status")
    try:
        raw = base64.b64decode(token + "=" * (-len(token) % 4), altchars=b"-_", validate=True)
        key = json.loads(raw)
    # A token of 2048 characters can decode to JSON nested deeper than Python parses.
    except (binascii.Error, ValueError, RecursionError):
        raise rejected from None
    if (
        not isinstance(key, dict)
        or sorted(key) != sorted(_TOKEN_KEYS)
        or not all(isinstance(value, str) for value in key.values())
        or key["status"] != status
    ):
        raise rejected
    return {name: {"S": value} for name, value in key.items()}


@app.get(
    RESULTS,
    summary="List results by status, newest first",
    responses=documented_responses(
        200, ResultsPage, "One page of results; pass `next_token` back for the next", 400
    ),
)
def list_results(
    status: Annotated[ResultStatus, Query(description="The results' status")],
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Page size")] = 50,
    next_token: Annotated[
        str | None,
        Query(pattern=NEXT_TOKEN_PATTERN, description="From the previous page; omit at first"),
    ] = None,
) -> ResultsPage:
    settings = _settings()
    request: dict[str, Any] = {
        "TableName": settings.results_table,
        "IndexName": settings.results_index,
        "KeyConditionExpression": "#status = :status",
        "ExpressionAttributeNames": {"#status": "status"},
        "ExpressionAttributeValues": {":status": {"S": status.value}},
        "ScanIndexForward": False,
        # One more than asked: when it exists, the page is not the last one.
        "Limit": limit + 1,
    }
    if next_token is not None:
        request["ExclusiveStartKey"] = _decode_token(next_token, status.value)
    response = _dynamodb().query(**request)
    items = response.get("Items", [])
    token = None
    if len(items) > limit:
        items = items[:limit]
        token = _encode_token({name: items[-1][name]["S"] for name in _TOKEN_KEYS})
    elif "LastEvaluatedKey" in response:
        # DynamoDB stopped at its 1 MB page size before reaching the limit.
        token = _encode_token({k: v["S"] for k, v in response["LastEvaluatedKey"].items()})
    results = [_public_result(_deserialize(item)) for item in items]
    return ResultsPage(items=results, next_token=token)


# --- Workflows ----------------------------------------------------------------------


class WorkflowStarted(TypedDict):
    execution_id: str


class WorkflowStatus(TypedDict):
    execution_id: str
    status: str
    started_at: str
    stopped_at: NotRequired[str]
    summary: NotRequired[Any]
    error: NotRequired[str]
    cause: NotRequired[str]


def execution_arn(state_machine_arn: str, execution_id: str) -> str:
    """`execution_id` is the execution's name; its ARN follows from the state machine's.

    Example:
        >>> execution_arn("arn:aws:states:eu-west-1:123456789012:stateMachine:reprocess", "e1")
        'arn:aws:states:eu-west-1:123456789012:execution:reprocess:e1'
    """
    prefix, _, name = state_machine_arn.rpartition(":stateMachine:")
    return f"{prefix}:execution:{name}:{execution_id}"


def _require_incoming(field: str, key: str, incoming_prefix: str) -> None:
    # The workflow may only read under the incoming prefix; say so before it fails there.
    if not key.startswith(incoming_prefix):
        raise _invalid(field, f"must start with {incoming_prefix!r}")


def _sibling_path(name: str) -> str:
    """The request's path with its last segment replaced, as the client called it: with
    the stage on the execute-api endpoint, without it on a custom domain."""
    called = app.current_event.request_context.path or app.current_event.path
    return f"{called.rpartition('/')[0]}/{name}"


@app.post(
    REPROCESS,
    summary="Reprocess a prefix or a list of objects",
    description=(
        "Starts the reprocess workflow. `execution_id` is the execution's name; "
        "poll GET /v1/workflows/{execution_id} for its status."
    ),
    responses=documented_responses(202, WorkflowStarted, "The workflow was started", 400),
)
def start_reprocess(
    body: Annotated[dict[str, Any], _openapi_body("reprocess_request.json")],
) -> Response[WorkflowStarted]:
    settings = _settings()
    _validate_body("reprocess", body)
    if "prefix" in body:
        _require_incoming("body.prefix", body["prefix"], settings.incoming_prefix)
    for index, key in enumerate(body.get("object_keys", [])):
        _require_incoming(f"body.object_keys.{index}", key, settings.incoming_prefix)
    api_key_id = app.current_event.request_context.identity.api_key_id
    workflow_input = {
        **body,
        "requested_by": body.get("requested_by") or f"api-key:{api_key_id or 'unknown'}",
    }
    serialized = json.dumps(workflow_input, separators=(",", ":"))
    if len(serialized.encode()) > MAX_EXECUTION_INPUT_BYTES:
        raise _invalid(
            "body.object_keys",
            f"is too large for one workflow run (at most {MAX_EXECUTION_INPUT_BYTES} bytes "
            "of JSON): split the list, or reprocess a prefix",
        )
    execution_id = str(uuid.uuid4())
    _stepfunctions().start_execution(
        stateMachineArn=settings.state_machine_arn, name=execution_id, input=serialized
    )
    logger.info(
        "Started reprocessing",
        extra={"execution_id": execution_id, "requested_by": workflow_input["requested_by"]},
    )
    metrics.add_metric(name="WorkflowsStarted", unit=MetricUnit.Count, value=1)
    return Response(
        status_code=int(HTTPStatus.ACCEPTED),
        content_type=content_types.APPLICATION_JSON,
        body=WorkflowStarted(execution_id=execution_id),
        headers={"Location": _sibling_path(execution_id)},
    )


@app.get(
    WORKFLOW,
    summary="Read a workflow's status and, once it succeeded, its summary",
    responses=documented_responses(200, WorkflowStatus, "The execution's status", 400, 404),
)
def get_workflow(
    execution_id: Annotated[
        str,
        PathParameter(
            pattern=EXECUTION_ID_PATTERN,
            description="As returned by POST /v1/workflows/reprocess",
        ),
    ],
) -> WorkflowStatus:
    settings = _settings()
    client = _stepfunctions()
    try:
        execution = client.describe_execution(
            executionArn=execution_arn(settings.state_machine_arn, execution_id)
        )
    except client.exceptions.ExecutionDoesNotExist:
        raise ApiError(HTTPStatus.NOT_FOUND, f"No workflow with id {execution_id}") from None
    status = WorkflowStatus(
        execution_id=execution_id,
        status=execution["status"],
        started_at=timestamp(execution["startDate"]),
    )
    if "stopDate" in execution:
        status["stopped_at"] = timestamp(execution["stopDate"])
    if execution["status"] == "SUCCEEDED" and "output" in execution:
        status["summary"] = json.loads(execution["output"])
    for field in ("error", "cause"):
        if field in execution:
            status[field] = execution[field]
    return status


# --- Routing and entry point -------------------------------------------------------

# For telling 400, 405 and 404 apart: every route, its `<parameter>`s matching any one
# path segment.
_ROUTE_PATTERNS = tuple(
    (method, re.compile(re.sub(r"<(\w+)>", r"(?P<\1>[^/]+)", template)))
    for method, template in (
        ("POST", UPLOADS),
        ("GET", RESULTS),
        ("GET", RESULT),
        ("POST", REPROCESS),
        ("GET", WORKFLOW),
    )
)

_PATH_PARAMETER_PATTERNS = {"result_id": RESULT_ID_PATTERN, "execution_id": EXECUTION_ID_PATTERN}


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@tracer.capture_lambda_handler
@metrics.log_metrics(capture_cold_start_metric=True)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
