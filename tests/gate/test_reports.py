"""The report formats: SARIF valid against the 2.1.0 schema, JUnit, JSON, Markdown, text."""

import dataclasses
import json
import xml.etree.ElementTree as ET

import jsonschema
import pytest

from gate.findings import (
    Finding,
    GateResult,
    PassedCheck,
    StackResult,
    apply_baseline,
    read_baseline,
)
from gate.reports import FORMATS, render

from .conftest import FIXTURES, ROOT, urn_for

SARIF_SCHEMA = FIXTURES / "sarif" / "sarif-2.1.0-rtm.5.json"


@pytest.fixture
def result(finding_factory):
    """Two stacks with a finding in every state, a stack-level finding and a passed check."""
    blocking = finding_factory("CKV_AWS_18", "ingest")
    advisory = finding_factory(
        "lambda-function-tracing-active",
        "processor",
        source="policy",
        category="tracing",
        enforcement="advisory",
        resource_type="aws:lambda/function:Function",
        urn=urn_for("aws:lambda/function:Function", "processor"),
        message="Lambda function 'processor' does not have active X-Ray tracing | on",
        help="Set tracing_config.mode to Active.",
    )
    suppressed = finding_factory(
        "CKV_AWS_145",
        "logs",
        category="encryption",
        suppressed=True,
        suppression_reason="S3 access logs need SSE-S3",
    )
    stack_level = finding_factory(
        "required-stack-tags",
        "dev",
        source="policy",
        category="tagging",
        resource_type="pulumi:pulumi:Stack",
        urn=urn_for("pulumi:pulumi:Stack", "app-dev"),
        source_location=None,
    )
    passed = PassedCheck("checkov", "CKV_AWS_21", "aws:s3/bucket:Bucket", blocking.urn, "v")
    return GateResult(
        [
            StackResult(
                "dev",
                resources=10,
                findings=[suppressed, blocking, advisory, stack_level],
                passes=[passed],
            ),
            StackResult(
                "prod", resources=12, findings=[dataclasses.replace(blocking, baselined=True)]
            ),
        ]
    )


def test_sarif_is_valid_against_the_sarif_2_1_0_schema(result):
    document = json.loads(render(result, "sarif", ROOT))

    jsonschema.validate(document, json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))


def test_sarif_has_one_rule_per_check_with_help_and_remediation(result):
    run = json.loads(render(result, "sarif", ROOT))["runs"][0]

    rules = run["tool"]["driver"]["rules"]
    assert sorted(r["id"] for r in rules) == [
        "CKV_AWS_145",
        "CKV_AWS_18",
        "lambda-function-tracing-active",
        "required-stack-tags",
    ]
    assert all("Remediation:" in r["help"]["text"] for r in rules)
    assert all(
        run["results"][i]["ruleId"] == rules[run["results"][i]["ruleIndex"]]["id"]
        for i in range(len(run["results"]))
    )


def test_sarif_results_point_at_the_program_line_relative_to_the_repository(result):
    results = json.loads(render(result, "sarif", ROOT))["runs"][0]["results"]

    located = {
        (r["ruleId"], r["properties"]["stack"]): r["locations"][0]["physicalLocation"]
        for r in results
    }
    blocking = located[("CKV_AWS_18", "dev")]
    assert blocking["artifactLocation"]["uri"] == "serverless_platform/storage.py"
    assert blocking["region"]["startLine"] == 42
    stack_level = located[("required-stack-tags", "dev")]
    assert stack_level["artifactLocation"]["uri"] == "Pulumi.dev.yaml"


def test_sarif_marks_suppressions_levels_and_baseline(result):
    results = json.loads(render(result, "sarif", ROOT))["runs"][0]["results"]

    by_key = {(r["ruleId"], r["properties"]["stack"]): r for r in results}
    suppressed = by_key[("CKV_AWS_145", "dev")]
    assert suppressed["suppressions"] == [
        {"kind": "external", "status": "accepted", "justification": "S3 access logs need SSE-S3"}
    ]
    assert by_key[("CKV_AWS_18", "dev")]["level"] == "error"
    assert by_key[("lambda-function-tracing-active", "dev")]["level"] == "warning"
    assert by_key[("CKV_AWS_18", "prod")]["baselineState"] == "unchanged"


def test_junit_has_a_case_per_rule_and_resource_with_failures_and_skips(result):
    suites = ET.fromstring(render(result, "junit", ROOT))

    dev = suites.find("testsuite[@name='stack dev']")
    cases = {c.get("classname"): c for c in dev.iter("testcase")}
    assert cases["dev.checkov.CKV_AWS_18"].find("failure").get("type") == "mandatory"
    assert cases["dev.policy.lambda-function-tracing-active"].find("failure") is not None
    assert "SSE-S3" in cases["dev.checkov.CKV_AWS_145"].find("skipped").get("message")
    passed = cases["dev.checkov.CKV_AWS_21"]
    assert passed.find("failure") is None
    assert passed.find("skipped") is None
    assert (dev.get("tests"), dev.get("failures"), dev.get("skipped")) == ("5", "3", "1")
    assert (suites.get("tests"), suites.get("failures"), suites.get("skipped")) == ("6", "3", "2")


def test_json_report_has_the_documented_shape(result):
    document = json.loads(render(result, "json", ROOT))

    assert [s["stack"] for s in document["stacks"]] == ["dev", "prod"]
    dev = document["stacks"][0]
    assert (dev["resources"], dev["passed"]) == (10, False)
    fields = {f.name for f in dataclasses.fields(Finding)}
    assert all(set(f) == fields for f in dev["findings"])
    blocking = next(f for f in dev["findings"] if f["rule"] == "CKV_AWS_18")
    assert blocking["source_location"] == {"path": "serverless_platform/storage.py", "line": 42}


def test_json_report_is_a_baseline_that_passes_the_same_findings(result, tmp_path):
    baseline = tmp_path / "gate.json"
    baseline.write_text(render(result, "json", ROOT), encoding="utf-8")

    again = apply_baseline(result, read_baseline(baseline))

    assert not result.passed
    assert again.passed


def test_markdown_summarises_categories_findings_and_suppressions(result):
    markdown = render(result, "markdown", ROOT)

    assert markdown.startswith("## Compliance gate: failed")
    assert "| encryption | 0 | 0 | 1 | 0 |" in markdown
    assert "| logging | 1 | 0 | 0 | 1 |" in markdown
    assert "`serverless_platform/storage.py:42`" in markdown
    assert "| dev | `CKV_AWS_145` | aws:s3/bucket:Bucket 'logs' | S3 access logs need SSE-S3 |" in (
        markdown
    )
    # A pipe inside a message must not break the table.
    assert "tracing \\| on" in markdown


def test_text_report_gives_each_stack_and_the_verdict(result):
    text = render(result, "text", ROOT)

    assert "Stack dev: 10 resources, 4 findings (2 blocking) - FAILED" in text
    assert "suppressed: S3 access logs need SSE-S3" in text
    assert "at serverless_platform/storage.py:42" in text
    assert text.rstrip().endswith("FAILED (2 blocking findings)")


def test_a_clean_run_reports_passed_in_every_format():
    clean = GateResult([StackResult("dev", resources=3)])

    assert json.loads(render(clean, "json", ROOT))["passed"] is True
    assert "passed" in render(clean, "markdown", ROOT)
    assert ET.fromstring(render(clean, "junit", ROOT)).get("failures") == "0"
    assert json.loads(render(clean, "sarif", ROOT))["runs"][0]["results"] == []
    assert render(clean, "text", ROOT).rstrip().endswith("PASSED")


def test_unknown_format_is_an_error(result):
    with pytest.raises(ValueError, match="unknown report format 'html'"):
        render(result, "html", ROOT)
    assert set(FORMATS) == {"text", "json", "sarif", "junit", "markdown"}
