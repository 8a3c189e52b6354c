"""The runbook lint: sections from TEMPLATE.md, links, escalation by role, real commands."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from runbooks.catalog import RUNBOOKS_DIR, TEMPLATE
from runbooks.cli import build_parser
from runbooks.lint import lint_directory, required_sections
from tests.runbooks.conftest import CliRunner

SECTIONS = (
    "## Meaning and impact",
    "## Triage",
    "## Mitigation",
    "## Verification",
    "## Escalation",
    "## Follow-up",
)


def _runbook(
    triage: str = "Run `x`.",
    escalation: str = "- When stuck: page the platform team lead.",
    sections: tuple[str, ...] = SECTIONS,
) -> str:
    bodies = {"## Triage": triage, "## Escalation": escalation}
    parts = ["# sample: a sample alarm", ""]
    for section in sections:
        parts += [section, "", bodies.get(section, "Text."), ""]
    return "\n".join(parts)


@pytest.fixture
def runbooks_dir(tmp_path: Path) -> Path:
    shutil.copy(RUNBOOKS_DIR / TEMPLATE, tmp_path / TEMPLATE)
    (tmp_path / "README.md").write_text("# Runbooks\n", encoding="utf-8")
    (tmp_path / "catalog.py").write_text("", encoding="utf-8")
    return tmp_path


def _problems(directory: Path, text: str) -> list[str]:
    (directory / "sample.md").write_text(text, encoding="utf-8")
    return [problem.message for problem in lint_directory(directory, build_parser())]


def test_the_project_runbooks_pass_the_lint() -> None:
    problems = lint_directory(RUNBOOKS_DIR, build_parser())
    assert [str(problem) for problem in problems] == []


def test_the_template_defines_the_required_sections_in_order() -> None:
    assert required_sections(RUNBOOKS_DIR / TEMPLATE) == list(SECTIONS)


def test_a_complete_runbook_has_no_problems(runbooks_dir: Path) -> None:
    assert _problems(runbooks_dir, _runbook()) == []


def test_a_missing_section_is_reported(runbooks_dir: Path) -> None:
    sections = tuple(section for section in SECTIONS if section != "## Verification")
    assert _problems(runbooks_dir, _runbook(sections=sections)) == [
        "missing section '## Verification' (see TEMPLATE.md)"
    ]


def test_sections_out_of_order_are_reported(runbooks_dir: Path) -> None:
    swapped = (SECTIONS[1], SECTIONS[0], *SECTIONS[2:])
    [problem] = _problems(runbooks_dir, _runbook(sections=swapped))
    assert problem.startswith("sections out of order")


def test_a_relative_link_that_does_not_resolve_is_reported(runbooks_dir: Path) -> None:
    text = _runbook(triage="See [the other](other.md#triage) and [ok](README.md#x).")
    assert _problems(runbooks_dir, text) == ["link target 'other.md#triage' does not exist"]


def test_external_links_and_anchors_are_not_checked(runbooks_dir: Path) -> None:
    text = _runbook(triage="See [docs](https://docs.aws.amazon.com/) and [below](#triage).")
    assert _problems(runbooks_dir, text) == []


def test_an_escalation_step_without_a_role_is_reported(runbooks_dir: Path) -> None:
    [problem] = _problems(runbooks_dir, _runbook(escalation="- When stuck: call Alex Smith."))
    assert problem.startswith("escalation step names none of the roles")


def test_an_escalation_role_wrapped_onto_the_next_line_counts(runbooks_dir: Path) -> None:
    escalation = "- When stuck for 30 minutes or more: page the platform\n  team lead."
    assert _problems(runbooks_dir, _runbook(escalation=escalation)) == []


@pytest.mark.parametrize("who", ["@asmith", "alex.smith@example.com"])
def test_a_handle_or_mailbox_is_reported_anywhere(runbooks_dir: Path, who: str) -> None:
    problems = _problems(runbooks_dir, _runbook(triage=f"Ask {who} first."))
    assert problems == [f"'{who}' names a person or mailbox: name a role instead"]


def test_a_tool_command_with_a_bad_flag_is_reported(runbooks_dir: Path) -> None:
    triage = '```sh\npython -m runbooks dlq-redrive --stack "$STACK" --max-per-second 900\n```'
    [problem] = _problems(runbooks_dir, _runbook(triage=triage))
    assert "argument --max-per-second: expected 1..500, got 900" in problem


def test_a_tool_command_that_does_not_exist_is_reported(runbooks_dir: Path) -> None:
    triage = '```sh\npython -m runbooks dlq-purge --stack "$STACK"\n```'
    [problem] = _problems(runbooks_dir, _runbook(triage=triage))
    assert "invalid choice: 'dlq-purge'" in problem


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (
            "aws sqs get-queue-attribute --queue-url q",
            "'aws sqs' has no operation 'get-queue-attribute'",
        ),
        ("aws sqs get-queue-attributes --queue q", "unknown option(s) --queue"),
        ("aws sqlite get-things", "unknown AWS CLI service 'sqlite'"),
        ('FN="$(aws lambda get-function --function-nam f)"', "unknown option(s) --function-nam"),
    ],
)
def test_an_aws_command_that_does_not_exist_is_reported(
    runbooks_dir: Path, command: str, message: str
) -> None:
    [problem] = _problems(runbooks_dir, _runbook(triage=f"```sh\n{command}\n```"))
    assert problem.endswith(message)


@pytest.mark.parametrize(
    "command",
    [
        "aws sqs get-queue-attributes --queue-url q --attribute-names All --output text",
        "aws logs tail group --since 30m --filter-pattern '{ $.level = \"ERROR\" }'",
        "aws s3api head-object --bucket b --key k --version-id v",
        "aws dynamodb scan --table-name t --no-consistent-read --max-items 5",
        "aws sqs get-queue-attributes \\\n  --queue-url q",
        "aws deploy get-deployment --deployment-id d-1",
    ],
)
def test_real_aws_commands_pass(runbooks_dir: Path, command: str) -> None:
    assert _problems(runbooks_dir, _runbook(triage=f"```sh\n{command}\n```")) == []


def test_lint_command_exits_1_and_lists_problems(runbooks_dir: Path, run_cli: CliRunner) -> None:
    (runbooks_dir / "sample.md").write_text(_runbook(escalation="- Call Alex."), encoding="utf-8")
    result = run_cli("lint", "--dir", str(runbooks_dir))
    assert result.code == 1
    assert "sample.md:" in result.out
    assert "1 problem(s)" in result.out


def test_lint_command_exits_0_on_the_project_runbooks(run_cli: CliRunner) -> None:
    result = run_cli("lint")
    assert result.code == 0, result.out
