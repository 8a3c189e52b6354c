"""A program runs as under `pulumi preview`: a dry run, computed outputs answered,
StackReferences from gate.yaml, and nothing it could not see passed in silence."""

import shutil
from pathlib import Path

import pytest

from gate.check import CheckOptions, run_check
from gate.engine.planner import EngineError, EngineOptions, build_plan

pytestmark = pytest.mark.slow

PROGRAMS = Path(__file__).resolve().parent.parent / "fixtures" / "programs"
PREVIEW = PROGRAMS / "preview"
REMOTE = PROGRAMS / "remote_component"


@pytest.fixture(scope="module")
def preview_plan():
    return build_plan(PREVIEW, "test")


def _mocks_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "gate.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_program_sees_a_dry_run(preview_plan):
    assert preview_plan.outputs["dry_run"] is True


def test_computed_outputs_the_program_reads_are_answered_like_aws(preview_plan):
    outputs = preview_plan.outputs
    assert outputs["api_endpoint"].startswith("https://")
    assert outputs["api_endpoint"].endswith(".execute-api.eu-west-1.amazonaws.com")
    assert outputs["execution_arn"].startswith("arn:aws:execute-api:eu-west-1:123456789012:")
    assert outputs["dns_name"].endswith(".eu-west-1.elb.amazonaws.com")
    assert outputs["rule_arn"].startswith("arn:aws:events:eu-west-1:123456789012:rule/nightly-")
    assert outputs["secret_arn"].startswith("arn:aws:secretsmanager:eu-west-1:123456789012:")


def test_every_invoke_is_recorded_with_how_it_was_answered_and_no_secret(preview_plan):
    assert [(i["token"], i["answer"]) for i in preview_plan.invokes] == [
        ("aws:ec2/getAmi:getAmi", "special"),
        ("aws:ec2/getInstanceType:getInstanceType", "derived"),
        ("aws:ssm/getParameter:getParameter", "special"),
    ]
    # The parameter name came from a secret config value: it is never written out.
    assert preview_plan.invokes[2]["args"] == {"name": "[secret]"}
    assert preview_plan.outputs["ami_most_recent"] is True


def test_an_unsupplied_stack_reference_output_is_absent_and_named(preview_plan):
    assert "vpc_id" not in preview_plan.outputs or preview_plan.outputs["vpc_id"] is None
    assert [
        w["message"] for w in preview_plan.warnings if w["kind"] == "stack-reference-output"
    ] == [
        "StackReference 'acme/network/prod' output 'securityGroupId' was not supplied (gate.yaml "
        "stackReferences), so the program saw it absent",
        "StackReference 'acme/network/prod' output 'vpcId' was not supplied (gate.yaml "
        "stackReferences), so the program saw it absent",
    ]


def test_supplied_stack_reference_outputs_reach_the_program(tmp_path):
    mocks = _mocks_file(
        tmp_path,
        "stackReferences:\n"
        "  acme/network/prod: {vpcId: vpc-0aaaaaaaaaaaaaaaa}\n"
        "stacks:\n"
        "  test:\n"
        "    stackReferences:\n"
        "      acme/network/prod: {securityGroupId: sg-0bbbbbbbbbbbbbbbb}\n",
    )
    plan = build_plan(PREVIEW, "test", options=EngineOptions(mocks_file=mocks))
    assert plan.outputs["vpc_id"] == "vpc-0aaaaaaaaaaaaaaaa"
    database = plan.by_type("aws:rds/cluster:Cluster")[0]
    assert database.inputs["vpcSecurityGroupIds"] == ["sg-0bbbbbbbbbbbbbbbb"]
    assert [w for w in plan.warnings if w["kind"] == "stack-reference-output"] == []


def test_a_supplied_invoke_answer_is_used_and_recorded_as_supplied(tmp_path):
    mocks = _mocks_file(
        tmp_path,
        "invokes:\n"
        "  - token: aws:ec2/getAmi:getAmi\n"
        "    args: {owners: ['099720109477']}\n"
        "    result: {id: ami-0pinned00000000000}\n",
    )
    plan = build_plan(PREVIEW, "test", options=EngineOptions(mocks_file=mocks))
    assert plan.outputs["ami"] == "ami-0pinned00000000000"
    assert plan.invokes[0]["answer"] == "supplied"


def test_a_malformed_gate_yaml_names_the_entry(tmp_path):
    mocks = _mocks_file(tmp_path, "invokes:\n  - token: aws:ec2/getAmi:getAmi\n")
    with pytest.raises(EngineError, match=r"'invokes\[0\]\.result': expected a mapping"):
        build_plan(PREVIEW, "test", options=EngineOptions(mocks_file=mocks))


def test_a_callback_that_fails_on_invented_values_is_unknown_and_named(preview_plan):
    (warning,) = [w for w in preview_plan.warnings if w["kind"] == "apply-unknown"]
    assert "preview/__main__.py:29 raised ValueError" in warning["message"]
    assert "under `pulumi preview` those are unknown" in warning["message"]


def test_inputs_fed_by_invented_outputs_are_marked(preview_plan):
    # GIVEN a listener whose load balancer ARN the engine invented
    marked = {r.name: r.mocked_inputs for r in preview_plan.resources if r.mocked_inputs}
    # THEN exactly that input is marked, with the output it came from
    assert marked == {
        "http": [
            {
                "input": "loadBalancerArn",
                "from": "urn:pulumi:test::preview::aws:lb/loadBalancer:LoadBalancer::web",
                "output": "arn",
            }
        ]
    }


def test_a_remote_component_is_a_mandatory_coverage_finding():
    # GIVEN a program with a multi-language component (children only its plugin builds)
    result = run_check(CheckOptions(programs=[REMOTE], stacks=["test"], checkov=False))
    # THEN the gate fails on it, naming the component and what was not checked
    findings = {
        f.urn.rsplit("::", 1)[-1]: f
        for f in result.findings
        if f.rule == "gate-unexpanded-component"
    }
    assert sorted(findings) == ["api", "front", "web"]
    finding = findings["web"]
    assert finding.source == "gate"
    assert finding.category == "coverage"
    assert finding.blocking
    assert finding.message.startswith("awsx:lb:ApplicationLoadBalancer 'web' is a multi-language")
    assert result.exit_code == 1


def test_a_remote_component_can_be_accepted_with_a_reason(tmp_path):
    # GIVEN a copy of the program with a suppression for its component
    program = tmp_path / "remote"
    program.mkdir()
    shutil.copytree(REMOTE, program, dirs_exist_ok=True)
    (program / "checkov-suppressions.yaml").write_text(
        "suppressions:\n"
        "  - check: gate-unexpanded-component\n"
        "    resource: '*'\n"
        "    reason: its children were checked with pulumi preview --policy-pack on 2026-11-30\n",
        encoding="utf-8",
    )
    result = run_check(CheckOptions(programs=[program], stacks=["test"], checkov=False))
    findings = [f for f in result.findings if f.rule == "gate-unexpanded-component"]
    assert len(findings) == 3
    assert all(f.suppressed and not f.blocking for f in findings)
    assert findings[0].suppression_reason.startswith("its children were checked")


def test_a_remote_component_answers_its_resource_outputs_with_stand_ins():
    # GIVEN components whose SDK declares resource outputs (a load balancer, a target
    # group), one of which the program passes on to another remote component
    plan = build_plan(REMOTE, "test")
    # THEN the program reads them like resources of their own type
    assert plan.outputs["dns_name"].endswith(".us-east-1.elb.amazonaws.com")
    assert plan.outputs["target_group"].startswith(
        "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetGroup/"
    )
    assert plan.outputs["service_name"].startswith("api-serviceName-")
    # AND the stand-ins are not planned: only the components and the program's own bucket
    assert sorted((r.type, r.remote) for r in plan.resources) == [
        ("aws:s3/bucketV2:BucketV2", False),
        ("awsx:lb:ApplicationLoadBalancer", True),
        ("fakex:lb:Balancer", True),
        ("fakex:lb:Service", True),
    ]
