"""Unknown values (outputs of resources not created yet): a policy never crashes on one
and never passes silently; the runtime's advisory "can't run policy" path stays intact."""

import pytest
from pulumi_policy import PolicyCustomTimeouts, PolicyResourceOptions, ResourceValidationArgs
from pulumi_policy.proxy import UnknownValueError, unknown_checking_proxy

import policy_pack
from gate.crossguard.evaluate import LoadedPack
from gate.crossguard.results import UNKNOWN, VIOLATION
from tests.policy.conftest import Evaluate
from tests.policy.fixtures import ALL_CASES
from tests.policy.support import LOG_TARGET, QUEUE, ROLE_POLICY, bucket, r
from tests.policy.support import UNKNOWN as UNKNOWN_VALUE

POLICIES = {policy.name: policy for policy in policy_pack.POLICIES}
RESOURCE_POLICIES = sorted(
    n for n in ALL_CASES if type(POLICIES[n]).__name__ == "TypedResourcePolicy"
)
STACK_POLICIES = sorted(n for n in ALL_CASES if type(POLICIES[n]).__name__ == "TypedStackPolicy")


def _all_unknown(specs: list) -> dict[str, dict[str, str]]:
    return {spec.name: dict.fromkeys(spec.inputs, UNKNOWN_VALUE) for spec in specs}


def test_unknown_input_becomes_the_runtime_advisory(evaluate: Evaluate, pack: LoadedPack) -> None:
    # GIVEN a queue whose key ARN is known only after deployment
    results = evaluate([r(QUEUE, "queue", kmsMasterKeyId=UNKNOWN_VALUE)])
    # THEN the policy neither passes nor fails it: it says it cannot check during preview
    [result] = [x for x in results if x.policy == "sqs-queue-encrypted-cmk"]
    assert result.kind == UNKNOWN
    assert result.enforcement == "advisory"
    assert result.message == (
        "can't run policy 'sqs-queue-encrypted-cmk' from policy pack "
        f"'{pack.name}@v{pack.version}' during preview: "
        "string value at .kmsMasterKeyId can't be known during preview"
    )


def test_unknown_policy_document_is_not_taken_as_compliant(evaluate: Evaluate) -> None:
    results = evaluate([r(ROLE_POLICY, "policy", policy=UNKNOWN_VALUE, role="r")])
    kinds = {x.policy: x.kind for x in results if x.resource_name == "policy"}
    assert kinds["iam-no-wildcard-actions"] == UNKNOWN
    assert kinds["iam-policy-document-valid"] == UNKNOWN


def test_policy_lets_the_sdk_handle_unknowns() -> None:
    # GIVEN props wrapped exactly as the runtime wraps them
    props = unknown_checking_proxy({"kmsMasterKeyId": UNKNOWN_VALUE})
    options = PolicyResourceOptions(False, [], None, [], PolicyCustomTimeouts(0, 0, 0), [])
    args = ResourceValidationArgs(QUEUE, props, "urn:q", "q", options, None, {})
    # THEN the policy raises the SDK's error instead of catching it (and passing)
    with pytest.raises(UnknownValueError):
        POLICIES["sqs-queue-encrypted-cmk"].validate(args, lambda message, urn=None: None)


def test_stack_policy_reports_known_findings_before_the_unknown(evaluate: Evaluate) -> None:
    # GIVEN one bucket without a public access block and one whose block is unknown
    specs = [*LOG_TARGET, *bucket("open"), *bucket("unsure")]
    unknown_flags = {"bucket": "unsure", "blockPublicAcls": UNKNOWN_VALUE}
    results = evaluate(
        [s for s in specs if s.name != "pab-of-open"], inputs={"pab-of-unsure": unknown_flags}
    )
    # THEN the known violation is reported and the unknown one is an advisory
    mine = [x for x in results if x.policy == "s3-bucket-public-access-block"]
    assert {(x.kind, x.resource_name) for x in mine} == {(VIOLATION, "open"), (UNKNOWN, None)}


@pytest.mark.parametrize("policy", RESOURCE_POLICIES)
def test_resource_policy_never_passes_a_resource_with_unknown_inputs(
    policy: str, evaluate: Evaluate
) -> None:
    # GIVEN every fixture resource with all of its inputs unknown
    case = ALL_CASES[policy]
    results = evaluate(case.resources, case.config, inputs=_all_unknown(case.resources))
    # THEN each subject with an (unknown) input is reported, marked "cannot check" or
    # explicitly not applicable; none passes silently
    types = POLICIES[policy].resource_types
    subjects = {
        s.name
        for s in case.resources
        if s.type in types and s.inputs and s.name.startswith(("pass-", "fail-"))
    }
    judged = {x.resource_name for x in results if x.policy == policy}
    assert subjects <= judged


@pytest.mark.parametrize("policy", STACK_POLICIES)
def test_stack_policy_survives_unknown_inputs_everywhere(policy: str, evaluate: Evaluate) -> None:
    case = ALL_CASES[policy]
    results = evaluate(case.resources, case.config, inputs=_all_unknown(case.resources))
    mine = [x for x in results if x.policy == policy]
    assert any(x.kind in (VIOLATION, UNKNOWN) for x in mine)


@pytest.mark.parametrize(
    ("policy", "subject"),
    [
        # Alarms named by `alarm.name` are counted, not read.
        ("codedeploy-deployment-group-alarm-rollback", "pass-alarm-names-unknown"),
        # A deployment group named by `function.name` is linked by the dependency.
        ("lambda-function-codedeploy-deployment-group", "pass-named-by-output"),
    ],
)
def test_codedeploy_policies_judge_names_unknown_at_preview(
    policy: str, subject: str, evaluate: Evaluate
) -> None:
    # GIVEN the policy's fixture, where `subject` depends on a name known only after deploy
    case = ALL_CASES[policy]
    # WHEN the pack runs on it
    mine = [x for x in evaluate(case.resources, case.config) if x.policy == policy]
    # THEN the policy ran to the end (its fail-* findings, no "can't run during preview")
    # and passed the subject
    assert {x.kind for x in mine} == {VIOLATION}
    assert subject not in {x.resource_name for x in mine}
