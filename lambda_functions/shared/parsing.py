"""Bytes to records: a JSON object or list, NDJSON lines, or CSV rows under a header."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from shared.errors import FailureCode, PoisonObjectError
from shared.formats import ObjectFormat

# Enough to diagnose a bad file without letting a file of garbage bloat the result item.
MAX_INVALID_EXAMPLES = 5
_MAX_ERROR_CHARACTERS = 200

Record = dict[str, Any]


@dataclass
class ParsedRecords:
    """The valid records of an object, and how many entries were not valid records."""

    records: list[Record] = field(default_factory=list)
    invalid_count: int = 0
    invalid_examples: list[str] = field(default_factory=list)

    def reject(self, where: str, reason: str) -> None:
        """Count an invalid entry, keeping the first few reasons."""
        self.invalid_count += 1
        if len(self.invalid_examples) < MAX_INVALID_EXAMPLES:
            self.invalid_examples.append(f"{where}: {reason}"[:_MAX_ERROR_CHARACTERS])


def parse_records(body: bytes, object_format: ObjectFormat) -> ParsedRecords:
    """Parse an object's bytes.

    A malformed whole (not UTF-8, not JSON, a CSV without a header) raises
    `PoisonObjectError`. A malformed entry inside a valid whole (an NDJSON line, a CSV
    row, a list item that is not an object) is counted as invalid and skipped.

    Example:
        >>> parsed = parse_records(b'{"a": 1}\\nnot json\\n', ObjectFormat.NDJSON)
        >>> (len(parsed.records), parsed.invalid_count)
        (1, 1)
    """
    return _PARSERS[object_format](_decode(body))


def _decode(body: bytes) -> str:
    try:
        # utf-8-sig: spreadsheet exports often start with a byte order mark.
        return body.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise PoisonObjectError(
            f"invalid encoding: not UTF-8 at byte {error.start}",
            code=FailureCode.INVALID_ENCODING,
        ) from None


def _parse_json(text: str) -> ParsedRecords:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise PoisonObjectError(
            f"invalid JSON: {error.msg} at line {error.lineno} column {error.colno}",
            code=FailureCode.INVALID_JSON,
        ) from None
    if isinstance(document, dict):
        return ParsedRecords(records=[document])
    if not isinstance(document, list):
        raise PoisonObjectError(
            f"invalid JSON: expected an object or a list of objects, got {_kind(document)}",
            code=FailureCode.INVALID_JSON,
        )
    return _collect(
        ((f"item {index}", item) for index, item in enumerate(document)), lambda item: item
    )


def _parse_ndjson(text: str) -> ParsedRecords:
    lines = (
        (f"line {number}", line)
        # Not splitlines(): it also splits on U+2028, which JSON allows inside strings.
        for number, line in enumerate(text.split("\n"), start=1)
        if line.strip()
    )
    return _collect(lines, json.loads)


def _collect(entries: Iterable[tuple[str, Any]], load: Callable[[Any], Any]) -> ParsedRecords:
    parsed = ParsedRecords()
    for where, entry in entries:
        try:
            value = load(entry)
        except json.JSONDecodeError as error:
            parsed.reject(where, f"{error.msg} at column {error.colno}")
            continue
        if isinstance(value, dict):
            parsed.records.append(value)
        else:
            parsed.reject(where, f"expected a JSON object, got {_kind(value)}")
    return parsed


def _parse_csv(text: str) -> ParsedRecords:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if not header or not any(name.strip() for name in header):
            raise PoisonObjectError(
                "invalid CSV: the first row must be a header", code=FailureCode.INVALID_CSV
            )
        blank = [str(position) for position, name in enumerate(header, 1) if not name.strip()]
        if blank:
            raise PoisonObjectError(
                f"invalid CSV: header column {', '.join(blank)} has no name",
                code=FailureCode.INVALID_CSV,
            )
        parsed = ParsedRecords()
        for row in reader:
            if not row:
                continue
            if len(row) != len(header):
                parsed.reject(
                    f"line {reader.line_num}", f"expected {len(header)} fields, got {len(row)}"
                )
                continue
            parsed.records.append(dict(zip(header, row, strict=True)))
        return parsed
    except csv.Error as error:
        raise PoisonObjectError(
            f"invalid CSV: {error} at line {reader.line_num}", code=FailureCode.INVALID_CSV
        ) from None


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}.get(
        type(value), "null" if value is None else "a number"
    )


_PARSERS: dict[ObjectFormat, Callable[[str], ParsedRecords]] = {
    ObjectFormat.JSON: _parse_json,
    ObjectFormat.NDJSON: _parse_ndjson,
    ObjectFormat.CSV: _parse_csv,
}
