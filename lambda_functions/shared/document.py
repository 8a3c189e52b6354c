"""What the processing function receives: one object version, read and parsed."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from shared.events import ObjectRef
from shared.formats import ObjectFormat


@dataclass(frozen=True)
class Document:
    """One object version, read within the size cap and parsed into records.

    `records` holds the valid records only; entries that were not valid records are
    counted in `invalid_count`, with the first few reasons in `invalid_examples`.
    """

    ref: ObjectRef
    object_format: ObjectFormat
    content_type: str | None
    body: bytes
    sha256: str
    records: Sequence[Mapping[str, Any]]
    invalid_count: int
    invalid_examples: Sequence[str]

    @property
    def byte_size(self) -> int:
        """The object's size in bytes."""
        return len(self.body)


# The extension point's signature: a Document in, the JSON-compatible `summary` map out.
ProcessFunction = Callable[[Document], Mapping[str, Any]]
