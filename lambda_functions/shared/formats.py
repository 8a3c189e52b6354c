"""Which parser an object needs, from its key's extension or else its content type."""

from __future__ import annotations

from enum import StrEnum

from shared.errors import FailureCode, PoisonObjectError


class ObjectFormat(StrEnum):
    """The formats the platform reads; stored as the result's `format`."""

    JSON = "json"
    NDJSON = "ndjson"
    CSV = "csv"


_BY_EXTENSION = {
    ".json": ObjectFormat.JSON,
    ".ndjson": ObjectFormat.NDJSON,
    ".jsonl": ObjectFormat.NDJSON,
    ".csv": ObjectFormat.CSV,
}
_BY_CONTENT_TYPE = {
    "application/json": ObjectFormat.JSON,
    "application/x-ndjson": ObjectFormat.NDJSON,
    "application/ndjson": ObjectFormat.NDJSON,
    "application/jsonl": ObjectFormat.NDJSON,
    "application/x-jsonlines": ObjectFormat.NDJSON,
    "text/csv": ObjectFormat.CSV,
}
SUPPORTED_EXTENSIONS = tuple(_BY_EXTENSION)


def detect_format(key: str, content_type: str | None) -> ObjectFormat:
    """The extension wins because uploaders often leave the content type generic.

    Example:
        >>> detect_format("incoming/a.JSONL", "application/octet-stream")
        <ObjectFormat.NDJSON: 'ndjson'>
        >>> detect_format("incoming/export", "text/csv; charset=utf-8")
        <ObjectFormat.CSV: 'csv'>
    """
    name = key.rsplit("/", 1)[-1].lower()
    for extension, found in _BY_EXTENSION.items():
        if name.endswith(extension):
            return found
    media_type = (content_type or "").split(";", 1)[0].strip().lower()
    if media_type in _BY_CONTENT_TYPE:
        return _BY_CONTENT_TYPE[media_type]
    raise PoisonObjectError(
        f"unsupported type: the key has none of the extensions {', '.join(SUPPORTED_EXTENSIONS)}"
        f" and the content type {content_type or '(none)'!r} is not one of"
        f" {', '.join(_BY_CONTENT_TYPE)}",
        code=FailureCode.UNSUPPORTED_FORMAT,
    )
