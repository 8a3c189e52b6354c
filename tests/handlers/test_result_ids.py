"""Result ids: URL-safe, stable, and reversible to the item's table key."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from shared.results import (
    InvalidResultIdError,
    key_for_result_id,
    parse_result_id,
    result_id,
    result_key,
)

_KEYS = st.text(st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=300)
_VERSIONS = st.one_of(st.none(), st.text("abcXYZ0123456789._-+/=", min_size=1, max_size=40))


@given(key=_KEYS, version=_VERSIONS)
def test_result_id_is_url_safe_and_leads_back_to_the_item_key(key, version):
    # GIVEN any object key (newlines and unicode included) and version
    # WHEN its result id is derived
    value = result_id("ingest-bucket", key, version)

    # THEN it is URL-safe and resolves to the same table key
    assert re.fullmatch(r"[A-Za-z0-9_-]+", value)
    assert key_for_result_id(value) == result_key("ingest-bucket", key, version)


def test_result_id_is_stable():
    # GIVEN an object version
    # WHEN its result id is derived twice
    # THEN it is the same, and its documented form
    assert result_id("ingest", "incoming/a.json", "v1") == result_id(
        "ingest", "incoming/a.json", "v1"
    )
    assert result_id("ingest", "incoming/a.json", "v1") == "aW5nZXN0L2luY29taW5nL2EuanNvbgp2MQ"


def test_longest_key_gives_an_id_within_the_api_limit():
    # GIVEN a 1024-byte key (the S3 maximum) in a 63-character bucket name
    value = result_id("b" * 63, "ä" * 512, "3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY")

    # WHEN its id is checked
    # THEN it is within the 2048 characters the API accepts
    assert len(value) <= 2048
    assert parse_result_id(value).key == "ä" * 512


def test_unversioned_result_id_names_version_null():
    # GIVEN the result id of an unversioned object
    value = result_id("ingest", "incoming/a.json", None)

    # WHEN it is resolved
    # THEN the key's sort key is VERSION#null and the version is None
    assert key_for_result_id(value)["sk"] == "VERSION#null"
    assert parse_result_id(value).version_id is None


@pytest.mark.parametrize(
    "value",
    [
        "",
        "a" * 2049,
        "has space",
        "aGVsbG8",  # "hello": no bucket, key and version
        "__8",  # not UTF-8
        "aW5nZXN0L2luY29taW5nL2EuanNvbgp2MR",  # non-canonical trailing bits
    ],
)
def test_string_that_is_not_an_issued_result_id_is_rejected(value):
    # GIVEN a string this platform did not issue as a result id
    # WHEN it is resolved
    # THEN it is rejected (the API answers 400 or 404, never a wrong item)
    with pytest.raises(InvalidResultIdError):
        key_for_result_id(value)
