"""`python -m gate check` end to end: exit codes, categories, formats and the baseline."""

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
SLOPPY = ROOT / "tests" / "fixtures" / "policy" / "programs" / "sloppy"
RAISES = ROOT / "tests" / "fixtures" / "programs" / "raises"


def gate(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gate", "check", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="module")
def sloppy_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, dict, Path]:
    path = tmp_path_factory.mktemp("reports") / "sloppy.json"
    result = gate(
        "--program", str(SLOPPY), "--all-stacks", "--format", "json", "--output", str(path)
    )
    return result.returncode, json.loads(path.read_text()), path


@pytest.mark.slow
def test_the_templates_own_stacks_and_bootstrap_pass_the_full_gate(tmp_path):
    report_path = tmp_path / "gate.json"
    result = gate(
        "--all-stacks",
        "--program",
        ".",
        "--program",
        "bootstrap",
        "--format",
        "json",
        "--output",
        str(report_path),
    )
    report = json.loads(report_path.read_text())
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert [s["stack"] for s in report["stacks"]] == [
        "dev",
        "prod",
        "prod-eu",
        "prod-shared",
        "bootstrap/shared",
    ]
    assert all(s["passed"] for s in report["stacks"])
    # Suppressed findings stay visible, each with its reason.
    suppressed = [f for s in report["stacks"] for f in s["findings"] if f["suppressed"]]
    assert suppressed
    assert all(len(f["suppression_reason"]) >= 10 for f in suppressed)


@pytest.mark.slow
def test_a_known_bad_program_fails_with_exit_1(sloppy_report):
    code, report, _ = sloppy_report
    assert code == 1
    assert report["stacks"][0]["passed"] is False


@pytest.mark.slow
@pytest.mark.parametrize(
    ("category", "policy", "checkov_check"),
    [
        ("encryption", "s3-bucket-encrypted-cmk", "CKV_AWS_145"),
        ("encryption", "sqs-queue-encrypted-cmk", "CKV_AWS_27"),
        ("iam", "iam-no-wildcard-actions", "CKV_AWS_355"),
        ("tracing", "lambda-function-tracing-active", "CKV_AWS_50"),
        ("resilience", "dynamodb-table-pitr", "CKV_AWS_28"),
        ("resilience", "lambda-event-source-mapping-batch-failures", None),
        ("tagging", "resource-tag-environment-allowed", None),
    ],
)
def test_known_bad_resources_are_flagged_in_their_category_by_the_pack_and_checkov(
    sloppy_report, category, policy, checkov_check
):
    _, report, _ = sloppy_report
    findings = report["stacks"][0]["findings"]
    by_policy = [f for f in findings if f["source"] == "policy" and f["rule"] == policy]
    assert by_policy, f"the pack did not report {policy}"
    assert {f["category"] for f in by_policy} == {category}
    assert all(f["source_location"]["path"].endswith("__main__.py") for f in by_policy)
    if checkov_check:
        assert any(f["source"] == "checkov" and f["rule"] == checkov_check for f in findings)


@pytest.mark.slow
def test_with_its_own_report_as_baseline_nothing_new_fails(sloppy_report):
    _, _, baseline = sloppy_report
    result = gate(
        "--program", str(SLOPPY), "--all-stacks", "--baseline", str(baseline), "--format", "json"
    )
    assert result.returncode == 0, result.stdout[-2000:]
    findings = json.loads(result.stdout)["stacks"][0]["findings"]
    assert findings
    assert all(f["baselined"] for f in findings if not f["suppressed"])


def test_an_empty_baseline_keeps_every_finding_blocking(tmp_path):
    baseline = tmp_path / "empty.json"
    baseline.write_text(json.dumps({"stacks": []}))
    result = gate(
        "--program", str(SLOPPY), "--all-stacks", "--no-checkov", "--baseline", str(baseline)
    )
    assert result.returncode == 1


@pytest.mark.parametrize("report_format", ["sarif", "junit", "markdown", "text"])
def test_every_report_format_is_written_to_the_output_file(tmp_path, report_format):
    path = tmp_path / f"report.{report_format}"
    result = gate(
        "--program",
        str(SLOPPY),
        "--all-stacks",
        "--no-checkov",
        "--format",
        report_format,
        "--output",
        str(path),
    )
    assert result.returncode == 1
    text = path.read_text()
    if report_format == "sarif":
        sarif = json.loads(text)
        assert sarif["version"] == "2.1.0"
        assert sarif["runs"][0]["results"]
    elif report_format == "junit":
        failures = list(ET.fromstring(text).iter("failure"))
        assert failures
    elif report_format == "markdown":
        assert "iam" in text
    else:
        assert "FAILED" in text


def test_a_program_that_raises_exits_2_with_its_message():
    result = gate("--program", str(RAISES), "--all-stacks", "--no-checkov")
    assert result.returncode == 2
    assert "bucket name 'Bad_Name' is not valid" in result.stderr


def test_a_broken_policy_pack_exits_2(tmp_path):
    (tmp_path / "PulumiPolicy.yaml").write_text("runtime: python\n")
    (tmp_path / "__main__.py").write_text("raise RuntimeError('pack cannot start')\n")
    result = gate(
        "--program", str(SLOPPY), "--all-stacks", "--no-checkov", "--policy-pack", str(tmp_path)
    )
    assert result.returncode == 2
    assert "pack cannot start" in result.stderr


def test_a_missing_baseline_or_stack_choice_exits_2():
    missing = gate("--program", str(SLOPPY), "--all-stacks", "--baseline", "nope.json")
    assert missing.returncode == 2
    assert "--baseline nope.json does not exist" in missing.stderr
    no_stacks = gate("--program", str(SLOPPY))
    assert no_stacks.returncode == 2
    assert "--all-stacks" in no_stacks.stderr


def test_an_unknown_format_is_refused_by_the_parser():
    result = gate("--all-stacks", "--format", "pdf")
    assert result.returncode == 2
    assert "invalid choice: 'pdf'" in result.stderr


def render_saved(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gate", "report", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("report_format", ["sarif", "junit", "markdown", "json"])
def test_report_renders_a_saved_json_report_exactly_as_check_would(tmp_path, report_format):
    # GIVEN one gate run saved as JSON, and the same run rendered directly
    saved = tmp_path / "gate.json"
    direct = tmp_path / f"direct.{report_format}"
    common = ["--program", str(SLOPPY), "--all-stacks", "--no-checkov"]
    gate(*common, "--format", "json", "--output", str(saved))
    gate(*common, "--format", report_format, "--output", str(direct))
    # WHEN the saved report is rendered in that format
    rendered = tmp_path / f"rendered.{report_format}"
    result = render_saved(
        "--from", str(saved), "--format", report_format, "--output", str(rendered)
    )
    # THEN it is the same document, and the exit code is the gate's verdict
    assert result.returncode == 1
    assert rendered.read_text() == direct.read_text()


def test_report_refuses_a_file_that_is_not_a_gate_report(tmp_path):
    bogus = tmp_path / "bogus.json"
    bogus.write_text('{"runs": []}')
    result = render_saved("--from", str(bogus), "--format", "markdown")
    assert result.returncode == 2
    assert "is not a gate JSON report" in result.stderr
