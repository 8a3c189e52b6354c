"""S3 event sequencers in a form DynamoDB can compare as plain strings."""

from __future__ import annotations

import re

_HEX = re.compile(r"[0-9A-Fa-f]+")


def sequencer_order(sequencer: str) -> str:
    """The canonical, comparable form of an S3 `sequencer`.

    S3 sequencers are hexadecimal strings of varying length. AWS says to compare two of
    them by right-padding the shorter one with zeros and then comparing
    lexicographically. Upper-casing and dropping trailing zeros gives a string whose
    plain lexicographic order (what a DynamoDB condition uses) is exactly that order,
    with no width limit: equal after padding means equal here, and when one form is a
    prefix of the other, the longer one ends in a non-zero digit, so it is the greater.

    Example:
        >>> sequencer_order("0055aed6dcd90281e5")
        '0055AED6DCD90281E5'
        >>> sequencer_order("0A00") == sequencer_order("0A")
        True
        >>> sequencer_order("0A") < sequencer_order("0A01")
        True
    """
    if not _HEX.fullmatch(sequencer):
        raise ValueError(f"sequencer must be a hexadecimal string, got {sequencer!r}")
    return sequencer.upper().rstrip("0")
