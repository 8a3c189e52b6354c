"""Resource URNs are the stack's identity in its state: a URN that changes is a resource
Pulumi deletes and creates again. Moving code between modules must never change one.

`tests/fixtures/urns/<stack>.txt` holds every URN each stack plans. When a change means
to add, remove or rename resources, regenerate the files and review the diff: every
line that disappears is a resource that will be replaced or deleted.
"""

import pytest

from .conftest import ROOT

URNS = ROOT / "tests" / "fixtures" / "urns"


@pytest.mark.parametrize("stack", ["dev", "prod", "prod-eu", "prod-shared"])
def test_every_urn_is_the_one_the_stack_had(plan_stack, stack):
    planned = sorted(r.urn for r in plan_stack(stack).resources)
    recorded = (URNS / f"{stack}.txt").read_text(encoding="utf-8").splitlines()
    assert planned == recorded, "URNs changed: regenerate tests/fixtures/urns and review the diff"
