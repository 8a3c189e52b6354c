"""Exemptions: a valid one suppresses with its reason; an expired, reasonless or undated
one suppresses nothing and is itself a mandatory violation."""

import datetime
import json
from typing import Any

import pytest

from gate.crossguard.evaluate import PolicyConfigError, PolicyResult, load_policy_config
from tests.policy.conftest import PACK_DIR, Evaluate
from tests.policy.support import BUCKET, LOG_TARGET, QUEUE, bucket, r, urn_of

ENCRYPTION = "s3-bucket-encrypted-cmk"
EXEMPTIONS = "policy-exemptions-valid"
REASON = "S3 server access logs can only be delivered to SSE-S3 buckets"
ACCESS_LOGS = bucket(
    "platform-access-logs-bucket", sse={"sseAlgorithm": "AES256"}, access_logging=False
)
OTHER = bucket("fail-data-sse-s3", sse={"sseAlgorithm": "AES256"})
RESOURCES = [*LOG_TARGET, *ACCESS_LOGS, *OTHER]


def _exempt(resource: str = "*access-logs*", **fields: Any) -> dict[str, Any]:
    exemption = {"resource": resource, "reason": REASON, "expires": "2999-12-31", **fields}
    return {ENCRYPTION: {"exemptions": [{k: v for k, v in exemption.items() if v is not None}]}}


def _by(results: list[PolicyResult], policy: str) -> dict[str | None, PolicyResult]:
    return {r.resource_name: r for r in results if r.policy == policy and r.is_violation}


def test_valid_exemption_suppresses_the_finding_with_its_reason(evaluate: Evaluate) -> None:
    results = evaluate(RESOURCES, _exempt())
    findings = _by(results, ENCRYPTION)
    exempted = findings["platform-access-logs-bucket"]
    assert exempted.suppressed
    assert exempted.suppression_reason == REASON
    assert not exempted.blocking
    # THEN the other SSE-S3 bucket is still reported, and the exemption is fine
    assert findings["fail-data-sse-s3"].blocking
    assert not _by(results, EXEMPTIONS)


def test_exemption_matches_a_urn_glob(evaluate: Evaluate) -> None:
    config = _exempt(resource=urn_of(BUCKET, "*").replace("::*", "::platform-*"))
    findings = _by(evaluate(RESOURCES, config), ENCRYPTION)
    assert findings["platform-access-logs-bucket"].suppressed
    assert not findings["fail-data-sse-s3"].suppressed


def test_exemption_expiring_today_is_still_valid(evaluate: Evaluate) -> None:
    today = datetime.datetime.now(datetime.UTC).date().isoformat()
    findings = _by(evaluate(RESOURCES, _exempt(expires=today)), ENCRYPTION)
    assert findings["platform-access-logs-bucket"].suppressed


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"expires": "2001-02-03"}, "expired on 2001-02-03"),
        ({"reason": None}, "has no reason of at least 10 characters"),
        ({"reason": "because"}, "has no reason of at least 10 characters"),
        ({"expires": None}, "has no expiry date"),
        ({"expires": "next year"}, "has expiry 'next year', which is not a YYYY-MM-DD date"),
    ],
    ids=["expired", "reasonless", "short-reason", "undated", "bad-date"],
)
def test_invalid_exemption_suppresses_nothing_and_is_a_mandatory_violation(
    evaluate: Evaluate, fields: dict[str, Any], problem: str
) -> None:
    # GIVEN an exemption that is expired, has no (real) reason or no valid expiry
    results = evaluate(RESOURCES, _exempt(**fields))
    # THEN the finding stands, and says why the exemption was ignored
    finding = _by(results, ENCRYPTION)["platform-access-logs-bucket"]
    assert finding.blocking
    assert f"exemption '*access-logs*' ignored: it {problem}" in finding.message
    # AND the exemption itself is a mandatory, stack-level violation
    [violation] = [r for r in results if r.policy == EXEMPTIONS]
    assert violation.blocking
    assert violation.urn is None
    assert f"'{ENCRYPTION}'" in violation.message
    assert problem in violation.message
    assert "'platform-access-logs-bucket'" in violation.message


def test_invalid_exemption_is_reported_even_when_nothing_matches(evaluate: Evaluate) -> None:
    # GIVEN an expired exemption of a resource policy, and a stack without its type
    config = {
        "sqs-queue-encrypted-cmk": {
            "exemptions": [{"resource": "legacy-*", "reason": REASON, "expires": "2020-01-01"}]
        }
    }
    results = evaluate([*LOG_TARGET], config)
    [violation] = [r for r in results if r.policy == EXEMPTIONS]
    assert "matches no resource" in violation.message


def test_resource_policy_exemption_suppresses(evaluate: Evaluate) -> None:
    config = {
        "sqs-queue-encrypted-cmk": {
            "exemptions": [{"resource": "legacy-*", "reason": REASON, "expires": "2999-01-01"}]
        }
    }
    results = evaluate([r(QUEUE, "legacy-queue"), r(QUEUE, "fail-new-queue")], config)
    findings = _by(results, "sqs-queue-encrypted-cmk")
    assert findings["legacy-queue"].suppressed
    assert findings["fail-new-queue"].blocking


def test_invalid_exemptions_do_not_leak_into_the_next_evaluation(evaluate: Evaluate) -> None:
    evaluate(RESOURCES, _exempt(expires="2001-01-01"))
    assert not [r for r in evaluate(RESOURCES, _exempt()) if r.policy == EXEMPTIONS]


def test_misspelled_exemption_field_is_a_config_error(evaluate: Evaluate) -> None:
    config = {
        ENCRYPTION: {"exemptions": [{"resource": "x", "reason": REASON, "expiry": "2999-01-01"}]}
    }
    with pytest.raises(
        PolicyConfigError, match=r"s3-bucket-encrypted-cmk: exemptions/0: Additional properties"
    ):
        evaluate(RESOURCES, config)


def test_template_config_exempts_exactly_the_access_log_buckets(evaluate: Evaluate) -> None:
    # GIVEN the template's own config file
    config = json.loads((PACK_DIR / "config.json").read_text())
    [exemption] = config[ENCRYPTION]["exemptions"]
    assert (
        datetime.date.fromisoformat(exemption["expires"])
        > datetime.datetime.now(datetime.UTC).date()
    )
    # WHEN the pack runs with it
    results = evaluate(RESOURCES, config)
    # THEN only the access-log bucket's SSE-S3 is suppressed, with the documented reason
    suppressed = [r for r in results if r.suppressed]
    assert [(r.policy, r.resource_name) for r in suppressed] == [
        (ENCRYPTION, "platform-access-logs-bucket")
    ]
    assert "SSE-S3" in (suppressed[0].suppression_reason or "")


def test_template_config_file_is_valid(pack: object) -> None:
    assert load_policy_config(PACK_DIR / "config.json")
