"""Bytes to records: a JSON object or list, NDJSON lines, or CSV rows under a header."""

from __future__ import annotations

import csv
import io
import json
import sys
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


def load_json(text: str, *, max_nesting: int | None = None) -> Any:
    """`json.loads`, with Python's two limits on valid JSON raised as `PoisonObjectError`.

    Its parser recurses once per nesting level (a RecursionError past the recursion
    limit), and `int()` refuses more than `sys.get_int_max_str_digits()` digits (a
    ValueError). Neither is a JSONDecodeError, so without this both would look transient.
    Where the recursion limit falls depends on the caller's stack; `max_nesting` makes
    the limit on nesting a fixed one (at the cost of a walk through the parsed value).

    Example:
        >>> load_json("[" * 20_000 + "]" * 20_000)
        Traceback (most recent call last):
        ...
        shared.errors.PoisonObjectError: nested too deeply to parse
        >>> load_json('{"a": [[1]]}', max_nesting=2)
        Traceback (most recent call last):
        ...
        shared.errors.PoisonObjectError: nested more than 2 levels deep
    """
    too_deep = "nested too deeply to parse"
    if max_nesting is not None:
        too_deep = f"nested more than {max_nesting} levels deep"
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        raise
    except RecursionError:
        raise PoisonObjectError(too_deep, code=FailureCode.JSON_TOO_DEEP) from None
    except ValueError:
        # The only other ValueError json.loads raises: int()'s limit on digits.
        raise PoisonObjectError(
            f"an integer has more than {sys.get_int_max_str_digits()} digits",
            code=FailureCode.NUMBER_TOO_LARGE,
        ) from None
    if max_nesting is not None and _nested_deeper(value, max_nesting):
        raise PoisonObjectError(too_deep, code=FailureCode.JSON_TOO_DEEP)
    return value


def _nested_deeper(value: Any, limit: int) -> bool:
    # Iterative: recursing here would fail where the parser did not.
    pending = [(value, 1)] if isinstance(value, dict | list) else []
    while pending:
        current, level = pending.pop()
        if level > limit:
            return True
        children = current.values() if isinstance(current, dict) else current
        pending.extend((child, level + 1) for child in children if isinstance(child, dict | list))
    return False


def _parse_json(text: str) -> ParsedRecords:
    try:
        document = load_json(text)
    except json.JSONDecodeError as error:
        raise PoisonObjectError(
            f"invalid JSON: {error.msg} at line {error.lineno} column {error.colno}",
            code=FailureCode.INVALID_JSON,
        ) from None
    except PoisonObjectError as error:
        raise PoisonObjectError(f"invalid JSON: {error.message}", code=error.code) from None
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
    return _collect(lines, load_json)


def _collect(entries: Iterable[tuple[str, Any]], load: Callable[[Any], Any]) -> ParsedRecords:
    parsed = ParsedRecords()
    for where, entry in entries:
        try:
            value = load(entry)
        except json.JSONDecodeError as error:
            parsed.reject(where, f"{error.msg} at column {error.colno}")
            continue
        except PoisonObjectError as error:
            # Past a parsing limit: a bad entry like any other, not a bad object.
            parsed.reject(where, error.message)
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
