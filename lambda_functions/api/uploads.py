"""`POST /v1/uploads`: a presigned URL to upload one object under the incoming prefix."""

import re
import unicodedata
import uuid
from http import HTTPStatus
from pathlib import PurePosixPath
from typing import Annotated, Any, Literal

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.router import APIGatewayRouter
from aws_lambda_powertools.metrics import MetricUnit
from shared.formats import SUPPORTED_EXTENSIONS
from typing_extensions import TypedDict  # pydantic needs this one before Python 3.12

from api import runtime
from api.bodies import openapi_body, validate_body
from api.errors import documented_responses, invalid

router = APIGatewayRouter()

UPLOADS = "/v1/uploads"
MAX_FILENAME_CHARACTERS = 128
# RFC 6838 type/subtype with optional parameters; it is signed into the URL as a header.
_MEDIA_TYPE = re.compile(
    r"^[A-Za-z0-9][\w!#$&^.+-]{0,126}/[A-Za-z0-9][\w!#$&^.+-]{0,126}"
    r"(\s*;\s*[\w!#$&^.+-]+=(\"[^\"\\\r\n]*\"|[\w!#$&^.+-]+))*$",
    re.ASCII,
)
# Unicode letters, digits, `_`, `.` and `-` survive; anything else becomes `_`.
_UNSAFE_FILENAME_RUN = re.compile(r"[^\w.-]+")


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


@router.post(
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
    body: Annotated[dict[str, Any], openapi_body("upload_request.json")],
) -> Response[UploadResponse]:
    settings = runtime.settings()
    validate_body("upload", body)
    filename = sanitise_filename(body["filename"])
    extension = PurePosixPath(filename).suffix
    if extension not in SUPPORTED_EXTENSIONS:
        raise invalid(
            "body.filename",
            f"must end in one of {', '.join(sorted(SUPPORTED_EXTENSIONS))}, "
            f"got {extension or 'no extension'!r}",
        )
    content_type = body["content_type"]
    if not _MEDIA_TYPE.fullmatch(content_type):
        raise invalid("body.content_type", "must be a media type such as 'application/json'")

    object_key = f"{settings.incoming_prefix}{uuid.uuid4()}/{filename}"
    headers = {
        "Content-Type": content_type,
        "x-amz-server-side-encryption": "aws:kms",
        "x-amz-server-side-encryption-aws-kms-key-id": settings.data_key_arn,
    }
    url = runtime.s3().generate_presigned_url(
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
    runtime.logger.info("Presigned an upload", extra={"object_key": object_key})
    runtime.metrics.add_metric(name="UploadUrlsIssued", unit=MetricUnit.Count, value=1)
    upload = UploadResponse(
        upload_url=url,
        object_key=object_key,
        expires_in=settings.upload_url_expiry_seconds,
        method="PUT",
        headers=headers,
    )
    return Response(int(HTTPStatus.CREATED), content_types.APPLICATION_JSON, upload)
