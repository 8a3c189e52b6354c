"""The evaluator on a third-party-style pack: config, enforcement levels, async
validators, providers, secrets, stack relations, not-applicable results, crashes."""

from typing import Any

import pytest
from pulumi_policy.policy import _PolicyAnalyzerServicer

from gate.crossguard.evaluate import (
    PolicyConfigError,
    PolicyEvaluationError,
    evaluate_plan,
    load_policy_pack,
    parse_policy_config,
    passed_checks,
    resolve_policy_config,
)
from gate.crossguard.results import NOT_APPLICABLE, VIOLATION
from gate.engine.plan import Plan, PlannedResource
from tests.policy.analyzer import analyze, configure_request, gate_outcomes
from tests.policy.conftest import Evaluate
from tests.policy.fixtures import ALL_CASES
from tests.policy.test_loader import PACKS

SECRET = {
    "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
    "value": "hunter2",
}
PROVIDER = "urn:pulumi:t::p::pulumi:providers:aws::west"
COMPONENT = "urn:pulumi:t::p::app:index:Queues::queues"
PLAIN = "urn:pulumi:t::p::app:index:Queues$aws:sqs/queue:Queue::plain"
ENCRYPTED = "urn:pulumi:t::p::app:index:Queues$aws:sqs/queue:Queue::encrypted"
LINKED = "urn:pulumi:t::p::aws:sqs/queuePolicy:QueuePolicy::linked"
UNLINKED = "urn:pulumi:t::p::aws:sqs/queuePolicy:QueuePolicy::unlinked"


def _resource(urn: str, inputs: dict[str, Any], **fields: Any) -> PlannedResource:
    typ = urn.split("::")[2].split("$")[-1]
    values: dict[str, Any] = {
        "urn": urn,
        "type": typ,
        "name": urn.rsplit("::", 1)[-1],
        "custom": True,
        "id": None,
        "parent": None,
        "provider": None,
        "inputs": inputs,
        "dependencies": [],
        "property_dependencies": {},
    }
    return PlannedResource(**{**values, **fields})


PLAN = Plan(
    project="p",
    stack="t",
    resources=[
        _resource(PROVIDER, {"region": "us-west-2"}),
        _resource(COMPONENT, {}, custom=False),
        _resource(
            PLAIN,
            {"delaySeconds": 45, "name": SECRET},
            parent=COMPONENT,
            provider=f"{PROVIDER}::id-1",
        ),
        _resource(
            ENCRYPTED, {"kmsMasterKeyId": "k"}, parent=COMPONENT, provider=f"{PROVIDER}::id-1"
        ),
        _resource(
            LINKED,
            {"queueUrl": "u"},
            dependencies=[ENCRYPTED],
            property_dependencies={"queueUrl": [ENCRYPTED]},
        ),
        _resource(UNLINKED, {"queueUrl": "u2"}),
    ],
)


@pytest.fixture(scope="module")
def sample() -> Any:
    return load_policy_pack(PACKS / "sample")


def _violations(results: list[Any]) -> set[tuple[str, str | None, str, str]]:
    return {
        (r.policy, r.resource_name, r.enforcement, r.message)
        for r in results
        if r.kind == VIOLATION
    }


def test_sample_pack_runs_like_the_runtime(sample: Any) -> None:
    results = evaluate_plan(PLAN, sample)
    assert _violations(results) == {
        # async validator awaited; pack-level default enforcement
        ("queue-encrypted", "plain", "mandatory", "queue plain is not encrypted"),
        # initial_config sets max_delay 30; numbers arrive as floats
        ("delay-limit", "plain", "advisory", "delay 45.0 is a float"),
        # the provider resource and its inputs are visible
        ("provider-region", "plain", "mandatory", "provider west is in us-west-2"),
        ("provider-region", "encrypted", "mandatory", "provider west is in us-west-2"),
        # secrets are unwrapped; remediate is reported as mandatory
        ("secret-visible", "plain", "mandatory", "saw the secret's value"),
        # stack policy: property dependencies, dependencies and parents are resources
        ("queue-policy-linked", "unlinked", "mandatory", "queue policy is not linked to a queue"),
    }
    not_applicable = {
        (r.policy, r.resource_name, r.message) for r in results if r.kind == NOT_APPLICABLE
    }
    assert ("never-for-queues", "plain", "queues are out of scope") in not_applicable
    assert ("remediate-only", "unlinked", "Policy does not implement validate") in not_applicable
    assert not [r for r in results if r.policy == "switched-off"]


def test_sample_pack_agrees_with_the_runtime_analyzer(sample: Any) -> None:
    servicer = _PolicyAnalyzerServicer(
        sample.name,
        sample.version,
        list(sample.policies),
        sample.enforcement_level,
        dict(sample.initial_config),
    )
    servicer.Configure(configure_request(resolve_policy_config(sample)), None)
    expected = analyze(
        lambda q: servicer.Analyze(q, None), lambda q: servicer.AnalyzeStack(q, None), PLAN
    )
    actual = gate_outcomes(evaluate_plan(PLAN, sample))
    assert sorted(map(str, actual)) == sorted(map(str, expected))


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ({"all": "advisory"}, {"advisory"}),
        ({"all": "disabled", "delay-limit": "mandatory"}, {"mandatory"}),
    ],
)
def test_config_file_overrides_enforcement(
    sample: Any, config: dict[str, Any], expected: set[str]
) -> None:
    results = evaluate_plan(PLAN, sample, parse_policy_config(config))
    assert {r.enforcement for r in results if r.kind == VIOLATION} == expected


def test_config_properties_override_initial_config(sample: Any) -> None:
    results = evaluate_plan(PLAN, sample, parse_policy_config({"delay-limit": {"max_delay": 60}}))
    assert not [r for r in results if r.policy == "delay-limit"]


@pytest.mark.parametrize(
    ("config", "error"),
    [
        (
            {"delay-limit": {"max_delay": "ten"}},
            r"delay-limit: max_delay: 'ten' is not of type 'number'",
        ),
        ({"delay-limit": "blocking"}, r"'blocking' is not a valid enforcement level"),
        ({"delay-limit": 3}, r"must be an enforcement level string or an object"),
    ],
)
def test_invalid_config_is_refused_like_the_cli(
    sample: Any, config: dict[str, Any], error: str
) -> None:
    with pytest.raises(PolicyConfigError, match=error):
        evaluate_plan(PLAN, sample, parse_policy_config(config))


def test_crashing_policy_is_an_error_not_a_pass(sample: Any) -> None:
    crash = _resource("urn:pulumi:t::p::test:index:Crash::c", {})
    plan = Plan(project="p", stack="t", resources=[crash])
    with pytest.raises(
        PolicyEvaluationError,
        match=r"policy 'crash' .* failed on resource .*::c: RuntimeError: boom",
    ):
        evaluate_plan(plan, sample)


def test_passed_checks_list_checked_resources_without_findings(
    evaluate: Evaluate, pack: Any
) -> None:
    from tests.policy.support import plan_of

    case = ALL_CASES["sqs-queue-encrypted-cmk"]
    plan = plan_of(case.resources)
    passes = passed_checks(plan, pack, evaluate_plan(plan, pack))
    names = {p.resource_name for p in passes if p.policy == "sqs-queue-encrypted-cmk"}
    assert names == case.names("pass-")


def test_each_call_gets_its_own_props_and_options_however_late_it_looks() -> None:
    """Props and options are built when a call first touches them (most policies only
    look at the type); a policy that changes them must still not reach the next call,
    and an option set before any is read keeps the value the policy gave it."""
    from pathlib import Path

    from pulumi_policy import EnforcementLevel, ResourceValidationPolicy

    from gate.crossguard.loader import LoadedPack

    seen: list[tuple[Any, Any, Any]] = []

    def vandal(args: Any, report: Any) -> None:
        args.opts.protect = "set before reading"
        seen.append(("vandal", args.opts.protect, list(args.opts.ignore_changes)))
        args.props["delaySeconds"] = 0
        args.opts.ignore_changes.append("everything")

    def witness(args: Any, report: Any) -> None:
        seen.append((args.props["delaySeconds"], args.opts.protect, args.opts.ignore_changes))

    pack = LoadedPack(
        name="isolation",
        directory=Path("."),
        policies=(
            ResourceValidationPolicy("vandal", "changes what it is given", vandal),
            ResourceValidationPolicy("witness", "records what it is given", witness),
        ),
        enforcement_level=EnforcementLevel.ADVISORY,
    )
    plain = Plan(project="p", stack="t", resources=[r for r in PLAN.resources if r.urn == PLAIN])
    evaluate_plan(plain, pack)
    assert seen == [("vandal", "set before reading", []), (45.0, False, [])]
