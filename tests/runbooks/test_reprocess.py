"""`reprocess`: starts the reprocess state machine with the API's request shape."""

from __future__ import annotations

import json
from pathlib import Path

from tests.runbooks.conftest import CliRunner
from tests.runbooks.moto_platform import MotoPlatform


def _executions(platform: MotoPlatform) -> list[dict[str, object]]:
    sfn = platform.client("stepfunctions")
    listed = sfn.list_executions(stateMachineArn=platform.outputs["state_machine_arn"])
    return [
        sfn.describe_execution(executionArn=execution["executionArn"])
        for execution in listed["executions"]
    ]


def test_reprocess_without_yes_shows_the_input_and_starts_nothing(
    platform: MotoPlatform, outputs_file: Path, run_cli: CliRunner
) -> None:
    result = run_cli("reprocess", "--outputs", str(outputs_file), "--keys", "incoming/a b.json")
    assert result.code == 0, result.err
    assert '"object_keys": [' in result.out
    assert '"incoming/a b.json"' in result.out
    assert "Dry run: nothing was changed" in result.out
    assert _executions(platform) == []


def test_reprocess_with_yes_starts_one_execution_for_the_unique_keys(
    platform: MotoPlatform, outputs_file: Path, run_cli: CliRunner
) -> None:
    # WHEN two keys (one repeated) are reprocessed
    result = run_cli(
        "reprocess",
        "--outputs",
        str(outputs_file),
        "--keys",
        "incoming/a.json",
        "incoming/b.json",
        "incoming/a.json",
        "--yes",
    )
    # THEN one execution starts with each key once
    assert result.code == 0, result.err
    [execution] = _executions(platform)
    assert json.loads(str(execution["input"])) == {
        "object_keys": ["incoming/a.json", "incoming/b.json"],
        "requested_by": "runbooks-cli",
    }
    assert f"Started execution {execution['executionArn']}." in result.out


def test_reprocess_a_prefix_sends_the_prefix(
    platform: MotoPlatform, outputs_file: Path, run_cli: CliRunner
) -> None:
    result = run_cli(
        "reprocess",
        "--outputs",
        str(outputs_file),
        "--prefix",
        "incoming/2024/",
        "--requested-by",
        "incident-42",
        "--yes",
    )
    assert result.code == 0, result.err
    [execution] = _executions(platform)
    assert json.loads(str(execution["input"])) == {
        "prefix": "incoming/2024/",
        "requested_by": "incident-42",
    }


def test_reprocess_rejects_a_key_outside_incoming_naming_the_flag(
    platform: MotoPlatform, outputs_file: Path, run_cli: CliRunner
) -> None:
    result = run_cli("reprocess", "--outputs", str(outputs_file), "--keys", "other/a.json", "--yes")
    assert result.code == 2
    assert "--keys" in result.err
    assert _executions(platform) == []


def test_reprocess_needs_keys_or_a_prefix(outputs_file: Path, run_cli: CliRunner) -> None:
    result = run_cli("reprocess", "--outputs", str(outputs_file))
    assert result.code == 2
    assert "--keys" in result.err


def test_reprocess_of_an_unknown_state_machine_is_an_aws_error(
    platform: MotoPlatform, outputs_file: Path, run_cli: CliRunner
) -> None:
    result = run_cli(
        "reprocess",
        "--outputs",
        str(outputs_file),
        "--state-machine-arn",
        "arn:aws:states:us-east-1:123456789012:stateMachine:missing",
        "--prefix",
        "incoming/",
    )
    assert result.code == 1
    assert "AWS refused DescribeStateMachine" in result.err


def test_reprocess_refuses_more_keys_than_the_stacks_state_machine_accepts(
    platform: MotoPlatform, outputs_file: Path, run_cli: CliRunner
) -> None:
    """The state machine fails a run over workflow.maxObjects, and a failed run pages."""
    keys = [f"incoming/{n}.json" for n in range(501)]
    result = run_cli("reprocess", "--outputs", str(outputs_file), "--keys", *keys, "--yes")
    assert result.code == 2
    assert "at most 500 keys (the stack's workflow.maxObjects), got 501" in result.err
    assert _executions(platform) == []
    # 500 is within the limit, and --max-objects overrides what the stack says.
    assert run_cli("reprocess", "--outputs", str(outputs_file), "--keys", *keys[:500]).code == 0
    lowered = run_cli(
        "reprocess", "--outputs", str(outputs_file), "--max-objects", "2", "--keys", *keys[:3]
    )
    assert lowered.code == 2
    assert "at most 2 keys" in lowered.err
