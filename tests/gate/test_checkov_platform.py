"""The bridge and the suppressions file on this template's own stacks."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from gate.checkov.runner import scan_plans
from gate.checkov.suppressions import Suppressions
from gate.checkov.tfplan import render_tfplan
from gate.engine.planner import build_plan
from gate.engine.project import load_project

from .conftest import PLATFORM_TYPES, ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def stack_plans():
    stacks = load_project(ROOT).stack_names()
    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(lambda stack: build_plan(ROOT, stack), stacks))


def test_every_aws_type_of_the_template_is_in_the_tested_type_table(stack_plans):
    used = {
        r.type
        for plan in stack_plans
        for r in plan.resources
        if r.custom and r.type.startswith("aws:")
    }

    assert used - PLATFORM_TYPES.keys() == set()
    assert all(render_tfplan(plan).not_rendered == [] for plan in stack_plans)


def test_every_suppression_matches_a_checkov_finding_in_some_stack(stack_plans):
    rules = Suppressions.for_program(ROOT)

    outcomes = scan_plans(stack_plans, suppressions=rules)

    suppressed = [
        (f.rule, f.urn, stack)
        for stack, outcome in outcomes.items()
        for f in outcome.findings
        if f.suppressed
    ]
    unused = [
        entry
        for entry in rules.entries
        if not any(entry.covers(rule, urn, stack) for rule, urn, stack in suppressed)
    ]
    assert unused == [], "suppressions that no longer match anything: remove them"
