"""Running checkov and reading its report: failures are errors, never "no findings"."""

import datetime
import json
import sys
import textwrap

import pytest

from gate.checkov.runner import (
    CheckovError,
    CheckResult,
    WarmCheckov,
    parse_report,
    run_checkov,
    scan_plans,
    to_outcome,
)
from gate.checkov.suppressions import Suppressions
from gate.checkov.tfplan import render_tfplan

TODAY = datetime.date(2026, 6, 1)


def report(*, failed=(), passed=(), parsing_errors=0):
    def check(check_id, address, name="a check"):
        return {
            "check_id": check_id,
            "check_name": name,
            "resource": address,
            "file_path": "/test/tfplan.json",
            "guideline": None,
            "severity": None,
        }

    return {
        "check_type": "terraform_plan",
        "results": {
            "passed_checks": [check(*c) for c in passed],
            "failed_checks": [check(*c) for c in failed],
        },
        "summary": {"parsing_errors": parsing_errors},
    }


@pytest.fixture
def fake_checkov(tmp_path):
    """An executable standing in for checkov: prints `stdout` and exits with `code`."""

    def make(stdout: str, code: int = 0, *, sleep: float = 0, stderr: str = ""):
        script = tmp_path / "checkov"
        script.write_text(
            textwrap.dedent(
                f"""\
                #!{sys.executable}
                import os, sys, time
                time.sleep({sleep})
                assert os.environ["BC_SKIP_MAPPING"] == "TRUE"
                assert "BC_API_KEY" not in os.environ
                assert "--skip-download" in sys.argv
                sys.stdout.write({stdout!r})
                sys.stderr.write({stderr!r})
                sys.exit({code})
                """
            ),
            encoding="utf-8",
        )
        script.chmod(0o755)
        return script

    return make


def test_failed_and_passed_checks_are_read(fake_checkov, tmp_path, monkeypatch):
    monkeypatch.setenv("BC_API_KEY", "must-not-reach-checkov")
    document = report(failed=[("CKV_AWS_18", "aws_s3_bucket.logs")], passed=[("CKV_AWS_21", "x")])
    checkov = fake_checkov(json.dumps(document), code=1)

    results = run_checkov(tmp_path, "terraform_plan", executable=checkov)

    assert [(r.check_id, r.outcome) for r in results] == [
        ("CKV_AWS_21", "passed"),
        ("CKV_AWS_18", "failed"),
    ]


def test_a_list_of_reports_and_an_empty_summary_are_read(fake_checkov, tmp_path):
    empty = {"passed": 0, "failed": 0, "skipped": 0, "parsing_errors": 0}
    document = [report(failed=[("CKV_AWS_18", "aws_s3_bucket.logs")]), empty]

    results = run_checkov(tmp_path, "terraform", executable=fake_checkov(json.dumps(document), 1))

    assert [r.check_id for r in results] == ["CKV_AWS_18"]


@pytest.mark.parametrize(
    ("stdout", "code", "message"),
    [
        ("", 2, "exited with code 2"),
        ("Traceback (most recent call last):", 1, "other than its JSON report"),
        ('{"unexpected": true}', 0, "unexpected checkov report"),
        (json.dumps(report(parsing_errors=1)), 0, "could not parse 1 file"),
    ],
)
def test_broken_checkov_runs_are_errors(fake_checkov, tmp_path, stdout, code, message):
    with pytest.raises(CheckovError, match=message):
        run_checkov(tmp_path, "terraform_plan", executable=fake_checkov(stdout, code))


def test_missing_checkov_is_an_error(tmp_path):
    with pytest.raises(CheckovError, match="not installed"):
        run_checkov(tmp_path, "terraform_plan", executable=tmp_path / "no-checkov")


def test_hung_checkov_is_an_error(fake_checkov, tmp_path):
    with pytest.raises(CheckovError, match="did not finish"):
        run_checkov(tmp_path, "terraform_plan", executable=fake_checkov("{}", sleep=5), timeout=1)


def test_parse_report_keeps_the_details_of_a_crash():
    with pytest.raises(CheckovError) as error:
        parse_report("not json", stderr="ImportError: boom")
    assert "ImportError: boom" in error.value.details


@pytest.fixture
def bucket_plan(resource_factory, plan_factory):
    bucket = resource_factory("aws:s3/bucket:Bucket", "storage-access-logs-bucket")
    return plan_factory(bucket)


def failed(check_id, address="aws_s3_bucket.storage_access_logs_bucket"):
    return CheckResult(check_id, "Ensure a thing", "failed", address, "/test/tfplan.json")


def test_results_map_back_to_the_pulumi_resource_and_its_source_line(bucket_plan):
    outcome = to_outcome(
        bucket_plan, render_tfplan(bucket_plan), [failed("CKV_AWS_18")], Suppressions(), TODAY
    )

    (finding,) = outcome.findings
    (bucket,) = bucket_plan.resources
    assert finding.urn == bucket.urn
    assert finding.resource_type == "aws:s3/bucket:Bucket"
    assert finding.source_location.line == 7
    assert finding.enforcement == "mandatory"
    # The category is checkov's own (S3 access logging is LOGGING), not read off the name.
    assert finding.category == "logging"
    assert "'storage-access-logs-bucket'" in finding.message


def checked_with_suppression(bucket_plan, **extra):
    """The one finding of CKV_AWS_145 on the bucket, under a suppression of it."""
    entry = {"check": "CKV_AWS_145", "resource": "*access-logs*"}
    entry |= {"reason": "log delivery needs SSE-S3", **extra}
    rules = Suppressions.parse({"suppressions": [entry]}, "inline")
    outcome = to_outcome(
        bucket_plan, render_tfplan(bucket_plan), [failed("CKV_AWS_145")], rules, TODAY
    )
    (finding,) = outcome.findings
    return finding


def test_suppressed_results_carry_the_reason(bucket_plan):
    finding = checked_with_suppression(bucket_plan)

    assert finding.suppressed
    assert finding.suppression_reason == "log delivery needs SSE-S3"
    assert not finding.blocking


def test_expired_suppression_no_longer_applies(bucket_plan):
    finding = checked_with_suppression(bucket_plan, expires="2026-05-31")

    assert finding.blocking
    assert "expired on 2026-05-31" in finding.message


def test_passed_provider_checks_are_ignored(bucket_plan):
    passed = CheckResult("CKV_AWS_41", "No credentials", "passed", "aws.default", "/t.json")

    outcome = to_outcome(bucket_plan, render_tfplan(bucket_plan), [passed], Suppressions(), TODAY)

    assert outcome.findings == outcome.passes == []


@pytest.mark.parametrize("address", ["aws.default", "aws_s3_bucket.ghost"])
def test_failures_on_anything_but_a_rendered_resource_are_errors(bucket_plan, address):
    with pytest.raises(CheckovError, match=r"provider block|not in stack test"):
        to_outcome(
            bucket_plan,
            render_tfplan(bucket_plan),
            [failed("CKV_AWS_41", address)],
            Suppressions(),
            TODAY,
        )


def test_a_warm_checkov_reports_what_a_cold_run_reports(bucket_plan):
    """The interpreter started early (gate.checkov.warm_driver) runs checkov exactly as
    its console script does: same checks, same outcomes."""
    warm = WarmCheckov.start()
    assert warm is not None, "the repository's checkov is a console script"
    try:
        warm_outcomes = scan_plans([bucket_plan], warm=warm, today=TODAY)
    finally:
        warm.close()
    cold_outcomes = scan_plans([bucket_plan], today=TODAY)
    warm_outcome, cold_outcome = warm_outcomes["test"], cold_outcomes["test"]
    # checkov's own order of checks is not stable from run to run; the set is.
    assert sorted(map(repr, warm_outcome.findings)) == sorted(map(repr, cold_outcome.findings))
    assert sorted(map(repr, warm_outcome.passes)) == sorted(map(repr, cold_outcome.passes))
    assert warm_outcome.findings


def test_anything_but_checkovs_console_script_runs_cold(fake_checkov, tmp_path):
    """A stand-in, a wrapper or a binary is run as it is: only checkov's own console
    script can be imported ahead of time."""
    stand_in = fake_checkov(json.dumps(report()))
    assert WarmCheckov.start(stand_in) is None
    assert run_checkov(tmp_path, "terraform_plan", executable=stand_in) == []


def test_a_warm_checkov_that_is_never_used_ends_with_the_run():
    warm = WarmCheckov.start()
    assert warm is not None
    warm.close()
    assert warm._process.poll() is not None


def test_a_warm_scan_that_runs_out_of_time_is_an_error(bucket_plan):
    warm = WarmCheckov.start()
    assert warm is not None
    try:
        with pytest.raises(CheckovError, match="did not finish within 0s"):
            scan_plans([bucket_plan], warm=warm, timeout=0.01, today=TODAY)
    finally:
        warm.close()


def test_a_warm_checkov_that_dies_is_an_error_not_a_pass(bucket_plan):
    """Its interpreter killed before it answered: no report, so the run fails (exit 2)."""
    warm = WarmCheckov.start()
    assert warm is not None
    warm._process.kill()
    warm._process.wait()
    try:
        with pytest.raises(CheckovError, match="checkov"):
            scan_plans([bucket_plan], warm=warm, today=TODAY)
    finally:
        warm.close()
