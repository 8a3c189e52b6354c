"""Result items always fit DynamoDB's item limits: 400 KB, and 32 levels of nesting.

A summary or an error that would not fit is a property of the object (or of the
processing code), so retrying the write could never help: the item is trimmed to fit.
moto counts item sizes more leniently than DynamoDB, so the sizes here are checked
against DynamoDB's documented rules as well.
"""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from shared import processing
from shared.errors import PoisonObjectError
from shared.events import ObjectRef
from shared.results import ResultItem, ResultStatus

# DynamoDB's limit, in bytes as its documentation counts them.
ITEM_LIMIT = 400 * 1024
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def dynamodb_size(value: Any) -> int:
    """A value's size by DynamoDB's documented rules ("DynamoDB item sizes and formats")."""
    if isinstance(value, str):
        return len(value.encode())
    if value is None or isinstance(value, bool):
        return 1
    if isinstance(value, int | float | Decimal):
        significant = len(Decimal(str(value)).normalize().as_tuple().digits)
        return -(-significant // 2) + 1
    if isinstance(value, dict):
        return 3 + sum(len(k.encode()) + dynamodb_size(v) + 1 for k, v in value.items())
    if isinstance(value, list):
        return 3 + sum(dynamodb_size(v) + 1 for v in value)
    raise TypeError(type(value))


def item_size(item: dict[str, Any]) -> int:
    return sum(len(name.encode()) + dynamodb_size(value) for name, value in item.items())


def depth(value: Any) -> int:
    """Levels of nested maps and lists, the outermost one counted."""
    if isinstance(value, dict):
        return 1 + max(map(depth, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(depth, value), default=0)
    return 0


def stored_attributes(summary: Any) -> dict[str, Any]:
    """The item a SUCCEEDED result with `summary` writes, key included."""
    ref = ObjectRef("ingest-bucket", "incoming/" + "k" * 1000 + ".json", "v" * 32, "0A")
    item = ResultItem(ref, ResultStatus.SUCCEEDED, now=NOW, ttl_days=30, summary=summary)
    return {**item.key, **item.attributes()}


@pytest.fixture
def process_with(monkeypatch):
    """Replace the processing function, as a fork does."""

    def replace(function):
        monkeypatch.setattr(processing, "process_document", function)

    return replace


def test_summary_too_large_for_an_item_is_trimmed_marked_and_stored(
    process_with,
    make_handler,
    upload,
    s3_record_factory,
    sqs_event_factory,
    lambda_context,
    results,
):
    # GIVEN a processing function whose summary is larger than an item can be
    process_with(lambda document: {"count": 3, "blob": "x" * 500_000, "last": "kept"})
    uploaded = upload("incoming/a.json", '{"a": 1}')

    # WHEN the object is processed
    response = make_handler()(sqs_event_factory([s3_record_factory(uploaded)]), lambda_context)

    # THEN the result is written, not retried: the small entries whole, the large one cut
    assert response == {"batchItemFailures": []}
    [item] = results()
    assert item["status"] == "SUCCEEDED"
    summary = item["summary"]
    assert (summary["count"], summary["last"], summary["summary_truncated"]) == (3, "kept", True)
    assert set(summary["blob"]) == {"x"}
    assert len(summary["blob"]) > 300_000
    assert item_size(item) <= ITEM_LIMIT


def test_default_summary_of_very_long_field_names_fits_an_item(
    make_handler, upload, s3_record_factory, sqs_event_factory, lambda_context, results
):
    # GIVEN a JSON object whose 100 field names hold 600 KB between them
    names = [f"{n:03d}" + "f" * 6_000 for n in range(100)]
    body = "{" + ", ".join(f'"{name}": 1' for name in names) + "}"
    uploaded = upload("incoming/wide.json", body)

    # WHEN the default processing function summarises it
    handler = make_handler(max_object_bytes=1024 * 1024)
    response = handler(sqs_event_factory([s3_record_factory(uploaded)]), lambda_context)

    # THEN the result is written with the first names whole and the counts kept
    assert response == {"batchItemFailures": []}
    [item] = results()
    assert item["status"] == "SUCCEEDED"
    summary = item["summary"]
    assert (summary["record_count"], summary["invalid_count"]) == (1, 0)
    assert summary["summary_truncated"] is True
    kept = summary["field_names"]
    assert kept[:-1] == names[: len(kept) - 1]
    assert names[len(kept) - 1].startswith(kept[-1])
    assert len(kept) > 50
    assert item_size(item) <= ITEM_LIMIT


def test_failed_result_with_an_enormous_error_is_stored_with_the_error_cut(
    process_with,
    make_handler,
    upload,
    s3_record_factory,
    sqs_event_factory,
    lambda_context,
    results,
):
    # GIVEN a processing function that rejects an object with a 700 KB message
    def reject(document):
        raise PoisonObjectError("bad record: " + "r" * 700_000)

    process_with(reject)
    uploaded = upload("incoming/a.json", '{"a": 1}')

    # WHEN the object is processed
    response = make_handler()(sqs_event_factory([s3_record_factory(uploaded)]), lambda_context)

    # THEN the FAILED result is written, with the start of the message
    assert response == {"batchItemFailures": []}
    [item] = results()
    assert (item["status"], item["error_code"]) == ("FAILED", "Rejected")
    assert item["error"].startswith("bad record: rrr")
    assert len(item["error"]) <= 1000


@pytest.mark.parametrize(
    "summary",
    [
        # Shapes moto undercounts: DynamoDB adds bytes per number, map and list element.
        {"zeros": [0] * 200_000},
        {"empty_maps": [{}] * 150_000},
        {f"name{n}": None for n in range(60_000)},
        {"accents": "é" * 300_000, "count": 1},
    ],
    ids=["numbers", "empty-maps", "many-entries", "multi-byte-text"],
)
def test_trimmed_summary_fits_by_dynamodbs_documented_sizes(summary):
    # GIVEN a summary over the limit by DynamoDB's rules
    # WHEN the item is built
    stored = stored_attributes(summary)

    # THEN the summary as it was would not fit, the stored one does and is marked, and
    # the trimming left most of the room used
    assert item_size({**stored, "summary": summary}) > ITEM_LIMIT
    assert item_size(stored) <= ITEM_LIMIT
    assert item_size(stored) > 300 * 1024
    assert stored["summary"]["summary_truncated"] is True


def test_trimming_is_deterministic_and_keeps_order():
    # GIVEN a summary over the limit whose entries come in a fork's order
    summary = {"z_first": list(range(100_000)), "a_second": "s" * 300_000, "m_third": 7}

    # WHEN the item is built twice
    first, second = stored_attributes(summary), stored_attributes(summary)

    # THEN both are the same, in the summary's own order with the mark last
    assert first == second
    assert list(first["summary"]) == ["z_first", "a_second", "m_third", "summary_truncated"]
    kept = first["summary"]["z_first"]
    assert kept == list(range(len(kept)))


def test_summary_that_fits_is_stored_as_it_is():
    # GIVEN an ordinary summary
    summary = {"record_count": 2, "field_names": ["a", "b"], "ratio": 0.5}

    # WHEN the item is built
    stored = stored_attributes(summary)

    # THEN it is the summary unchanged, without a mark
    assert stored["summary"] == summary


def test_summary_nested_deeper_than_dynamodb_allows_is_cut_at_that_depth():
    # GIVEN a summary nested 40 levels deep (DynamoDB stores at most 32)
    tree: Any = "leaf"
    for _ in range(39):
        tree = [tree]
    summary = {"tree": tree, "count": 1}

    # WHEN the item is built
    stored = stored_attributes(summary)["summary"]

    # THEN it is cut at DynamoDB's depth, marked, and the rest is kept
    assert depth(stored) <= 32
    assert depth(stored["tree"]) == 31
    assert (stored["count"], stored["summary_truncated"]) == (1, True)
