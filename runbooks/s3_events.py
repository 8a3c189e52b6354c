"""Decode the S3 event notifications inside SQS message bodies.

S3 URL-encodes object keys in its events (`a+b.json` is `a b.json`), so every key is
`unquote_plus`-decoded before a person reads it or a tool acts on it.

Example:
    >>> body = ('{"Records": [{"eventName": "ObjectCreated:Put", "s3": {'
    ...     '"bucket": {"name": "b"}, "object": {"key": "incoming/a+b.json"}}}]}')
    >>> decode_body(body).objects[0].key
    'incoming/a b.json'
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote_plus

TEST_EVENT = "s3:TestEvent"


@dataclass(frozen=True)
class ObjectRef:
    """One object version named by an S3 event record."""

    bucket: str
    key: str
    version_id: str | None = None
    event_name: str = ""
    event_time: str = ""

    def describe(self) -> str:
        version = f" version {self.version_id}" if self.version_id else ""
        event = f" ({self.event_name} at {self.event_time})" if self.event_name else ""
        return f"s3://{self.bucket}/{self.key}{version}{event}"


@dataclass(frozen=True)
class DecodedBody:
    """The objects a message names, or why it names none."""

    objects: list[ObjectRef] = field(default_factory=list)
    note: str = ""


def decode_body(body: str) -> DecodedBody:
    try:
        payload = json.loads(body)
    except json.JSONDecodeError:
        return DecodedBody(note=f"not JSON: {body[:120]!r}")
    if not isinstance(payload, dict):
        return DecodedBody(note=f"not an S3 event: {body[:120]!r}")
    if payload.get("Event") == TEST_EVENT:
        return DecodedBody(note="s3:TestEvent (sent when the notification was configured)")
    records = payload.get("Records")
    if not isinstance(records, list):
        return DecodedBody(note=f"not an S3 event: {body[:120]!r}")
    objects = [ref for record in records if (ref := _object_ref(record)) is not None]
    note = "" if objects else "an event with no S3 object records"
    return DecodedBody(objects=objects, note=note)


def _object_ref(record: Any) -> ObjectRef | None:
    s3 = record.get("s3") if isinstance(record, dict) else None
    if not isinstance(s3, dict):
        return None
    bucket = s3.get("bucket", {}).get("name", "")
    obj = s3.get("object", {})
    if "key" not in obj:
        return None
    return ObjectRef(
        bucket=bucket,
        key=unquote_plus(obj["key"]),
        version_id=obj.get("versionId"),
        event_name=record.get("eventName", ""),
        event_time=record.get("eventTime", ""),
    )
