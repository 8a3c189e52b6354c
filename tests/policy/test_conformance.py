"""The gate's evaluator against the Pulumi policy runtime itself.

Each fixture runs through `_PolicyAnalyzerServicer` (the analyzer `pulumi preview`
talks to) and through `gate.crossguard.evaluate.evaluate_plan`; they must agree on every
diagnostic and not-applicable result. Under the runtime a valid exemption simply means
no violation, so suppressed results are left out of the comparison.
"""

from typing import Any

import pytest
from pulumi_policy.policy import _PolicyAnalyzerServicer

from gate.crossguard.evaluate import (
    LoadedPack,
    evaluate_plan,
    parse_policy_config,
    resolve_policy_config,
)
from tests.policy.analyzer import Outcome, analyze, configure_request, gate_outcomes
from tests.policy.fixtures import ALL_CASES
from tests.policy.support import UNKNOWN, plan_of


def _runtime_outcomes(pack: LoadedPack, plan: Any, config: dict[str, Any]) -> list[Outcome]:
    servicer = _PolicyAnalyzerServicer(
        pack.name,
        pack.version,
        list(pack.policies),
        pack.enforcement_level,
        dict(pack.initial_config) or None,
    )
    servicer.Configure(
        configure_request(resolve_policy_config(pack, parse_policy_config(config))), None
    )
    return analyze(
        lambda request: servicer.Analyze(request, None),
        lambda request: servicer.AnalyzeStack(request, None),
        plan,
    )


def _key(outcome: Outcome) -> tuple[str, ...]:
    return tuple(str(part) for part in outcome)


@pytest.mark.parametrize("policy", sorted(ALL_CASES))
@pytest.mark.parametrize("unknown", [False, True], ids=["known", "unknown"])
def test_gate_matches_the_policy_runtime(policy: str, unknown: bool, pack: LoadedPack) -> None:
    # GIVEN a fixture, as written or with every input unknown
    case = ALL_CASES[policy]
    inputs = {s.name: dict.fromkeys(s.inputs, UNKNOWN) for s in case.resources} if unknown else None
    plan = plan_of(case.resources, inputs)
    # WHEN both the runtime's analyzer and the gate evaluate it
    expected = _runtime_outcomes(pack, plan, dict(case.config))
    actual = gate_outcomes(evaluate_plan(plan, pack, parse_policy_config(case.config)))
    # THEN they report the same things
    assert sorted(map(_key, actual)) == sorted(map(_key, expected))
