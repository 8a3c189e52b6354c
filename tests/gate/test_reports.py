"""The report formats: SARIF valid against the 2.1.0 schema, JUnit, JSON, Markdown, text;
each shows the gate's own findings and what the offline engine assumed, per stack."""

import dataclasses
import json
import xml.etree.ElementTree as ET

import jsonschema
import pytest

from gate.findings import (
    Assumption,
    Finding,
    GateResult,
    PassedCheck,
    SourceLocation,
    StackResult,
    apply_baseline,
    read_baseline,
)
from gate.reports import FORMATS, render
from gate.reports.json_report import result_from_report

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
    assert blocking["artifactLocation"]["uri"] == "serverless_platform/data/storage.py"
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
    assert blocking["source_location"] == {
        "path": "serverless_platform/data/storage.py",
        "line": 42,
    }


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
    assert "`serverless_platform/data/storage.py:42`" in markdown
    assert "| dev | `CKV_AWS_145` | aws:s3/bucket:Bucket 'logs' | S3 access logs need SSE-S3 |" in (
        markdown
    )
    # A pipe inside a message must not break the table.
    assert "tracing \\| on" in markdown


def test_text_report_gives_each_stack_and_the_verdict(result):
    text = render(result, "text", ROOT)

    assert "Stack dev: 10 resources, 4 findings (2 blocking) - FAILED" in text
    assert "suppressed: S3 access logs need SSE-S3" in text
    assert "at serverless_platform/data/storage.py:42" in text
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


# What the offline engine made up on the "dev" stack, in the order it recorded it.
DEV_ASSUMPTIONS = [
    Assumption("environment", "ran with .venv/bin/python (Python 3.11.9)"),
    Assumption("invoke", "aws:index/getCallerIdentity:getCallerIdentity answered (special) | mock"),
    Assumption("stack-reference-output", "org/network/prod output 'vpcId' was not supplied"),
]
PROD_ASSUMPTIONS = [Assumption("mocked-inputs", "aws:s3/bucket:Bucket 'logs': bucket invented")]


@pytest.fixture
def assumed(finding_factory):
    """A stack with a finding the gate raised itself and three assumptions, and a clean
    stack with one assumption."""
    unexpanded = finding_factory(
        "gate-unexpanded-component",
        "network",
        source="gate",
        category="coverage",
        severity="high",
        enforcement="mandatory",
        resource_type="awsx:ec2:Vpc",
        urn=urn_for("awsx:ec2:Vpc", "network"),
        message="awsx:ec2:Vpc 'network' is a remote component: its children are not seen",
        source_location=SourceLocation(str(ROOT / "serverless_platform" / "network.py"), 7),
        title="Remote component not expanded",
        description="The offline engine cannot expand a remote component.",
        help="",
        remediation="",
        tags=("coverage",),
    )
    return GateResult(
        [
            StackResult(
                "dev", resources=4, findings=[unexpanded], assumptions=list(DEV_ASSUMPTIONS)
            ),
            StackResult("prod", resources=2, assumptions=list(PROD_ASSUMPTIONS)),
        ]
    )


def test_text_lists_each_stacks_assumptions_after_its_findings(assumed):
    text = render(assumed, "text", ROOT)

    assert text.splitlines()[:12] == [
        "Stack dev: 4 resources, 1 findings (1 blocking) - FAILED",
        "  FAIL       gate gate-unexpanded-component [coverage] "
        "at serverless_platform/network.py:7",
        "             awsx:ec2:Vpc 'network' is a remote component: its children are not seen",
        "  Assumptions:",
        "    environment: ran with .venv/bin/python (Python 3.11.9)",
        "    invoke: aws:index/getCallerIdentity:getCallerIdentity answered (special) | mock",
        "    stack-reference-output: org/network/prod output 'vpcId' was not supplied",
        "",
        "Stack prod: 2 resources, 0 findings (0 blocking) - PASSED",
        "  Assumptions:",
        "    mocked-inputs: aws:s3/bucket:Bucket 'logs': bucket invented",
        "",
    ]


def test_text_keeps_a_message_over_several_lines_under_its_kind():
    result = GateResult(
        [StackResult("dev", resources=1, assumptions=[Assumption("invoke", "first\nsecond")])]
    )

    text = render(result, "text", ROOT)

    assert "  Assumptions:\n    invoke: first\n      second\n" in text


def test_markdown_has_an_assumptions_table_after_the_findings(assumed):
    markdown = render(assumed, "markdown", ROOT)

    findings_at = markdown.index("### Unsuppressed findings")
    section = markdown[markdown.index("### Assumptions") :]
    assert markdown.index("### Assumptions") > findings_at
    assert section.splitlines() == [
        "### Assumptions",
        "",
        "| Stack | Kind | Assumption |",
        "|---|---|---|",
        "| dev | `environment` | ran with .venv/bin/python (Python 3.11.9) |",
        "| dev | `invoke` | aws:index/getCallerIdentity:getCallerIdentity answered (special) "
        "\\| mock |",
        "| dev | `stack-reference-output` | org/network/prod output 'vpcId' was not supplied |",
        "| prod | `mocked-inputs` | aws:s3/bucket:Bucket 'logs': bucket invented |",
    ]


def test_markdown_cuts_a_long_assumption_list_with_a_count():
    many = [Assumption("invoke", f"invoke {i} answered (derived)") for i in range(53)]
    result = GateResult([StackResult("dev", resources=1, assumptions=many)])

    markdown = render(result, "markdown", ROOT)

    assert "| dev | `invoke` | invoke 49 answered (derived) |" in markdown
    assert "invoke 50 answered" not in markdown
    assert markdown.rstrip().endswith("...and 3 more.")


def test_junit_puts_each_suites_assumptions_in_its_system_out(assumed):
    suites = ET.fromstring(render(assumed, "junit", ROOT))

    dev = suites.find("testsuite[@name='stack dev']")
    prod = suites.find("testsuite[@name='stack prod']")
    assert dev.find("system-out").text == (
        "Assumptions:\n"
        "environment: ran with .venv/bin/python (Python 3.11.9)\n"
        "invoke: aws:index/getCallerIdentity:getCallerIdentity answered (special) | mock\n"
        "stack-reference-output: org/network/prod output 'vpcId' was not supplied"
    )
    assert prod.find("system-out").text == (
        "Assumptions:\nmocked-inputs: aws:s3/bucket:Bucket 'logs': bucket invented"
    )
    # The JUnit schema puts a suite's output after its test cases.
    assert [child.tag for child in dev] == ["testcase", "system-out"]


def test_junit_suite_without_assumptions_has_no_system_out(result):
    suites = ET.fromstring(render(result, "junit", ROOT))

    assert suites.find("testsuite/system-out") is None


def test_json_lists_assumptions_per_stack(assumed):
    document = json.loads(render(assumed, "json", ROOT))

    assert [s["assumptions"] for s in document["stacks"]] == [
        [
            {"kind": "environment", "message": "ran with .venv/bin/python (Python 3.11.9)"},
            {
                "kind": "invoke",
                "message": "aws:index/getCallerIdentity:getCallerIdentity answered (special) "
                "| mock",
            },
            {
                "kind": "stack-reference-output",
                "message": "org/network/prod output 'vpcId' was not supplied",
            },
        ],
        [{"kind": "mocked-inputs", "message": "aws:s3/bucket:Bucket 'logs': bucket invented"}],
    ]
    assert list(document["stacks"][0]) == [
        "stack",
        "resources",
        "passed",
        "findings",
        "assumptions",
        "passes",
        "stack_file",
    ]


def test_json_report_reads_back_with_its_assumptions(assumed):
    document = json.loads(render(assumed, "json", ROOT))

    again = result_from_report(document)

    assert [s.assumptions for s in again.stacks] == [DEV_ASSUMPTIONS, PROD_ASSUMPTIONS]


@pytest.mark.parametrize("report_format", sorted(FORMATS))
def test_a_json_report_re_renders_identically_in_every_format(assumed, report_format):
    document = json.loads(render(assumed, "json", ROOT))

    again = result_from_report(document)

    assert render(again, report_format, ROOT) == render(assumed, report_format, ROOT)


def test_a_json_report_from_before_assumptions_reads_back_with_none(assumed):
    document = json.loads(render(assumed, "json", ROOT))
    for stack in document["stacks"]:
        del stack["assumptions"]

    again = result_from_report(document)

    assert [s.assumptions for s in again.stacks] == [[], []]


def test_sarif_with_assumptions_and_gate_findings_is_valid(assumed):
    document = json.loads(render(assumed, "sarif", ROOT))

    jsonschema.validate(document, json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))


def test_sarif_reports_assumptions_as_note_notifications_of_the_invocation(assumed):
    run = json.loads(render(assumed, "sarif", ROOT))["runs"][0]

    (invocation,) = run["invocations"]
    assert invocation["executionSuccessful"] is True
    assert [
        (n["level"], n["descriptor"]["id"], n["properties"]["stack"], n["message"]["text"])
        for n in invocation["toolExecutionNotifications"]
    ] == [
        ("note", "environment", "dev", "[dev] ran with .venv/bin/python (Python 3.11.9)"),
        (
            "note",
            "invoke",
            "dev",
            "[dev] aws:index/getCallerIdentity:getCallerIdentity answered (special) | mock",
        ),
        (
            "note",
            "stack-reference-output",
            "dev",
            "[dev] org/network/prod output 'vpcId' was not supplied",
        ),
        ("note", "mocked-inputs", "prod", "[prod] aws:s3/bucket:Bucket 'logs': bucket invented"),
    ]
    descriptors = run["tool"]["driver"]["notifications"]
    assert [d["id"] for d in descriptors] == [
        "environment",
        "invoke",
        "stack-reference-output",
        "mocked-inputs",
    ]
    assert all(
        descriptors[n["descriptor"]["index"]]["id"] == n["descriptor"]["id"]
        for n in invocation["toolExecutionNotifications"]
    )


def test_sarif_without_assumptions_has_an_invocation_without_notifications(result):
    run = json.loads(render(result, "sarif", ROOT))["runs"][0]

    assert run["invocations"] == [{"executionSuccessful": True, "toolExecutionNotifications": []}]
    assert "notifications" not in run["tool"]["driver"]


def test_sarif_reports_a_gate_finding_as_a_rule_and_result_of_source_gate(assumed):
    run = json.loads(render(assumed, "sarif", ROOT))["runs"][0]

    (rule,) = run["tool"]["driver"]["rules"]
    (finding,) = run["results"]
    assert rule["id"] == "gate-unexpanded-component"
    assert rule["properties"]["tags"] == ["coverage", "gate", "security"]
    # No help and no remediation: the help is the title, not an empty "Remediation:".
    assert rule["help"]["text"] == "Remote component not expanded"
    assert (finding["ruleId"], finding["level"]) == ("gate-unexpanded-component", "error")
    assert finding["properties"]["source"] == "gate"
    assert finding["properties"]["category"] == "coverage"
    assert finding["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "serverless_platform/network.py"
    )


def test_junit_reports_a_gate_finding_as_a_failure_of_its_suite(assumed):
    suites = ET.fromstring(render(assumed, "junit", ROOT))

    dev = suites.find("testsuite[@name='stack dev']")
    (case,) = dev.iter("testcase")
    assert case.get("classname") == "dev.gate.gate-unexpanded-component"
    assert case.get("name") == "gate-unexpanded-component awsx:ec2:Vpc 'network'"
    assert case.find("failure").get("type") == "mandatory"
    assert (dev.get("tests"), dev.get("failures")) == ("1", "1")


def test_markdown_reports_a_gate_finding_under_coverage(assumed):
    markdown = render(assumed, "markdown", ROOT)

    assert "| coverage | 1 | 0 | 0 | 0 |" in markdown
    assert (
        "| dev | mandatory | `gate-unexpanded-component` | awsx:ec2:Vpc 'network' "
        "| `serverless_platform/network.py:7` "
        "| awsx:ec2:Vpc 'network' is a remote component: its children are not seen |"
    ) in markdown


def test_json_reports_a_gate_finding_with_source_gate(assumed):
    (finding,) = json.loads(render(assumed, "json", ROOT))["stacks"][0]["findings"]

    assert (finding["source"], finding["rule"], finding["category"]) == (
        "gate",
        "gate-unexpanded-component",
        "coverage",
    )
