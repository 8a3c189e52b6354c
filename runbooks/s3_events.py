"""Show the S3 event notifications inside SQS message bodies (dead-lettered ones among
them) the way the processor reads them.

Decoding is the functions' own (`shared.events.parse_notification`): keys are
`unquote_plus`-decoded (`a+b.json` is `a b.json`), and a body the processor rejects is
shown with the very reason it was rejected for.

Example:
    >>> decode_body('{"Service": "Amazon S3", "Event": "s3:TestEvent"}').note
    's3:TestEvent (sent when the notification was configured)'
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from shared.events import TEST_EVENT, InvalidEventError, ObjectRef, parse_notification

__all__ = ["DecodedBody", "ObjectRef", "decode_body", "describe"]


@dataclass(frozen=True)
class DecodedBody:
    """The objects a message names, or why it names none."""

    objects: list[ObjectRef] = field(default_factory=list)
    note: str = ""


def describe(ref: ObjectRef) -> str:
    """`s3://bucket/key version v`, as a person reads it."""
    version = f" version {ref.version_id}" if ref.version_id else ""
    return f"s3://{ref.bucket}/{ref.key}{version}"


def decode_body(body: str) -> DecodedBody:
    try:
        objects = parse_notification(body)
    except InvalidEventError as error:
        return DecodedBody(note=f"not an S3 notification the processor accepts: {error}")
    if objects:
        return DecodedBody(objects=objects)
    if _is_test_event(body):
        return DecodedBody(note=f"{TEST_EVENT} (sent when the notification was configured)")
    return DecodedBody(note="an event with no ObjectCreated records")


def _is_test_event(body: str) -> bool:
    try:
        message = json.loads(body)
    except ValueError:
        return False
    return isinstance(message, dict) and message.get("Event") == TEST_EVENT
