"""`pause-processing` / `resume-processing`: the processor's event source mapping."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.runbooks.conftest import CliRunner
from tests.runbooks.moto_platform import REGION, MotoPlatform


@pytest.fixture
def mapping_outputs(platform_with_mapping: MotoPlatform, tmp_path: Path) -> Path:
    return platform_with_mapping.write_outputs(tmp_path)


def _state(platform: MotoPlatform) -> str:
    return str(
        platform.client("lambda").get_event_source_mapping(
            UUID=platform.outputs["processor_event_source_mapping"]
        )["State"]
    )


def test_pause_processing_without_yes_leaves_the_mapping_enabled(
    platform_with_mapping: MotoPlatform, mapping_outputs: Path, run_cli: CliRunner
) -> None:
    result = run_cli("pause-processing", "--outputs", str(mapping_outputs))
    assert result.code == 0, result.err
    assert "set Enabled=false on event source mapping" in result.out
    assert "Dry run: nothing was changed" in result.out
    assert _state(platform_with_mapping) == "Enabled"


def test_pause_processing_with_yes_disables_the_mapping(
    platform_with_mapping: MotoPlatform, mapping_outputs: Path, run_cli: CliRunner
) -> None:
    result = run_cli("pause-processing", "--outputs", str(mapping_outputs), "--yes")
    assert result.code == 0, result.err
    assert _state(platform_with_mapping) == "Disabled"
    assert "state Disabled" in result.out


def test_resume_processing_with_yes_enables_a_paused_mapping(
    platform_with_mapping: MotoPlatform, mapping_outputs: Path, run_cli: CliRunner
) -> None:
    # GIVEN processing is paused
    assert run_cli("pause-processing", "--outputs", str(mapping_outputs), "--yes").code == 0
    # WHEN it is resumed without, then with --yes
    assert run_cli("resume-processing", "--outputs", str(mapping_outputs)).code == 0
    assert _state(platform_with_mapping) == "Disabled"
    result = run_cli("resume-processing", "--outputs", str(mapping_outputs), "--yes")
    # THEN the mapping is enabled again
    assert result.code == 0, result.err
    assert _state(platform_with_mapping) == "Enabled"


def test_pause_processing_when_already_paused_changes_nothing(
    platform_with_mapping: MotoPlatform, mapping_outputs: Path, run_cli: CliRunner
) -> None:
    assert run_cli("pause-processing", "--outputs", str(mapping_outputs), "--yes").code == 0
    result = run_cli("pause-processing", "--outputs", str(mapping_outputs), "--yes")
    assert result.code == 0
    assert "already paused: nothing to change" in result.out
    assert "Will change" not in result.out


def _outputs_without(platform: MotoPlatform, directory: Path, *names: str) -> Path:
    outputs = {k: v for k, v in platform.outputs.items() if k not in names}
    path = directory / "outputs.json"
    path.write_text(json.dumps(outputs), encoding="utf-8")
    return path


def test_pause_processing_finds_the_live_alias_mapping_from_the_alias(
    platform_with_mapping: MotoPlatform, tmp_path: Path, run_cli: CliRunner
) -> None:
    # GIVEN outputs without the mapping's UUID, and a mapping that invokes the live alias
    path = _outputs_without(platform_with_mapping, tmp_path, "processor_event_source_mapping")
    # WHEN processing is paused
    result = run_cli("pause-processing", "--outputs", str(path), "--yes")
    # THEN the alias's mapping, which the bare function name does not list, is disabled
    assert result.code == 0, result.err
    assert _state(platform_with_mapping) == "Disabled"


def test_pause_processing_finds_a_mapping_of_the_bare_function_from_its_name(
    platform_with_mapping: MotoPlatform, tmp_path: Path, run_cli: CliRunner
) -> None:
    # GIVEN a stack from before the alias: its mapping invokes the bare function
    awslambda = platform_with_mapping.client("lambda")
    alias_mapping = platform_with_mapping.outputs["processor_event_source_mapping"]
    queue_arn = awslambda.get_event_source_mapping(UUID=alias_mapping)["EventSourceArn"]
    awslambda.delete_event_source_mapping(UUID=alias_mapping)
    bare = awslambda.create_event_source_mapping(
        EventSourceArn=queue_arn, FunctionName="platform-processor-function", Enabled=True
    )["UUID"]
    path = _outputs_without(platform_with_mapping, tmp_path, "processor_event_source_mapping")
    # WHEN processing is paused
    result = run_cli("pause-processing", "--outputs", str(path), "--yes")
    # THEN the alias lists no mapping, and the function's name finds the bare one
    assert result.code == 0, result.err
    assert awslambda.get_event_source_mapping(UUID=bare)["State"] == "Disabled"


def test_pause_processing_that_finds_no_mapping_names_what_it_searched(
    platform_with_mapping: MotoPlatform, tmp_path: Path, run_cli: CliRunner
) -> None:
    path = _outputs_without(
        platform_with_mapping, tmp_path, "processor_event_source_mapping", "processor_alias"
    )
    result = run_cli("pause-processing", "--outputs", str(path), "--yes")
    assert result.code == 2
    assert (
        "expected exactly one event source mapping of --function platform-processor-function, "
        "found 0; name it with --event-source-mapping"
    ) in result.err
    assert _state(platform_with_mapping) == "Enabled"


def test_pause_processing_without_mapping_or_function_names_the_flag(
    run_cli: CliRunner,
) -> None:
    result = run_cli("pause-processing", "--region", "us-east-1")
    assert result.code == 2
    assert "--event-source-mapping is required" in result.err


def test_pause_processing_with_yes_says_how_to_reconcile_with_pulumi(
    platform_with_mapping: MotoPlatform, mapping_outputs: Path, run_cli: CliRunner
) -> None:
    result = run_cli("pause-processing", "--outputs", str(mapping_outputs), "--yes")
    assert result.code == 0, result.err
    uuid = platform_with_mapping.outputs["processor_event_source_mapping"]
    assert f"Drift: event source mapping {uuid} is disabled" in result.out
    assert f"python -m runbooks resume-processing --outputs {mapping_outputs} --yes" in result.out
    assert "`pulumi up --refresh` (or `pulumi refresh` before `pulumi up`) resumes" in result.out


def test_resume_processing_with_yes_leaves_nothing_to_reconcile(
    platform_with_mapping: MotoPlatform, mapping_outputs: Path, run_cli: CliRunner
) -> None:
    assert run_cli("pause-processing", "--outputs", str(mapping_outputs), "--yes").code == 0
    result = run_cli("resume-processing", "--outputs", str(mapping_outputs), "--yes")
    assert result.code == 0, result.err
    assert _state(platform_with_mapping) == "Enabled"
    assert "nothing to reconcile with Pulumi" in result.out
    assert "Drift:" not in result.out


def test_the_printed_resume_names_the_region_the_pause_acted_on(
    platform_with_mapping: MotoPlatform, mapping_outputs: Path, run_cli: CliRunner
) -> None:
    """Without `--region`, the printed command would resume the primary region's mapping."""
    region = REGION
    result = run_cli(
        "pause-processing", "--outputs", str(mapping_outputs), "--region", region, "--yes"
    )
    assert result.code == 0, result.err
    resume = f"resume-processing --outputs {mapping_outputs} --region {region} --yes"
    assert resume in result.out
