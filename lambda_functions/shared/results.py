"""The result item: one per object version, its key and its public `result_id`."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from shared.events import ObjectRef
from shared.item_limits import MAX_ITEM_BYTES, fit_summary, item_size, text_size
from shared.sequencer import sequencer_order

# S3 allows keys of 1024 bytes: their result ids stay well under this bound.
MAX_RESULT_ID_LENGTH = 2048
NULL_VERSION = "null"
_RESULT_ID = re.compile(r"[A-Za-z0-9_-]+")
# An error is a sentence or two; a processing function's message could be anything.
MAX_ERROR_CHARACTERS = 1000
# Room an item keeps for what a write does not set: a reprocessing write keeps the
# stored `sequencer` and `sequencer_order`.
_KEPT_ATTRIBUTE_BYTES = 8 * 1024


class ResultStatus(StrEnum):
    """The outcome recorded for an object version."""

    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"


class InvalidResultIdError(ValueError):
    """A string is not a result id this platform issued."""


def result_key(bucket: str, key: str, version_id: str | None) -> dict[str, str]:
    """The table key of an object version's result.

    Example:
        >>> result_key("ingest", "incoming/a.json", None)
        {'pk': 'OBJECT#ingest/incoming/a.json', 'sk': 'VERSION#null'}
    """
    return {"pk": f"OBJECT#{bucket}/{key}", "sk": f"VERSION#{version_id or NULL_VERSION}"}


def result_id(bucket: str, key: str, version_id: str | None) -> str:
    """The public id of a result: stable, URL-safe, and reversible to the table key.

    It is the unpadded URL-safe base64 of `<bucket>/<key>` + newline + `<version id or
    null>`. Reversible means the API finds the item with one GetItem and no index.

    Example:
        >>> result_id("ingest", "incoming/a.json", "v1")
        'aW5nZXN0L2luY29taW5nL2EuanNvbgp2MQ'
    """
    raw = f"{bucket}/{key}\n{version_id or NULL_VERSION}".encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def parse_result_id(value: str) -> ObjectRef:
    """The object version a result id names; raises `InvalidResultIdError` otherwise.

    Example:
        >>> parse_result_id("aW5nZXN0L2luY29taW5nL2EuanNvbgp2MQ")
        ObjectRef(bucket='ingest', key='incoming/a.json', version_id='v1', sequencer=None)
    """
    if len(value) > MAX_RESULT_ID_LENGTH or not _RESULT_ID.fullmatch(value):
        raise InvalidResultIdError("a result id is 1 to 2048 characters of A-Z a-z 0-9 - _")
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError):
        raise InvalidResultIdError("a result id is URL-safe base64 of UTF-8 text") from None
    # Version ids never contain a newline, so the last one is the separator.
    location, _, version = raw.rpartition("\n")
    bucket, _, key = location.partition("/")
    if not (bucket and key and version):
        raise InvalidResultIdError("a result id names a bucket, a key and a version")
    ref = ObjectRef(bucket, key, None if version == NULL_VERSION else version)
    if result_id(ref.bucket, ref.key, ref.version_id) != value:
        raise InvalidResultIdError("a result id is in its canonical form")
    return ref


def key_for_result_id(value: str) -> dict[str, str]:
    """The table key (`pk`, `sk`) for a result id: what the API passes to GetItem."""
    ref = parse_result_id(value)
    return result_key(ref.bucket, ref.key, ref.version_id)


def timestamp(moment: datetime) -> str:
    """ISO-8601 in UTC with a `Z`, fixed width so that strings sort by time."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class ResultItem:
    """The outcome of processing one object version, as stored in the results table.

    `ref.sequencer` is None for a write that does not come from an S3 event; the store
    then keeps the stored sequencer. Attributes that are None are not stored. The
    stored item always fits DynamoDB's limits: an error longer than
    `MAX_ERROR_CHARACTERS` is cut, and a summary that does not fit next to the other
    attributes is trimmed and marked (`shared.item_limits.fit_summary`).

    Example:
        >>> item = ResultItem(ObjectRef("b", "k.json", "v1", "0A"), ResultStatus.FAILED,
        ...     now=datetime(2026, 3, 1, tzinfo=UTC), error="invalid JSON")
        >>> item.key
        {'pk': 'OBJECT#b/k.json', 'sk': 'VERSION#v1'}
    """

    ref: ObjectRef
    status: ResultStatus
    now: datetime
    ttl_days: int = 0
    object_format: str | None = None
    content_type: str | None = None
    byte_size: int | None = None
    sha256: str | None = None
    summary: Mapping[str, Any] | None = None
    error: str | None = None
    error_code: str | None = None

    @property
    def key(self) -> dict[str, str]:
        """`pk` and `sk`."""
        return result_key(self.ref.bucket, self.ref.key, self.ref.version_id)

    @property
    def result_id(self) -> str:
        """The public id, stored on the item too."""
        return result_id(self.ref.bucket, self.ref.key, self.ref.version_id)

    @property
    def expires_at(self) -> int | None:
        """Epoch seconds for DynamoDB TTL, or None when results never expire."""
        if self.ttl_days <= 0:
            return None
        return int((self.now + timedelta(days=self.ttl_days)).timestamp())

    def attributes(self) -> dict[str, Any]:
        """Every non-key attribute this write sets; `created_at` is set only once."""
        values: dict[str, Any] = {
            "result_id": self.result_id,
            "bucket": self.ref.bucket,
            "object_key": self.ref.key,
            "version_id": self.ref.version_id,
            "status": self.status.value,
            "format": self.object_format,
            "content_type": self.content_type,
            "byte_size": self.byte_size,
            "sha256": self.sha256,
            "summary": self.summary,
            "error": _cut(self.error),
            "error_code": self.error_code,
            "expires_at": self.expires_at,
            "created_at": timestamp(self.now),
            "updated_at": timestamp(self.now),
        }
        if self.ref.sequencer is not None:
            values["sequencer"] = self.ref.sequencer
            values["sequencer_order"] = sequencer_order(self.ref.sequencer)
        stored = {name: value for name, value in values.items() if value is not None}
        if self.summary is not None:
            others = {name: value for name, value in stored.items() if name != "summary"}
            budget = (
                MAX_ITEM_BYTES
                - _KEPT_ATTRIBUTE_BYTES
                - item_size({**self.key, **others})
                - text_size("summary")
            )
            stored["summary"] = fit_summary(self.summary, budget)
        return stored


def _cut(error: str | None) -> str | None:
    if error is None or len(error) <= MAX_ERROR_CHARACTERS:
        return error
    return error[: MAX_ERROR_CHARACTERS - 1] + "…"


# Attributes a later result replaces or removes; the rest are fixed by the key or kept.
REPLACEABLE_ATTRIBUTES = (
    "format",
    "content_type",
    "byte_size",
    "sha256",
    "summary",
    "error",
    "error_code",
    "expires_at",
)
