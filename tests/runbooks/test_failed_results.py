"""`failed-results`: FAILED items from `status-index`, newest first, paginated."""

from __future__ import annotations

from pathlib import Path

import pytest

from runbooks import results
from tests.runbooks.conftest import CliRunner
from tests.runbooks.moto_platform import MotoPlatform


def _put_result(
    platform: MotoPlatform, key: str, status: str, updated_at: str, error: str = ""
) -> None:
    item = {
        "pk": {"S": f"OBJECT#platform-ingest-bucket/{key}"},
        "sk": {"S": "VERSION#v1"},
        "result_id": {"S": f"r-{key}"},
        "bucket": {"S": "platform-ingest-bucket"},
        "object_key": {"S": key},
        "version_id": {"S": "v1"},
        "status": {"S": status},
        "updated_at": {"S": updated_at},
    }
    if error:
        item.update(error={"S": error}, error_code={"S": "InvalidJson"})
    platform.client("dynamodb").put_item(TableName=platform.outputs["results_table"], Item=item)


def test_failed_results_lists_only_failed_items_newest_first_with_errors(
    platform: MotoPlatform, outputs_file: Path, run_cli: CliRunner
) -> None:
    # GIVEN two FAILED and one SUCCEEDED result
    _put_result(platform, "incoming/old.csv", "FAILED", "2024-05-01T09:00:00Z", "bad header")
    _put_result(platform, "incoming/new file.json", "FAILED", "2024-05-01T11:00:00Z", "not JSON")
    _put_result(platform, "incoming/fine.json", "SUCCEEDED", "2024-05-01T12:00:00Z")
    # WHEN the FAILED results are listed
    result = run_cli("failed-results", "--outputs", str(outputs_file))
    # THEN only the failed ones show, newest first, each with its error
    assert result.code == 0, result.err
    assert "fine.json" not in result.out.split("After fixing")[0]
    assert result.out.index("new file.json") < result.out.index("old.csv")
    assert "error: not JSON (InvalidJson)" in result.out
    assert "error: bad header" in result.out
    assert "--keys 'incoming/new file.json' incoming/old.csv" in result.out


def test_failed_results_pages_through_the_index_up_to_the_limit(
    platform: MotoPlatform,
    outputs_file: Path,
    run_cli: CliRunner,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # GIVEN more FAILED items than one query page holds (pages of 2 here)
    monkeypatch.setattr(results, "_PAGE_SIZE", 2)
    for number in range(7):
        _put_result(platform, f"incoming/{number}.json", "FAILED", f"2024-05-01T10:0{number}Z", "x")
    # WHEN 5 are asked for
    result = run_cli("failed-results", "--outputs", str(outputs_file), "--limit", "5")
    # THEN the 5 newest are shown, across three pages
    assert "5 FAILED result(s)" in result.out
    shown = [line.split("/")[-1] for line in result.out.splitlines() if "s3://" in line]
    assert shown == [f"{number}.json version v1" for number in (6, 5, 4, 3, 2)]


def test_failed_results_since_keeps_only_later_items(
    platform: MotoPlatform, outputs_file: Path, run_cli: CliRunner
) -> None:
    _put_result(platform, "incoming/before.json", "FAILED", "2024-05-01T09:00:00Z", "x")
    _put_result(platform, "incoming/after.json", "FAILED", "2024-05-01T11:00:00Z", "x")
    result = run_cli(
        "failed-results", "--outputs", str(outputs_file), "--since", "2024-05-01T10:00:00Z"
    )
    assert "after.json" in result.out
    assert "before.json" not in result.out


def test_failed_results_says_so_when_there_are_none(
    platform: MotoPlatform, outputs_file: Path, run_cli: CliRunner
) -> None:
    result = run_cli("failed-results", "--outputs", str(outputs_file))
    assert result.code == 0
    assert "No FAILED results in platform-results-table." in result.out


def test_failed_results_rejects_a_since_that_is_not_a_time_naming_the_flag(
    outputs_file: Path, run_cli: CliRunner
) -> None:
    result = run_cli("failed-results", "--outputs", str(outputs_file), "--since", "yesterday")
    assert result.code == 2
    assert "--since" in result.err
