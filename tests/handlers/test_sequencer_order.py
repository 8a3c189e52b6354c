"""S3 sequencers compared as AWS says: right-pad the shorter with zeros, then compare."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from shared.sequencer import sequencer_order

_HEX = st.text("0123456789ABCDEFabcdef", min_size=1, max_size=24)


def _aws_compare(a: str, b: str) -> int:
    """The comparison AWS documents for sequencers."""
    width = max(len(a), len(b))
    left, right = a.upper().ljust(width, "0"), b.upper().ljust(width, "0")
    return (left > right) - (left < right)


@given(a=_HEX, b=_HEX)
def test_string_order_of_normalised_sequencers_is_the_aws_order(a, b):
    # GIVEN any two sequencers of any lengths
    # WHEN both are normalised
    left, right = sequencer_order(a), sequencer_order(b)

    # THEN plain string comparison (what DynamoDB does) agrees with AWS's rule
    assert ((left > right) - (left < right)) == _aws_compare(a, b)


@pytest.mark.parametrize(
    ("older", "newer"),
    [("0A", "0B"), ("0A", "0A01"), ("0055AED6DCD90281E5", "0055AED6DCD90281E6"), ("9", "A")],
)
def test_later_sequencer_sorts_after_an_earlier_one(older, newer):
    # GIVEN two sequencers of the same key, `newer` from the later event
    # WHEN they are normalised
    # THEN the later one sorts after
    assert sequencer_order(older) < sequencer_order(newer)


def test_sequencers_equal_after_padding_are_the_same_event():
    # GIVEN one sequencer written with and without trailing zeros
    # WHEN both are normalised
    # THEN they are equal, so the second is a duplicate
    assert sequencer_order("0a1000") == sequencer_order("0A1") == "0A1"


@pytest.mark.parametrize("value", ["", "0x1A", "12G4", " 1A"])
def test_non_hexadecimal_sequencer_is_rejected(value):
    # GIVEN a value that is not a hexadecimal string
    # WHEN it is normalised
    # THEN it is rejected, naming what was given
    with pytest.raises(ValueError, match="sequencer must be a hexadecimal string"):
        sequencer_order(value)
