"""The offline plan engine on small programs: what it records and how it fails."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from gate.engine.planner import EngineError, build_plan

PROGRAMS = Path(__file__).resolve().parent.parent / "fixtures" / "programs"
ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture(scope="module")
def tiny_plan():
    return build_plan(PROGRAMS / "tiny", "test")


def test_plan_records_every_resource_with_type_name_and_parent(tiny_plan):
    assert [(r.type, r.name) for r in tiny_plan.resources] == [
        ("aws:kms/key:Key", "key"),
        ("aws:sqs/queue:Queue", "queue"),
        ("aws:sqs/queuePolicy:QueuePolicy", "queue-policy"),
    ]
    stack_urn = "urn:pulumi:test::tiny::pulumi:pulumi:Stack::tiny-test"
    assert {r.parent for r in tiny_plan.resources} == {stack_urn}


def test_inputs_are_in_wire_form_with_camel_case_keys(tiny_plan):
    queue = tiny_plan.by_type("aws:sqs/queue:Queue")[0]
    assert queue.inputs["name"] == "orders"
    assert queue.inputs["kmsMasterKeyId"].startswith("arn:aws:kms:eu-west-1:123456789012:key/")


def test_property_dependencies_point_at_the_resources_that_fed_each_input(tiny_plan):
    key = tiny_plan.by_type("aws:kms/key:Key")[0]
    queue = tiny_plan.by_type("aws:sqs/queue:Queue")[0]
    policy = tiny_plan.by_type("aws:sqs/queuePolicy:QueuePolicy")[0]
    assert queue.property_dependencies["kmsMasterKeyId"] == [key.urn]
    assert policy.property_dependencies["queueUrl"] == [queue.urn]
    assert queue.urn in policy.dependencies


def test_mocks_answer_with_region_specific_arns_and_urls(tiny_plan):
    policy = tiny_plan.by_type("aws:sqs/queuePolicy:QueuePolicy")[0]
    document = json.loads(policy.inputs["policy"])
    assert document["Statement"][0]["Resource"] == "arn:aws:sqs:eu-west-1:123456789012:orders"
    assert policy.inputs["queueUrl"] == "https://sqs.eu-west-1.amazonaws.com/123456789012/orders"


def test_invokes_and_exports_are_answered(tiny_plan):
    assert tiny_plan.outputs == {
        "account": "123456789012",
        "queue_arn": "arn:aws:sqs:eu-west-1:123456789012:orders",
    }


def test_source_position_names_the_program_file_and_line(tiny_plan):
    queue = tiny_plan.by_type("aws:sqs/queue:Queue")[0]
    assert queue.source_position is not None
    assert queue.source_position.path == str(PROGRAMS / "tiny" / "__main__.py")
    assert queue.source_position.line == 10


def test_plans_are_identical_run_after_run(tiny_plan):
    again = build_plan(PROGRAMS / "tiny", "test")
    assert again.to_json() == tiny_plan.to_json()


def test_program_exception_is_reported_with_its_message():
    with pytest.raises(EngineError, match=r"ValueError: bucket name 'Bad_Name' is not valid"):
        build_plan(PROGRAMS / "raises", "test")


def test_an_invoke_no_sdk_describes_names_its_token_and_the_way_to_supply_it():
    with pytest.raises(
        EngineError,
        match=r"no answer for the invoke 'acme:index/getWidget:getWidget'.*gate.yaml",
    ):
        build_plan(PROGRAMS / "unhandled_invoke", "test")


def test_unknown_stack_lists_the_stacks_that_exist():
    with pytest.raises(
        EngineError, match=r"stack 'nope' has no file Pulumi.nope.yaml.*stacks found: test"
    ):
        build_plan(PROGRAMS / "tiny", "nope")


def test_a_hanging_program_times_out_instead_of_hanging(tmp_path):
    (tmp_path / "Pulumi.yaml").write_text("name: hang\nruntime: python\n")
    (tmp_path / "Pulumi.test.yaml").write_text("config: {}\n")
    (tmp_path / "__main__.py").write_text("import time\ntime.sleep(60)\n")
    with pytest.raises(EngineError, match="did not finish within 2s"):
        build_plan(tmp_path, "test", timeout=2)


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gate", *args], cwd=ROOT, capture_output=True, text=True, check=False
    )


def test_cli_plan_json_prints_project_stack_and_resources():
    result = run_cli(
        "plan", "--program", str(PROGRAMS / "tiny"), "--stack", "test", "--format", "json"
    )
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert (document["project"], document["stack"]) == ("tiny", "test")
    assert {
        "urn",
        "type",
        "name",
        "parent",
        "provider",
        "inputs",
        "dependencies",
        "property_dependencies",
    } <= set(document["resources"][0])


def test_cli_plan_exits_2_with_the_programs_error_and_no_fd_noise():
    result = run_cli("plan", "--program", str(PROGRAMS / "raises"), "--stack", "test")
    assert result.returncode == 2
    assert "gate: error:" in result.stderr
    assert "bucket name 'Bad_Name' is not valid" in result.stderr
    assert "Invalid file descriptor" not in result.stderr


def test_cli_text_plan_is_a_table_of_type_name_parent():
    result = run_cli("plan", "--program", str(PROGRAMS / "tiny"), "--stack", "test")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Plan for tiny/test: 3 resources"
    assert lines[2].split() == ["TYPE", "NAME", "PARENT"]
    assert any(line.split()[:2] == ["aws:sqs/queue:Queue", "queue"] for line in lines)


def test_resource_references_reach_the_mock_monitor_as_ids_never_as_references():
    # The mock monitor deserializes on a worker thread, where a reference would be
    # rehydrated into a resource bound to that thread's own event loop (a hang).
    from google.protobuf import json_format
    from pulumi.runtime.proto import resource_pb2

    from gate.engine.runner import _without_resource_refs
    from gate.engine.wire import RESOURCE_REF_SIG, SIG_KEY

    reference = {
        SIG_KEY: RESOURCE_REF_SIG,
        "urn": "urn:pulumi:s::p::aws:lb/targetGroup:TargetGroup::tg",
        "id": "tg-1",
    }
    request = resource_pb2.RegisterResourceRequest(type="x:y:Z", name="svc")
    json_format.ParseDict({"target": reference, "nested": [{"group": reference}]}, request.object)
    clean = _without_resource_refs(request, "object")
    assert json_format.MessageToDict(clean.object) == {
        "target": "tg-1",
        "nested": [{"group": "tg-1"}],
    }
    assert clean.name == "svc"
    # A request without references is passed on as it is.
    plain = resource_pb2.RegisterResourceRequest(type="x:y:Z", name="plain")
    assert _without_resource_refs(plain, "object") is plain
