"""The engine's linear wait for outstanding outputs (gate.engine.quiescence) gives the
same plans and the same errors as the SDK's own loop."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest
from pulumi.runtime import stack

from gate.engine import quiescence
from gate.engine.planner import EngineError, build_plan
from gate.engine.runner import SDK_OUTPUT_WAIT_VARIABLE

ROOT = Path(__file__).resolve().parent.parent.parent

# Outputs that resolve late and chain, a resource fed by an apply, and an apply that
# fails after other resources registered: the cases the wait must get right.
CHAINED_PROGRAM = """
import pulumi
import pulumi_aws as aws

queue = aws.sqs.Queue("first")
names = [queue.arn.apply(lambda arn, i=i: f"{arn.split(':')[-1]}-{i}") for i in range(30)]
for index, name in enumerate(names):
    aws.sqs.Queue(f"chained-{index}", name=name.apply(lambda n: n + "-late"))
pulumi.export("names", pulumi.Output.all(*names))
"""
# The gate treats an apply that raises on invented resource values as unknown; one that
# raises on config values alone is the program's error, and must fail the run.
FAILING_APPLY = """
import pulumi
import pulumi_aws as aws

queue = aws.sqs.Queue("first")
aws.sqs.Queue("second", name=queue.arn.apply(lambda arn: "second"))

def fail(region):
    raise ValueError(f"apply failed after {region}")

pulumi.Output.from_input(pulumi.Config("aws").require("region")).apply(fail)
"""


def _program(directory: Path, source: str) -> Path:
    (directory / "Pulumi.yaml").write_text("name: waits\nruntime: python\n")
    (directory / "Pulumi.test.yaml").write_text("config:\n  aws:region: eu-west-1\n")
    (directory / "__main__.py").write_text(source)
    return directory


def test_the_pinned_sdks_loop_is_one_the_module_reproduces():
    """A new SDK whose loop changed falls back to the SDK's (correct, slower): this test
    says so when the pin moves, so that the module is reviewed against the new loop."""
    source = inspect.getsource(stack.wait_for_rpcs)
    assert quiescence.fingerprint(source) in quiescence.KNOWN_SDK_FUNCTIONS


def test_an_unknown_sdk_loop_is_left_in_place(monkeypatch):
    async def changed_loop(await_all_outstanding_tasks: bool = True) -> None:
        return None

    monkeypatch.setattr(stack, "wait_for_rpcs", changed_loop)
    assert quiescence.install() is False
    assert stack.wait_for_rpcs is changed_loop


@pytest.mark.parametrize("program", ["template", "chained"])
def test_plans_are_byte_identical_with_the_sdks_loop(program, tmp_path, monkeypatch):
    directory, name = (ROOT, "dev") if program == "template" else (tmp_path, "test")
    if program == "chained":
        _program(tmp_path, CHAINED_PROGRAM)
    linear = build_plan(directory, name)
    monkeypatch.setenv(SDK_OUTPUT_WAIT_VARIABLE, "sdk")
    assert build_plan(directory, name).to_json() == linear.to_json()
    if program == "chained":
        assert len(linear.resources) == 31


def test_a_failing_apply_is_the_same_error_with_either_loop(tmp_path, monkeypatch):
    _program(tmp_path, FAILING_APPLY)
    errors = []
    for loop in ("linear", "sdk"):
        monkeypatch.setenv(SDK_OUTPUT_WAIT_VARIABLE, loop)
        with pytest.raises(EngineError) as raised:
            build_plan(tmp_path, "test")
        errors.append(str(raised.value))
    assert "ValueError: apply failed after eu-west-1" in errors[0]
    assert errors[0] == errors[1]
