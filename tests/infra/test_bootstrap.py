"""The cross-account deploy role that `bootstrap/` creates in a target account."""

import json

import pytest

from gate.engine.planner import build_plan

from .conftest import ROOT, PlanView


@pytest.fixture(scope="module")
def bootstrap() -> PlanView:
    return PlanView(build_plan(ROOT / "bootstrap", "shared"))


def test_trust_names_the_ci_oidc_provider_and_the_deploying_account_with_external_id(bootstrap):
    trust = json.loads(bootstrap.one("aws:iam/role:Role").inputs["assumeRolePolicy"])
    oidc, account = trust["Statement"]
    assert oidc["Principal"] == {
        "Federated": bootstrap.one("aws:iam/openIdConnectProvider:OpenIdConnectProvider").arn
    }
    assert oidc["Condition"]["StringLike"] == {
        "token.actions.githubusercontent.com:sub": "repo:your-org/serverless-platform:environment:*"
    }
    assert account["Principal"] == {"AWS": "arn:aws:iam::123456789012:root"}
    assert account["Condition"] == {
        "StringEquals": {"sts:ExternalId": "serverless-platform-prod-shared"}
    }


def test_the_role_is_the_one_the_cross_account_stack_assumes(bootstrap):
    shared = (ROOT / "Pulumi.prod-shared.yaml").read_text()
    role = bootstrap.one("aws:iam/role:Role").inputs["name"]
    assert f"role/{role}" in shared


def test_permissions_are_scoped_except_the_named_unscoped_actions(bootstrap):
    document = json.loads(bootstrap.one("aws:iam/policy:Policy").inputs["policy"])
    for statement in document["Statement"]:
        assert all(action != "*" and not action.endswith(":*") for action in statement["Action"])
        if "*" in statement["Resource"]:
            assert statement["Sid"] == "UnscopedByAws"
    pass_role = next(s for s in document["Statement"] if s["Action"] == ["iam:PassRole"])
    assert pass_role["Resource"] == ["arn:aws:iam::123456789012:role/platform-*"]
    assert "iam:PassedToService" in pass_role["Condition"]["StringEquals"]
