"""DynamoDB's limits on an item, so that a result item always fits: its size, counted by
DynamoDB's documented rules, and how deeply maps and lists nest.

DynamoDB refuses a larger or deeper item with a ValidationException, which a retry can
never fix: what does not fit is trimmed instead, the same way on every attempt.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

# 400 KB as DynamoDB counts it, and its nesting limit for maps and lists (the top-level
# attribute is the first level).
MAX_ITEM_BYTES = 400 * 1024
MAX_NESTING_LEVELS = 32
# Marks a summary that did not fit and was trimmed.
SUMMARY_TRUNCATED = "summary_truncated"

# A map or list costs 3 bytes, and each of its elements 1 more.
_CONTAINER_BYTES = 3
_ELEMENT_BYTES = 1
# What a value nested too deeply to store weighs: more than any budget, so it is dropped.
_UNSTORABLE = MAX_ITEM_BYTES + 1
_NOTHING = object()


def item_size(attributes: Mapping[str, Any]) -> int:
    """At least the size DynamoDB counts for an item: each attribute's name and value.

    Example:
        >>> item_size({"pk": "OBJECT#b/k", "summary": {"n": 12, "names": ["a", "é"]}})
        41
    """
    return sum(text_size(name) + value_size(value) for name, value in attributes.items())


def value_size(value: Any, level: int = 1) -> int:
    """At least the bytes DynamoDB counts for `value` ("DynamoDB item sizes and formats").

    Text is its UTF-8 bytes. A number is counted as one byte per character plus one
    (DynamoDB: one per two significant digits plus one). A boolean or null is 1 byte; a
    map or list 3, plus 1 per element and, in a map, the element's name. A map or list
    nested deeper than DynamoDB stores counts more than any item may hold.
    """
    if isinstance(value, str):
        return text_size(value)
    if value is None or isinstance(value, bool):
        return 1
    if isinstance(value, int | float | Decimal):
        return len(str(value)) + 1
    if isinstance(value, Mapping | list | tuple) and level > MAX_NESTING_LEVELS:
        return _UNSTORABLE
    if isinstance(value, Mapping):
        return _CONTAINER_BYTES + sum(
            _ELEMENT_BYTES + text_size(str(name)) + value_size(item, level + 1)
            for name, item in value.items()
        )
    if isinstance(value, list | tuple):
        return _CONTAINER_BYTES + sum(_ELEMENT_BYTES + value_size(v, level + 1) for v in value)
    # Not JSON-compatible: storing it fails on its own; count it as its text meanwhile.
    return text_size(str(value))


def text_size(text: str) -> int:
    """UTF-8 bytes; JSON can carry lone surrogates, which take 3 bytes each."""
    return len(text.encode("utf-8", "surrogatepass"))


def fit_summary(summary: Mapping[str, Any], budget: int) -> Mapping[str, Any]:
    """`summary` if it takes at most `budget` bytes, else as much of it as fits, marked
    with `summary_truncated: true`.

    Trimming is deterministic: a map keeps its smallest entries whole (ties in their
    order) and trims the first one that does not fit; a list keeps its first items and
    trims the first one that does not fit; text is cut at a character. What follows a
    trimmed entry or item is dropped, and so is anything nested too deeply to store.
    The kept entries stay in the summary's order.

    Example:
        >>> fit_summary({"note": "x" * 100, "count": 3}, 50)
        {'note': 'xxxxxxxxxxxxxxx', 'count': 3, 'summary_truncated': True}
    """
    if value_size(summary) <= budget:
        return summary
    mark = _ELEMENT_BYTES + text_size(SUMMARY_TRUNCATED) + value_size(True)
    fitted = _fit(summary, budget - mark, level=1)
    kept = fitted if isinstance(fitted, Mapping) else {}
    return {**kept, SUMMARY_TRUNCATED: True}


def _fit(value: Any, budget: int, level: int) -> Any:
    """`value`, or the most of it that fits in `budget` bytes, or `_NOTHING`."""
    if budget < 0:
        return _NOTHING
    if value_size(value, level) <= budget:
        return value
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass")[:budget].decode("utf-8", "ignore")
    if level > MAX_NESTING_LEVELS or budget < _CONTAINER_BYTES:
        return _NOTHING
    if isinstance(value, Mapping):
        return _fit_map(value, budget - _CONTAINER_BYTES, level)
    if isinstance(value, list | tuple):
        return _fit_list(value, budget - _CONTAINER_BYTES, level)
    return _NOTHING  # a number, boolean or null that does not fit


def _fit_map(value: Mapping[Any, Any], room: int, level: int) -> dict[Any, Any]:
    def entry_size(name: Any) -> int:
        return _ELEMENT_BYTES + text_size(str(name)) + value_size(value[name], level + 1)

    kept: dict[Any, Any] = {}
    # Smallest first, so that counts and flags survive next to one large entry.
    for name in sorted(value, key=entry_size):
        overhead = _ELEMENT_BYTES + text_size(str(name))
        fitted = _fit(value[name], room - overhead, level + 1)
        if fitted is _NOTHING:
            break
        kept[name] = fitted
        room -= overhead + value_size(fitted, level + 1)
        if fitted is not value[name]:
            break
    return {name: kept[name] for name in value if name in kept}


def _fit_list(value: list[Any] | tuple[Any, ...], room: int, level: int) -> list[Any]:
    kept: list[Any] = []
    for item in value:
        fitted = _fit(item, room - _ELEMENT_BYTES, level + 1)
        if fitted is _NOTHING:
            break
        kept.append(fitted)
        room -= _ELEMENT_BYTES + value_size(fitted, level + 1)
        if fitted is not item:
            break
    return kept
