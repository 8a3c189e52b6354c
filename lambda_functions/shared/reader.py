"""Reading one object version from S3 without ever holding more than the size cap."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError  # type: ignore[import-untyped, unused-ignore]

from shared.errors import FailureCode, PoisonObjectError
from shared.events import ObjectRef

_CHUNK_BYTES = 1024 * 1024
# NoSuchVersion: the version was deleted. A bare 404 is what HEAD-style errors carry.
_MISSING_CODES = frozenset({"NoSuchKey", "NoSuchVersion", "NotFound", "404"})


@dataclass
class ObjectStream:
    """An open GetObject response: its headers, and a body that is not read yet."""

    ref: ObjectRef
    content_length: int
    content_type: str | None
    _body: Any

    def read(self, max_bytes: int) -> bytes:
        """The whole body, refusing (without reading on) once it passes `max_bytes`."""
        if self.content_length > max_bytes:
            raise _too_large(self.content_length, max_bytes)
        chunks: list[bytes] = []
        size = 0
        # The header said it fits; the loop still stops at the cap in case it lied.
        while chunk := self._body.read(min(_CHUNK_BYTES, max_bytes + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
            if size > max_bytes:
                raise _too_large(size, max_bytes)
        return b"".join(chunks)


@contextmanager
def open_object(s3: Any, ref: ObjectRef) -> Iterator[ObjectStream]:
    """GetObject for `ref`, closing the connection however the caller leaves.

    A missing key or version raises `PoisonObjectError` ("object no longer exists").
    Any other error (throttling, 5xx, timeouts, access) propagates to be retried.

    Example (it needs AWS, so it is not a doctest)::

        with open_object(s3, ref) as stream:
                body = stream.read(max_bytes=10 * 1024 * 1024)
    """
    request = {"Bucket": ref.bucket, "Key": ref.key}
    if ref.version_id is not None:
        request["VersionId"] = ref.version_id
    try:
        response = s3.get_object(**request)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in _MISSING_CODES:
            raise PoisonObjectError(
                "object no longer exists: it was deleted before it was processed",
                code=FailureCode.OBJECT_MISSING,
            ) from None
        raise
    body = response["Body"]
    try:
        yield ObjectStream(
            ref=ref.with_version(response.get("VersionId")),
            content_length=int(response.get("ContentLength", 0)),
            content_type=response.get("ContentType"),
            _body=body,
        )
    finally:
        body.close()


def _too_large(size: int, max_bytes: int) -> PoisonObjectError:
    return PoisonObjectError(
        f"object too large: {size} bytes is over the limit of {max_bytes} bytes (MAX_OBJECT_BYTES)",
        code=FailureCode.OBJECT_TOO_LARGE,
    )
