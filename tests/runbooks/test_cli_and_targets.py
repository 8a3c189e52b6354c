"""Where the names come from (`--stack`, `--outputs`, flags) and the exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from runbooks.cli import build_parser, main
from runbooks.targets import PROJECT_ROOT, Targets
from tests.runbooks.conftest import CliRunner
from tests.runbooks.moto_platform import MotoPlatform


class FakePulumi:
    """Stands in for `subprocess.run` of the Pulumi CLI; records the commands."""

    def __init__(self, returncode: int = 0, stdout: str = "", stderr: str = "") -> None:
        self.result = (returncode, stdout, stderr)
        self.calls: list[tuple[list[str], dict[str, Any]]] = []

    def __call__(self, command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        self.calls.append((command, kwargs))
        returncode, stdout, stderr = self.result
        return subprocess.CompletedProcess(command, returncode, stdout, stderr)


def test_stack_outputs_come_from_pulumi_stack_output_in_the_project(
    platform: MotoPlatform, capsys: pytest.CaptureFixture[str]
) -> None:
    # GIVEN a Pulumi CLI that knows the stack
    pulumi = FakePulumi(stdout=json.dumps({**platform.outputs, "api_key": "[secret]"}))
    # WHEN a tool runs with --stack
    code = main(["failed-results", "--stack", "dev"], runner=pulumi)
    # THEN it asked Pulumi for the outputs of that stack, from the project directory
    assert code == 0, capsys.readouterr().err
    [(command, kwargs)] = pulumi.calls
    assert command == ["pulumi", "stack", "output", "--json", "--stack", "dev"]
    assert kwargs["cwd"] == PROJECT_ROOT
    assert "No FAILED results in platform-results-table." in capsys.readouterr().out


def test_a_failing_pulumi_is_reported_with_its_message_and_exit_1(
    capsys: pytest.CaptureFixture[str],
) -> None:
    pulumi = FakePulumi(returncode=255, stderr="error: no stack named 'nope' found")
    code = main(["failed-results", "--stack", "nope"], runner=pulumi)
    assert code == 1
    assert "no stack named 'nope' found" in capsys.readouterr().err


def test_a_missing_pulumi_cli_suggests_outputs_or_flags(capsys: pytest.CaptureFixture[str]) -> None:
    def missing(*args: Any, **kwargs: Any) -> subprocess.CompletedProcess[str]:
        raise FileNotFoundError("pulumi")

    assert main(["failed-results", "--stack", "dev"], runner=missing) == 1
    assert "pass --outputs FILE or the explicit flags" in capsys.readouterr().err


def test_flags_win_over_the_stack_outputs(
    platform: MotoPlatform, outputs_file: Path, run_cli: CliRunner
) -> None:
    result = run_cli("failed-results", "--outputs", str(outputs_file), "--table", "other-table")
    assert result.code == 1
    assert "AWS refused Query: ResourceNotFoundException" in result.err


def test_explicit_flags_work_without_any_stack(platform: MotoPlatform, run_cli: CliRunner) -> None:
    result = run_cli(
        "failed-results", "--region", "us-east-1", "--table", platform.outputs["results_table"]
    )
    assert result.code == 0, result.err


def test_a_missing_name_is_a_usage_error_naming_flag_and_output(run_cli: CliRunner) -> None:
    result = run_cli("dlq-inspect", "--region", "us-east-1")
    assert result.code == 2
    assert "--dlq-url is required" in result.err
    assert "'dead_letter_queue_url'" in result.err


def test_a_missing_region_is_a_usage_error(platform: MotoPlatform, run_cli: CliRunner) -> None:
    result = run_cli("failed-results", "--table", "t")
    assert result.code == 2
    assert "--region is required" in result.err


def test_an_unreadable_outputs_file_names_the_flag(tmp_path: Path, run_cli: CliRunner) -> None:
    result = run_cli("failed-results", "--outputs", str(tmp_path / "missing.json"))
    assert result.code == 2
    assert "--outputs: cannot read" in result.err


def test_an_outputs_file_that_is_not_an_object_names_the_flag(
    tmp_path: Path, run_cli: CliRunner
) -> None:
    path = tmp_path / "outputs.json"
    path.write_text("[1, 2]", encoding="utf-8")
    result = run_cli("failed-results", "--outputs", str(path))
    assert result.code == 2
    assert "expected a JSON object of stack outputs, got a JSON list" in result.err


def test_stack_and_outputs_together_are_rejected(tmp_path: Path, run_cli: CliRunner) -> None:
    result = run_cli("failed-results", "--stack", "dev", "--outputs", "x.json")
    assert result.code == 2
    assert "not allowed with argument" in result.err


def test_an_unknown_flag_is_rejected_with_exit_2(run_cli: CliRunner) -> None:
    result = run_cli("dlq-inspect", "--queue", "x")
    assert result.code == 2
    assert "unrecognized arguments: --queue" in result.err


def test_mutating_commands_have_yes_and_read_only_commands_do_not(run_cli: CliRunner) -> None:
    assert run_cli("dlq-inspect", "--yes").code == 2
    assert run_cli("failed-results", "--yes").code == 2
    assert run_cli("deployment-status", "--yes").code == 2
    mutating = ("dlq-redrive", "pause-processing", "throttle-api", "rotate-api-key")
    for command in (*mutating, "stop-deployment", "start-deployment"):
        assert "--yes" in run_cli(command, "--help").out


def test_python_dash_m_runbooks_runs_the_cli() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "runbooks", "--help"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert "dlq-redrive" in completed.stdout


def test_flags_override_the_primary_regions_names_and_a_replica_region_has_its_own(
    tmp_path: Path,
) -> None:
    # GIVEN a stack with a replica region, and a flag for the results table
    outputs = {
        "region": "us-east-1",
        "results_table": "primary-table",
        "replica_regions": {"eu-west-1": {"results_table": "replica-table"}},
    }
    path = tmp_path / "outputs.json"
    path.write_text(json.dumps(outputs), encoding="utf-8")
    parser = build_parser()
    args = parser.parse_args(["failed-results", "--outputs", str(path), "--table", "flag-table"])
    # WHEN the names are resolved
    targets = Targets.from_args(args)
    # THEN the flag wins in the primary region only; the replica keeps its output
    assert targets.require("table") == "flag-table"
    replica = targets.replicas["eu-west-1"]
    assert (replica.require("region"), replica.require("table")) == ("eu-west-1", "replica-table")


def test_region_naming_a_replica_region_selects_that_regions_names(
    tmp_path: Path,
) -> None:
    outputs = {
        "region": "us-east-1",
        "results_table": "primary-table",
        "replica_regions": {"eu-west-1": {"region": "eu-west-1", "results_table": "eu-table"}},
    }
    path = tmp_path / "outputs.json"
    path.write_text(json.dumps(outputs), encoding="utf-8")
    args = build_parser().parse_args(
        ["failed-results", "--outputs", str(path), "--region", "eu-west-1"]
    )
    targets = Targets.from_args(args)
    assert (targets.require("region"), targets.require("table")) == ("eu-west-1", "eu-table")
    assert targets.replicas == {}
