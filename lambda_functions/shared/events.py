"""S3 event notifications (as SQS message bodies) turned into object references."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import unquote_plus

from shared.errors import PoisonObjectError
from shared.parsing import load_json
from shared.sequencer import sequencer_order

TEST_EVENT = "s3:TestEvent"
# The bucket notification only sends ObjectCreated:*; anything else is not ours to process.
CREATED_EVENT_PREFIX = "ObjectCreated:"


class InvalidEventError(ValueError):
    """A message body is not an S3 event notification; the message names the field."""


@dataclass(frozen=True)
class ObjectRef:
    """One object version to process.

    `version_id` is None for an unversioned object (stored as `VERSION#null`), or when a
    caller does not know it yet; the pipeline then takes it from the GetObject response.
    `sequencer` is the S3 event's sequencer, or None when the request does not come from
    an S3 event (a reprocessing run).

    Example:
        >>> ObjectRef("ingest", "incoming/a b.json", "v1", "0055AED6DCD90281E5").key
        'incoming/a b.json'
    """

    bucket: str
    key: str
    version_id: str | None = None
    sequencer: str | None = None

    def __post_init__(self) -> None:
        if self.sequencer is not None:
            sequencer_order(self.sequencer)  # rejects a malformed sequencer early

    def with_version(self, version_id: str | None) -> ObjectRef:
        """This reference with the version S3 actually served, when it was not known."""
        if self.version_id is not None or version_id is None:
            return self
        return replace(self, version_id=version_id)


def parse_notification(body: str) -> list[ObjectRef]:
    """The objects an SQS message body refers to: none for an `s3:TestEvent`.

    Keys arrive URL-encoded with `+` for a space, so they are decoded with `unquote_plus`.

    Example:
        >>> body = json.dumps({"Records": [{"eventSource": "aws:s3",
        ...     "eventName": "ObjectCreated:Put", "s3": {"bucket": {"name": "b"},
        ...     "object": {"key": "Q1+2026/M%C3%A4rz%2Bdata.json", "sequencer": "0A"}}}]})
        >>> parse_notification(body)[0].key
        'Q1 2026/März+data.json'
    """
    try:
        message = load_json(body)
    except json.JSONDecodeError as error:
        raise InvalidEventError(f"message body is not JSON: {error}") from None
    except PoisonObjectError as error:
        raise InvalidEventError(f"message body is not JSON: {error.message}") from None
    if not isinstance(message, dict):
        raise InvalidEventError(f"message body must be a JSON object, got {type(message).__name__}")
    if message.get("Event") == TEST_EVENT:
        return []
    records = message.get("Records")
    if not isinstance(records, list):
        raise InvalidEventError(
            f"Records must be a list of S3 event records, got {type(records).__name__}"
        )
    return [
        _object_ref(record, index)
        for index, record in enumerate(records)
        if _is_object_created(record, index)
    ]


def _is_object_created(record: Any, index: int) -> bool:
    if not isinstance(record, dict):
        raise InvalidEventError(f"Records[{index}] must be an object, got {type(record).__name__}")
    if record.get("eventSource") != "aws:s3":
        raise InvalidEventError(
            f"Records[{index}].eventSource must be 'aws:s3', got {record.get('eventSource')!r}"
        )
    return str(record.get("eventName", "")).startswith(CREATED_EVENT_PREFIX)


def _object_ref(record: dict[str, Any], index: int) -> ObjectRef:
    where = f"Records[{index}].s3"
    bucket = _text(record, ("s3", "bucket", "name"), where)
    key = unquote_plus(_text(record, ("s3", "object", "key"), where))
    sequencer = _text(record, ("s3", "object", "sequencer"), where)
    version = record["s3"]["object"].get("versionId")
    if version is not None and (not isinstance(version, str) or not version):
        raise InvalidEventError(f"{where}.object.versionId must be a string, got {version!r}")
    try:
        return ObjectRef(bucket=bucket, key=key, version_id=version, sequencer=sequencer)
    except ValueError as error:
        raise InvalidEventError(f"{where}.object.sequencer: {error}") from None


def _text(record: dict[str, Any], path: tuple[str, ...], where: str) -> str:
    value: Any = record
    for name in path:
        value = value.get(name) if isinstance(value, dict) else None
    if not isinstance(value, str) or not value:
        dotted = ".".join(path[1:])
        raise InvalidEventError(f"{where}.{dotted} must be a non-empty string, got {value!r}")
    return value
