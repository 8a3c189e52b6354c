"""THE EXTENSION POINT: what the platform computes for each object.

A fork replaces the body of `process_document` (keep its signature). It receives the
parsed object and returns the `summary` map stored on the result item; it must be
JSON-compatible; one too large for a DynamoDB item is trimmed and marked
`summary_truncated`. Raise `PoisonObjectError` to reject the object: it becomes a FAILED
result with your message and is not retried. Any other exception is treated as
transient: the message is retried and, after the last receive, goes to the DLQ.
See docs/processing.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from shared.document import Document

# Keeps the summary short to read. Names can be long, so this alone does not bound its
# size: the result item trims any summary that would not fit (shared.item_limits).
MAX_FIELD_NAMES = 100


def process_document(document: Document) -> Mapping[str, Any]:
    """The default processing: count records, list field names, report invalid entries.

    Example:
        >>> from shared.events import ObjectRef
        >>> from shared.formats import ObjectFormat
        >>> records = [{"id": 1, "amount": 5}, {"id": 2}]
        >>> document = Document(ObjectRef("b", "k.json"), ObjectFormat.JSON, None, b"[]",
        ...     "", records, invalid_count=0, invalid_examples=[])
        >>> summary = process_document(document)
        >>> summary["record_count"], summary["field_names"]
        (2, ['amount', 'id'])
    """
    field_names: set[str] = set()
    for record in document.records:
        field_names.update(record)
    names = sorted(field_names)
    return {
        "record_count": len(document.records),
        "field_names": names[:MAX_FIELD_NAMES],
        "field_names_truncated": len(names) > MAX_FIELD_NAMES,
        "invalid_count": document.invalid_count,
        "invalid_examples": list(document.invalid_examples),
    }
