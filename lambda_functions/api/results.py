"""`GET /v1/results` and `GET /v1/results/{result_id}`: results as clients see them."""

import base64
import binascii
import json
from collections.abc import Mapping
from decimal import Decimal
from http import HTTPStatus
from typing import Annotated, Any, NotRequired

from aws_lambda_powertools.event_handler.openapi.params import Path as PathParameter
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayRouter
from boto3.dynamodb.types import TypeDeserializer  # type: ignore[import-untyped, unused-ignore]
from shared.result_store import ResultStore
from shared.results import MAX_RESULT_ID_LENGTH, InvalidResultIdError, ResultStatus, parse_result_id
from typing_extensions import TypedDict  # pydantic needs this one before Python 3.12

from api import runtime
from api.errors import ApiError, documented_responses, invalid

router = APIGatewayRouter()

RESULTS = "/v1/results"
RESULT = "/v1/results/<result_id>"
MAX_PAGE_SIZE = 100
RESULT_ID_PATTERN = rf"^[A-Za-z0-9_-]{{1,{MAX_RESULT_ID_LENGTH}}}$"
NEXT_TOKEN_PATTERN = r"^[A-Za-z0-9_-]{1,2048}$"
_TOKEN_KEYS = ("pk", "sk", "status", "updated_at")


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


@router.get(
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
        raise invalid("path.result_id", str(error)) from None
    stored = ResultStore(runtime.dynamodb(), runtime.settings().results_table).get(ref)
    if stored is None:
        raise ApiError(HTTPStatus.NOT_FOUND, f"No result with id {result_id}")
    return _public_result(stored)


def _encode_token(key: Mapping[str, str]) -> str:
    document = json.dumps({name: key[name] for name in _TOKEN_KEYS}, separators=(",", ":"))
    return base64.urlsafe_b64encode(document.encode()).rstrip(b"=").decode("ascii")


def _decode_token(token: str, status: str) -> dict[str, dict[str, str]]:
    """The exclusive start key behind a token, or 400 when it is not one we issued for
    this status. Tokens are opaque to clients but not secret: a forged one only skips."""
    rejected = invalid("query.next_token", "is not a token this API issued for this status")
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


@router.get(
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
    settings = runtime.settings()
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
    response = runtime.dynamodb().query(**request)
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
