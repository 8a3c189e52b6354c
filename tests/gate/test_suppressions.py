"""The checkov suppressions file: its format, its validation, and the repository's own."""

import datetime

import pytest

from gate.checkov.suppressions import DEFAULT_FILE, SuppressionError, Suppressions

from .conftest import ROOT, urn_for

BUCKET = urn_for("aws:s3/bucket:Bucket", "storage-access-logs")


def entry(**fields):
    return {"check": "CKV_AWS_145", "resource": "*access-logs*", "reason": "SSE-S3 only"} | fields


def test_entry_matches_on_check_and_a_glob_over_name_or_urn():
    rules = Suppressions.parse({"suppressions": [entry(reason="logs need SSE-S3")]}, "t")

    matched = rules.match("CKV_AWS_145", BUCKET, "dev")
    assert matched is not None
    assert matched.reason == "logs need SSE-S3"
    assert rules.match("CKV_AWS_18", BUCKET, "dev") is None
    assert rules.match("CKV_AWS_145", urn_for("aws:s3/bucket:Bucket", "ingest"), "dev") is None


def test_entry_can_be_limited_to_stacks():
    rules = Suppressions.parse({"suppressions": [entry(stacks=["dev"])]}, "t")

    assert rules.match("CKV_AWS_145", BUCKET, "dev") is not None
    assert rules.match("CKV_AWS_145", BUCKET, "prod") is None


def test_entry_expires_after_its_date():
    (rule,) = Suppressions.parse({"suppressions": [entry(expires="2026-01-31")]}, "t").entries

    assert not rule.expired(datetime.date(2026, 1, 31))
    assert rule.expired(datetime.date(2026, 2, 1))


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (entry(reason="short"), "at least 10 characters"),
        (entry(check="S3_LOGGING"), "checkov id"),
        (entry(resource=""), "URN or name glob"),
        (entry(expires="next year"), "a date like"),
        (entry(stacks="dev"), "list of stack names"),
        (entry(owner="me"), "unknown keys"),
        ("CKV_AWS_145", "expected a mapping"),
    ],
)
def test_invalid_entry_is_an_error_naming_the_entry(raw, message):
    with pytest.raises(SuppressionError, match=message) as error:
        Suppressions.parse({"suppressions": [raw]}, "file.yaml")
    assert "file.yaml: suppressions[0]" in str(error.value)


def test_missing_file_is_an_error_unless_it_is_the_default(tmp_path):
    with pytest.raises(SuppressionError, match="does not exist"):
        Suppressions.load(tmp_path / "nowhere.yaml")
    assert Suppressions.for_program(tmp_path).entries == ()


def test_repository_suppressions_load_and_each_says_why():
    rules = Suppressions.for_program(ROOT)

    assert rules.entries, f"{DEFAULT_FILE} at the repository root has no entries"
    assert all(len(r.reason) >= 10 for r in rules.entries)
    assert any(r.check == "CKV_AWS_145" for r in rules.entries), "the SSE-S3 log bucket case"
