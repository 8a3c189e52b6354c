"""The finding model: what blocks the gate, categories of checkov checks, the baseline,
the gate's own findings and the engine's assumptions."""

import json

import pytest

from gate.findings import (
    Assumption,
    BaselineError,
    Finding,
    GateResult,
    StackResult,
    apply_baseline,
    read_baseline,
)


@pytest.mark.parametrize(
    ("fields", "blocking"),
    [
        ({}, True),
        ({"enforcement": "advisory"}, False),
        ({"suppressed": True, "suppression_reason": "SSE-S3 is required here"}, False),
        ({"baselined": True}, False),
    ],
)
def test_only_unsuppressed_new_mandatory_findings_block(finding_factory, fields, blocking):
    assert finding_factory(**fields).blocking is blocking


def test_exit_code_is_one_when_any_stack_has_a_blocking_finding(finding_factory):
    clean = StackResult("dev", resources=3)
    dirty = StackResult("prod", resources=3, findings=[finding_factory()])

    assert GateResult([clean]).exit_code == 0
    assert GateResult([clean, dirty]).exit_code == 1
    assert not GateResult([clean, dirty]).passed


def test_unknown_category_is_rejected(finding_factory):
    with pytest.raises(ValueError, match="category must be one of"):
        finding_factory(category="security")


def test_suppressed_finding_without_reason_is_rejected(finding_factory):
    with pytest.raises(ValueError, match="needs its reason"):
        finding_factory(suppressed=True)


def test_finding_round_trips_through_its_dict(finding_factory):
    finding = finding_factory(suppressed=True, suppression_reason="documented exception")

    assert Finding.from_dict(json.loads(json.dumps(finding.to_dict()))) == finding


def test_a_finding_the_gate_raises_is_a_coverage_finding_that_blocks(finding_factory):
    finding = finding_factory(
        "gate-unexpanded-component", "network", source="gate", category="coverage"
    )

    assert finding.blocking is True
    assert finding.key == (
        "gate",
        "gate-unexpanded-component",
        "urn:pulumi:test::app::aws:s3/bucket:Bucket::network",
    )
    assert Finding.from_dict(json.loads(json.dumps(finding.to_dict()))) == finding


def test_assumption_round_trips_through_its_dict():
    assumption = Assumption("invoke", "aws:index/getRegion:getRegion answered (derived)")

    data = json.loads(json.dumps(assumption.to_dict()))

    assert data == {"kind": "invoke", "message": "aws:index/getRegion:getRegion answered (derived)"}
    assert Assumption.from_dict(data) == assumption


def test_assumption_from_a_newer_report_ignores_unknown_keys():
    data = {"kind": "environment", "message": "ran with python3.12", "since": "v2"}

    assert Assumption.from_dict(data) == Assumption("environment", "ran with python3.12")


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"message": "no kind"}, KeyError),
        ({"kind": "invoke"}, KeyError),
        ({"kind": "invoke", "message": None}, ValueError),
        ({"kind": 3, "message": "a number"}, ValueError),
    ],
)
def test_assumption_without_a_string_kind_and_message_is_rejected(data, error):
    with pytest.raises(error):
        Assumption.from_dict(data)


def test_stack_result_has_no_assumptions_unless_given_and_keeps_its_positional_fields(
    finding_factory,
):
    finding = finding_factory()

    plain = StackResult("dev", 3, [finding], [], "Pulumi.dev.yaml")
    assumed = StackResult("dev", 3, assumptions=[Assumption("environment", "ran with python")])

    assert (plain.findings, plain.stack_file, plain.assumptions) == (
        [finding],
        "Pulumi.dev.yaml",
        [],
    )
    assert assumed.assumptions == [Assumption("environment", "ran with python")]
    assert assumed.passed is True


def test_baseline_keeps_each_stacks_assumptions(tmp_path, finding_factory):
    baseline = tmp_path / "baseline.json"
    baseline.write_text(json.dumps({"stacks": []}), encoding="utf-8")
    assumptions = [Assumption("stack-reference-output", "org/net/prod 'vpcId' not supplied")]
    result = GateResult(
        [StackResult("dev", 1, findings=[finding_factory()], assumptions=assumptions)]
    )

    again = apply_baseline(result, read_baseline(baseline))

    assert again.stacks[0].assumptions == assumptions


def test_stack_findings_without_a_location_point_at_the_stack_file(finding_factory):
    stack = StackResult("prod", resources=1)

    location = stack.location_of(finding_factory(source_location=None))

    assert (location.path, location.line) == ("Pulumi.prod.yaml", 1)


def test_baseline_lets_known_findings_pass_and_new_ones_fail(tmp_path, finding_factory):
    known = finding_factory("CKV_AWS_18", "logs")
    new = finding_factory("CKV_AWS_21", "logs")
    baseline = tmp_path / "baseline.json"
    baseline.write_text(
        json.dumps({"stacks": [{"stack": "dev", "findings": [known.to_dict()]}]}),
        encoding="utf-8",
    )

    result = apply_baseline(
        GateResult([StackResult("dev", resources=1, findings=[known, new])]),
        read_baseline(baseline),
    )

    flags = {f.rule: f.baselined for f in result.findings}
    assert flags == {"CKV_AWS_18": True, "CKV_AWS_21": False}
    assert result.exit_code == 1


def test_baseline_that_covers_everything_passes(tmp_path, finding_factory):
    known = finding_factory()
    baseline = tmp_path / "baseline.json"
    baseline.write_text(json.dumps({"stacks": [{"findings": [known.to_dict()]}]}))

    result = apply_baseline(
        GateResult([StackResult("prod", resources=1, findings=[known])]), read_baseline(baseline)
    )

    assert result.exit_code == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "does not exist"),
        ("not json", "is not JSON"),
        ("[]", 'with a "stacks" list'),
        ('{"stacks": [{"stack": "dev", "findings": [{"rule": "x"}]}]}', "without source"),
    ],
)
def test_unusable_baseline_is_an_error(tmp_path, content, message):
    path = tmp_path / "baseline.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")

    with pytest.raises(BaselineError, match=message):
        read_baseline(path)
