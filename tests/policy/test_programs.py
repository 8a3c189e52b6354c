"""Real Pulumi programs through the offline engine, so the fixtures' wire shapes are the
SDK's: a known-bad program is flagged exactly, and the template's own stacks pass."""

import pytest

from gate.crossguard.evaluate import LoadedPack, evaluate_plan, load_policy_config
from gate.engine.planner import build_plan
from tests.policy.conftest import PACK_DIR, ROOT

pytestmark = pytest.mark.slow

SLOPPY = ROOT / "tests" / "fixtures" / "policy" / "programs" / "sloppy"
TRUST = ROOT / "tests" / "fixtures" / "policy" / "programs" / "trust"
TEMPLATE_CONFIG = PACK_DIR / "config.json"


def test_known_bad_program_is_flagged_exactly(pack: LoadedPack) -> None:
    results = evaluate_plan(build_plan(SLOPPY, "test"), pack, load_policy_config(TEMPLATE_CONFIG))
    violations = {(r.policy, r.resource_name) for r in results if r.is_violation}
    assert violations == {
        ("s3-bucket-encrypted-cmk", "data"),
        ("s3-bucket-policy-deny-insecure-transport", "data"),
        ("s3-bucket-access-logging", "data"),
        ("s3-bucket-versioning", "data"),
        ("s3-bucket-lifecycle-configured", "data"),
        ("s3-bucket-public-access-block", "data"),
        ("s3-bucket-owner-enforced", "data"),
        ("sqs-queue-encrypted-cmk", "ingest"),
        ("sqs-queue-deny-insecure-transport", "ingest"),
        ("sqs-queue-redrive-policy", "ingest"),
        ("sqs-visibility-timeout-covers-function", "ingest"),
        ("iam-trust-policy-no-wildcard-principal", "worker"),
        ("iam-no-wildcard-actions", "worker-policy"),
        ("iam-no-wildcard-resources", "worker-policy"),
        ("lambda-environment-encrypted-cmk", "worker"),
        ("lambda-function-tracing-active", "worker"),
        ("lambda-function-explicit-log-group", "worker"),
        ("lambda-function-reserved-concurrency", "worker"),
        ("lambda-function-supported-runtime", "worker"),
        ("lambda-event-source-mapping-batch-failures", "worker-ingest"),
        ("resource-required-tags", "worker-ingest"),
        ("dynamodb-table-encrypted-cmk", "results"),
        ("dynamodb-table-pitr", "results"),
        ("resource-tag-environment-allowed", "results"),
    }


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_template_stack_passes_the_pack(stack: str, pack: LoadedPack) -> None:
    # GIVEN the template itself, with its own policy config
    results = evaluate_plan(build_plan(ROOT, stack), pack, load_policy_config(TEMPLATE_CONFIG))
    # THEN nothing blocks, and the only suppressions are the access-log buckets' SSE-S3
    assert [(r.policy, r.resource_name, r.message) for r in results if r.blocking] == []
    suppressed = [r for r in results if r.suppressed]
    assert suppressed
    assert {r.policy for r in suppressed} == {"s3-bucket-encrypted-cmk"}
    assert all("access-logs" in (r.resource_name or "") for r in suppressed)


def test_trust_of_the_stack_account_needs_no_external_id(pack: LoadedPack) -> None:
    # GIVEN roles trusting the caller's account and another, through pinned providers and
    # through the default provider, whose account is the caller identity the engine answered
    plan = build_plan(TRUST, "test")
    # WHEN the pack runs on the program's recorded plan (provider inputs in wire form)
    results = evaluate_plan(plan, pack, load_policy_config(TEMPLATE_CONFIG))
    # THEN only the trusts of the other account are reported
    reported = {
        r.resource_name
        for r in results
        if r.policy == "iam-trust-cross-account-external-id" and r.is_violation
    }
    assert reported == {"allowed-other", "assumed-other", "caller-other"}
    assert plan.caller_accounts == ["123456789012", "210987654321", "555566667777"]
