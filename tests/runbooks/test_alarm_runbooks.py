"""Every alarm the platform defines has a runbook, and every runbook has an alarm or is
listed as general.

The alarms come from planning the real program with the offline engine (the `runbook`
tag of every MetricAlarm, exactly as deployed), cross-checked against the slugs that
`serverless_platform.operations.alarm_catalog` builds from each stack's config.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from gate.engine.planner import build_plan
from gate.engine.project import load_project, load_stack_config
from runbooks.catalog import GENERAL_RUNBOOKS, RUNBOOKS_DIR, runbook_files
from serverless_platform.config import parse_config
from serverless_platform.operations import alarm_catalog

ROOT = Path(__file__).resolve().parent.parent.parent
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
STACKS = load_project(ROOT).stack_names()


def _planned_runbooks(stack: str) -> dict[str, str]:
    """Alarm name -> its `runbook` tag, in the stack's plan."""
    plan = build_plan(ROOT, stack)
    return {alarm.inputs["name"]: alarm.inputs["tags"]["runbook"] for alarm in plan.by_type(ALARM)}


@pytest.fixture(scope="module")
def plans() -> dict[str, dict[str, str]]:
    # Each plan runs the program in its own interpreter: plan the stacks side by side.
    with ThreadPoolExecutor() as pool:
        return dict(zip(STACKS, pool.map(_planned_runbooks, STACKS), strict=True))


@pytest.fixture(params=STACKS)
def stack(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def planned_runbooks(plans: dict[str, dict[str, str]], stack: str) -> dict[str, str]:
    return plans[stack]


def _catalog_slugs(stack: str) -> set[str]:
    project = load_project(ROOT)
    prefix = f"{project.name}:"
    values = load_stack_config(project, stack).values
    config = parse_config(
        {k.removeprefix(prefix): v for k, v in values.items() if k.startswith(prefix)}
    )
    alarms = config.alarms
    specs = [
        *alarm_catalog.processor_alarms(alarms, config.processor, "processor"),
        *alarm_catalog.queue_alarms(alarms, "queue", "dlq"),
        *alarm_catalog.api_alarms(alarms, "api", "stage", "api-function"),
        *alarm_catalog.workflow_alarms(alarms, "state-machine-arn"),
        *alarm_catalog.table_alarms(alarms, "table"),
    ]
    return {spec.slug for spec in specs}


def _slug(runbook_tag: str) -> str:
    return runbook_tag.removeprefix("runbooks/").removesuffix(".md")


def test_the_plan_has_alarms(planned_runbooks: dict[str, str]) -> None:
    assert planned_runbooks, "the plan defines no MetricAlarm: the alarm lookup is broken"


def test_every_planned_alarm_has_its_runbook_file(planned_runbooks: dict[str, str]) -> None:
    missing = {name: tag for name, tag in planned_runbooks.items() if not (ROOT / tag).is_file()}
    assert missing == {}


def test_every_runbook_has_an_alarm_or_is_general(planned_runbooks: dict[str, str]) -> None:
    alarm_slugs = {_slug(tag) for tag in planned_runbooks.values()}
    orphans = {path.stem for path in runbook_files()} - alarm_slugs - GENERAL_RUNBOOKS
    assert orphans == set()


def test_general_runbooks_exist_and_answer_no_alarm(planned_runbooks: dict[str, str]) -> None:
    alarm_slugs = {_slug(tag) for tag in planned_runbooks.values()}
    assert {
        name for name in GENERAL_RUNBOOKS if not (RUNBOOKS_DIR / f"{name}.md").is_file()
    } == set()
    assert GENERAL_RUNBOOKS & alarm_slugs == set()


def test_each_alarm_runbook_is_titled_by_its_slug_and_names_its_alarm(
    planned_runbooks: dict[str, str],
) -> None:
    for tag in planned_runbooks.values():
        slug = _slug(tag)
        text = (ROOT / tag).read_text(encoding="utf-8")
        assert text.startswith(f"# {slug}: "), tag
        assert f"`serverless-platform-<env>-{slug}`" in text, tag


def test_the_alarm_catalog_and_the_plan_agree_on_the_slugs(
    planned_runbooks: dict[str, str], stack: str
) -> None:
    assert {_slug(tag) for tag in planned_runbooks.values()} == _catalog_slugs(stack)
