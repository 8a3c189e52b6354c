"""`iam-trust-cross-account-external-id` and the stack's own account: the account the
role's provider pins (assumed role or allowed account ids) is not another account."""

import json
from typing import Any

import pytest
from pulumi_policy import PolicyProviderResource
from pulumi_policy.proxy import unknown_checking_proxy

from gate.crossguard.results import UNKNOWN
from policy_pack.core.accounts import provider_account
from tests.policy.conftest import Evaluate
from tests.policy.support import PROVIDER, ROLE, doc, r, through
from tests.policy.support import UNKNOWN as UNKNOWN_VALUE

POLICY = "iam-trust-cross-account-external-id"
OWN = "210987654321"
OTHER = "111122223333"
ROLE_ARN = f"arn:aws:iam::{OWN}:role/deploy"


def _trust(*accounts: str) -> str:
    principal = {"AWS": list(accounts)}
    return doc({"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"})


def _mine(results: list[Any]) -> list[tuple[str, str | None, str]]:
    return [(x.kind, x.resource_name, x.message) for x in results if x.policy == POLICY]


def _provider(**inputs: Any) -> PolicyProviderResource:
    urn = "urn:pulumi:test::policy-tests::pulumi:providers:aws::aws"
    return PolicyProviderResource(PROVIDER, unknown_checking_proxy(inputs), urn, "aws")


def test_finding_names_only_the_other_account(evaluate: Evaluate) -> None:
    # GIVEN a role in the account its provider pins, trusting that account and another
    specs = [
        r(PROVIDER, "aws", allowedAccountIds=json.dumps([OWN])),
        through(
            "aws", r(ROLE, "deploy", assumeRolePolicy=_trust(f"arn:aws:iam::{OWN}:root", OTHER))
        ),
    ]
    # WHEN the pack runs
    results = evaluate(specs)
    # THEN the finding is about the other account alone
    assert _mine(results) == [
        (
            "violation",
            "deploy",
            f"IAM role 'deploy' lets account(s) {OTHER} assume it without an sts:ExternalId "
            "condition (assumeRolePolicy, statement #1); add Condition {'StringEquals': "
            "{'sts:ExternalId': '<shared secret>'}} or list the account in trusted_account_ids",
        )
    ]


def test_unknown_provider_account_is_the_runtime_advisory(evaluate: Evaluate) -> None:
    # GIVEN a provider whose assumed role is an output of another resource
    specs = [
        r(PROVIDER, "aws", assumeRoles=UNKNOWN_VALUE),
        through("aws", r(ROLE, "deploy", assumeRolePolicy=_trust(OWN))),
    ]
    # WHEN the pack runs
    [(kind, name, message)] = _mine(evaluate(specs))
    # THEN the policy cannot tell whose account it trusts until the role ARN is known
    assert (kind, name) == (UNKNOWN, "deploy")
    assert message.endswith(
        "during preview: string value at .assumeRoles can't be known during preview"
    )


def test_unknown_provider_account_is_not_read_for_service_trust(evaluate: Evaluate) -> None:
    # GIVEN the same unknown provider, and a role only a service may assume
    service = doc(
        {
            "Effect": "Allow",
            "Principal": {"Service": "lambda.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    )
    specs = [
        r(PROVIDER, "aws", assumeRoles=UNKNOWN_VALUE),
        through("aws", r(ROLE, "function", assumeRolePolicy=service)),
    ]
    # WHEN the pack runs
    results = evaluate(specs)
    # THEN nothing needed the provider's account, so the role simply passes
    assert _mine(results) == []


@pytest.mark.parametrize(
    ("inputs", "account"),
    [
        ({"allowedAccountIds": json.dumps([OWN])}, OWN),
        ({"allowedAccountIds": [OWN]}, OWN),
        ({"assumeRoles": json.dumps([{"roleArn": ROLE_ARN, "externalId": "x"}])}, OWN),
        ({"assumeRoles": [{"roleArn": ROLE_ARN}]}, OWN),
        ({"assumeRole": json.dumps({"roleArn": ROLE_ARN})}, OWN),
        ({"assumeRole": {"roleArn": ROLE_ARN}}, OWN),
        (
            {
                "assumeRoles": json.dumps([{"roleArn": ROLE_ARN}]),
                "allowedAccountIds": f'["{OTHER}"]',
            },
            OWN,
        ),
        ({"assumeRoles": "[{}]", "allowedAccountIds": f'["{OWN}"]'}, OWN),
        ({"allowedAccountIds": json.dumps([OWN, OTHER])}, None),
        ({"allowedAccountIds": "not json ["}, None),
        ({"region": "us-east-1"}, None),
    ],
    ids=[
        "allowed-json",
        "allowed-list",
        "assume-roles-json",
        "assume-roles-list",
        "legacy-assume-role-json",
        "legacy-assume-role-object",
        "assumed-role-wins",
        "empty-role-falls-back-to-allowed",
        "several-allowed-is-ambiguous",
        "malformed",
        "unpinned",
    ],
)
def test_provider_account_reads_every_form_of_the_inputs(
    inputs: dict[str, Any], account: str | None
) -> None:
    # GIVEN provider inputs as the runtime hands them over (wire form) or as plain values
    provider = _provider(**inputs)
    # THEN the pinned account is read from either, and nothing is guessed
    assert provider_account(provider) == account


def test_no_provider_or_another_package_pins_no_account() -> None:
    # GIVEN no provider at all, and a provider of another package
    other = PolicyProviderResource("pulumi:providers:random", {}, "urn:r", "random")
    # THEN neither pins an AWS account
    assert provider_account(None) is None
    assert provider_account(other) is None
