"""Planning many stacks: the warm engine, parallel plans, checkov once, and shards.

Speed is measured by `make bench`, never here; these tests hold what speed must not
change: the same plans and findings however the stacks are planned, stacks that cannot
see each other, and shards that merge into exactly the whole run.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gate.check import CheckOptions, run_check
from gate.checkov.runner import default_executable, scan_plans
from gate.cli import main
from gate.engine.planner import PlanJob, build_plan, build_plans
from gate.findings import GateResult
from gate.reports import render

ROOT = Path(__file__).resolve().parents[2]
POLLUTER = ROOT / "tests" / "fixtures" / "programs" / "polluter"
TINY = ROOT / "tests" / "fixtures" / "programs" / "tiny"
PACK_CONFIG = ROOT / "policy_pack" / "config.json"


def _report(result: GateResult) -> dict[str, object]:
    document = json.loads(render(result, "json", ROOT))
    document.pop("shard", None)
    return document


def _check(**options: object) -> GateResult:
    return run_check(
        CheckOptions(
            programs=[TINY, POLLUTER],
            policy_pack_config=PACK_CONFIG,
            checkov=False,
            **options,  # type: ignore[arg-type]
        )
    )


@pytest.fixture(scope="module")
def whole() -> GateResult:
    return _check(jobs=1, warm=False)


def test_a_program_that_pollutes_global_state_does_not_reach_the_next_stack():
    jobs = [PlanJob(POLLUTER, stack) for stack in ("a", "b", "c")]
    for plan in build_plans(jobs, parallel=1, warm=True):
        # Each plan ran in a child of its own: none saw another's changes.
        assert plan.outputs["plans_seen"] == 1
        assert plan.outputs["environment_marks"] == "x"


def test_the_warm_engine_plans_exactly_what_a_fresh_interpreter_plans():
    [warm] = build_plans([PlanJob(ROOT, "dev")], warm=True)
    cold = build_plan(ROOT, "dev")
    assert json.dumps(warm.redacted_dict(), sort_keys=True) == json.dumps(
        cold.redacted_dict(), sort_keys=True
    )


@pytest.mark.parametrize(("jobs", "warm"), [(2, False), (1, True), (2, True)])
def test_findings_are_the_same_with_any_jobs_and_engine(whole, jobs, warm):
    assert _report(_check(jobs=jobs, warm=warm)) == _report(whole)


def test_shards_merge_into_the_whole_run(whole, tmp_path):
    reports = []
    for index in (1, 2, 3):
        path = tmp_path / f"shard-{index}.json"
        path.write_text(render(_check(shard=(index, 3), jobs=2), "json", ROOT))
        reports += ["--from", str(path)]
    merged = tmp_path / "merged.json"
    code = main(["report", *reports, "--format", "json", "--output", str(merged)])
    assert code == whole.exit_code
    assert json.loads(merged.read_text()) == _report(whole)


def test_a_missing_shard_is_an_error_not_a_pass(tmp_path, capsys):
    path = tmp_path / "shard-1.json"
    path.write_text(render(_check(shard=(1, 2)), "json", ROOT))
    assert main(["report", "--from", str(path)]) == 2
    assert (
        "shard 2 of 2 is missing (stacks: tests/fixtures/programs/polluter/a, "
        "tests/fixtures/programs/polluter/c)"
    ) in capsys.readouterr().err


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--shard", "3/2"], "--shard: expected K/N with 1 <= K <= N (such as 2/4), got '3/2'"),
        (["--jobs", "0"], "--jobs: expected a number of stacks at least 1, got 0"),
    ],
)
def test_bad_scale_flags_are_refused(flags, message, capsys):
    code = main(["check", "--all-stacks", "--program", str(TINY), "--no-checkov", *flags])
    assert code == 2
    assert message in capsys.readouterr().err


@pytest.mark.slow
def test_one_checkov_run_keeps_apart_the_plans_of_programs_sharing_a_stack_name():
    plans = [build_plan(TINY, "test"), build_plan(POLLUTER, "a")]
    outcomes = scan_plans(plans, names=["tiny/test", "polluter/a"])
    assert set(outcomes) == {"tiny/test", "polluter/a"}
    queue_urns = {r.urn for r in plans[1].resources if r.type == "aws:sqs/queue:Queue"}
    checked = {f.urn for f in outcomes["polluter/a"].findings}
    checked |= {p.urn for p in outcomes["polluter/a"].passes}
    assert checked == queue_urns


@pytest.mark.slow
def test_checkov_scanning_each_plan_warm_finds_what_one_cold_run_finds(tmp_path, monkeypatch):
    """The warm interpreter scans each plan as it is made, one forked child per scan; a
    wrapper around the same checkov is run cold, once, over every plan. Same report."""
    options = {"programs": [TINY, POLLUTER], "policy_pack_config": PACK_CONFIG}
    per_plan = run_check(CheckOptions(**options, jobs=2, warm=True))  # type: ignore[arg-type]
    wrapper = tmp_path / "checkov"
    wrapper.write_text(f'#!/bin/sh\nexec "{default_executable()}" "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    monkeypatch.setenv("GATE_CHECKOV", str(wrapper))
    once = run_check(CheckOptions(**options, jobs=1, warm=False))  # type: ignore[arg-type]
    assert _report(per_plan) == _report(once)
    assert any(f.source == "checkov" for stack in once.stacks for f in stack.findings)


def test_progress_names_each_stack_as_it_plans_and_when_each_part_is_done():
    lines: list[str] = []
    _check(jobs=2, warm=True, progress=lines.append)
    fixtures = "tests/fixtures/programs"
    stacks = {f"{fixtures}/tiny/test", *(f"{fixtures}/polluter/{s}" for s in "abc")}
    assert {line.removeprefix("planning ") for line in lines if line.startswith("planning ")} == (
        stacks
    )
    planned = {line.split(" in ")[0].removeprefix("planned ") for line in lines}
    assert stacks <= planned
    assert any(line.startswith("policy packs evaluated on 4 stack(s)") for line in lines)
