"""Every policy against its pass and fail fixtures: exactly the `fail-*` resources are
reported, each message names its resource, and nothing else breaks."""

import pytest

import policy_pack
from gate.crossguard.evaluate import PolicyResult
from tests.policy.conftest import Evaluate
from tests.policy.fixtures import ALL_CASES
from tests.policy.support import Case

# Covered by test_exemptions.py: its fixture is a config, not resources.
CONFIG_POLICIES = {"policy-exemptions-valid"}


def _violations(results: list[PolicyResult], policy: str) -> list[PolicyResult]:
    return [result for result in results if result.policy == policy and result.is_violation]


def test_every_policy_has_a_fixture() -> None:
    names = {policy.name for policy in policy_pack.POLICIES}
    assert names - CONFIG_POLICIES == set(ALL_CASES)


@pytest.mark.parametrize("policy", sorted(ALL_CASES))
def test_fixture_has_pass_and_fail_subjects(policy: str) -> None:
    case: Case = ALL_CASES[policy]
    assert case.names("pass-"), f"{policy} has no pass-* resource"
    assert case.names("fail-"), f"{policy} has no fail-* resource"


@pytest.mark.parametrize("policy", sorted(ALL_CASES))
def test_policy_reports_exactly_the_failing_resources(policy: str, evaluate: Evaluate) -> None:
    # GIVEN the policy's fixture
    case = ALL_CASES[policy]
    # WHEN the whole pack runs on it
    results = evaluate(case.resources, case.config)
    # THEN exactly the fail-* resources are reported, each by name
    violations = _violations(results, policy)
    assert {v.resource_name for v in violations} == case.names("fail-")
    for violation in violations:
        assert f"'{violation.resource_name}'" in violation.message
        assert not violation.suppressed
