"""The cross-account deploy role that `bootstrap/` creates in a target account, and the
permissions boundary it puts on every role the platform creates."""

import fnmatch
import importlib.util
import json
import re
from collections.abc import Callable
from typing import Any

import pytest

from gate.engine.planner import build_plan

from .conftest import ROOT, PlanView

PLATFORM_STACKS = ("dev", "prod", "prod-eu", "prod-shared")


@pytest.fixture(scope="module")
def bootstrap() -> PlanView:
    return PlanView(build_plan(ROOT / "bootstrap", "shared"))


def _deploy_document(bootstrap: PlanView) -> dict[str, Any]:
    return bootstrap.document("aws:iam/policy:Policy", "deploy-policy")


def _statement(document: dict[str, Any], sid: str) -> dict[str, Any]:
    return next(s for s in document["Statement"] if s["Sid"] == sid)


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _account_free(arn: str) -> str:
    return re.sub(r":\d{12}:", ":<account>:", arn)


def test_trust_names_the_ci_environments_and_the_deploying_account_with_external_id(bootstrap):
    trust = json.loads(bootstrap.one("aws:iam/role:Role").inputs["assumeRolePolicy"])
    oidc, account = trust["Statement"]
    assert oidc["Principal"] == {
        "Federated": bootstrap.one("aws:iam/openIdConnectProvider:OpenIdConnectProvider").arn
    }
    # Named environments only: a wildcard would admit any environment anyone creates.
    assert oidc["Condition"] == {
        "StringEquals": {
            "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
            "token.actions.githubusercontent.com:sub": [
                "repo:your-org/serverless-platform:environment:prod-shared"
            ],
        }
    }
    assert account["Principal"] == {"AWS": "arn:aws:iam::123456789012:root"}
    assert account["Condition"] == {
        "StringEquals": {"sts:ExternalId": "serverless-platform-prod-shared"}
    }


def test_the_role_and_boundary_are_the_ones_the_cross_account_stack_names(bootstrap):
    shared = (ROOT / "Pulumi.prod-shared.yaml").read_text()
    role = bootstrap.one("aws:iam/role:Role").inputs["name"]
    boundary = bootstrap.one("aws:iam/policy:Policy", "role-boundary").inputs["name"]
    assert f"role/{role}" in shared
    assert f"permissionsBoundaryArn: arn:aws:iam::210987654321:policy/{boundary}" in shared


def test_roles_are_created_and_changed_only_with_the_boundary(bootstrap):
    document = _deploy_document(bootstrap)
    boundary_arn = "arn:aws:iam::123456789012:policy/serverless-platform-role-boundary"
    grants = _statement(document, "PlatformRolesOnlyWithTheBoundary")
    assert {"iam:CreateRole", "iam:PutRolePolicy"} <= set(grants["Action"])
    assert grants["Condition"] == {"StringEquals": {"iam:PermissionsBoundary": boundary_arn}}
    for statement in document["Statement"]:
        if statement["Effect"] != "Allow" or statement is grants:
            continue
        for action in (
            "iam:CreateRole",
            "iam:PutRolePolicy",
            "iam:AttachRolePolicy",
            "iam:UpdateAssumeRolePolicy",
            "iam:DeleteRolePermissionsBoundary",
        ):
            assert not any(fnmatch.fnmatch(action, pattern) for pattern in statement["Action"]), (
                f"{statement['Sid']} grants {action} without the boundary condition"
            )


def test_the_role_cannot_change_itself_its_policy_or_the_boundary(bootstrap):
    deny = _statement(_deploy_document(bootstrap), "NeverChangeItselfOrTheBoundary")
    assert deny["Effect"] == "Deny"
    assert set(deny["Resource"]) == {
        "arn:aws:iam::123456789012:role/serverless-platform-deploy",
        "arn:aws:iam::123456789012:policy/serverless-platform-deploy-permissions",
        "arn:aws:iam::123456789012:policy/serverless-platform-role-boundary",
    }
    for action in ("iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:CreatePolicyVersion"):
        assert any(fnmatch.fnmatch(action, pattern) for pattern in deny["Action"])


def test_kms_keys_and_generated_id_resources_are_reached_only_through_the_project_tag(bootstrap):
    document = _deploy_document(bootstrap)
    for statement in document["Statement"]:
        reaches_keys = any(":kms:" in r and ":key/" in r for r in _as_list(statement["Resource"]))
        if statement["Effect"] == "Allow" and reaches_keys:
            tags = statement["Condition"]["StringEquals"]
            assert tags == {"aws:ResourceTag/Project": "serverless-platform"}, statement["Sid"]
    assert _statement(document, "PlatformHostedZoneRecords")["Resource"] == [
        "arn:aws:route53:::hostedzone/Z0123456789EXAMPLE01"
    ]
    api = _statement(document, "PlatformApisByTag")
    assert "arn:aws:apigateway:*::/apikeys/*" in api["Resource"]
    assert api["Condition"] == {"StringEquals": {"aws:ResourceTag/Project": "serverless-platform"}}


def _grants(
    document: dict[str, Any], action: str, resource: str, tags_of: Callable[[str], dict[str, str]]
) -> bool:
    """Whether an Allow statement of `document` covers the pair. The only condition a
    boundary statement may carry is the project's tag on the resource."""
    for statement in document["Statement"]:
        if statement["Effect"] != "Allow":
            continue
        if not any(fnmatch.fnmatchcase(action, a) for a in _as_list(statement["Action"])):
            continue
        if not any(
            fnmatch.fnmatchcase(_account_free(resource), _account_free(pattern))
            for pattern in _as_list(statement["Resource"])
        ):
            continue
        required = statement.get("Condition", {}).get("StringEquals", {})
        if all(
            tags_of(resource).get(key.removeprefix("aws:ResourceTag/")) == value
            for key, value in required.items()
        ):
            return True
    return False


@pytest.mark.parametrize("stack", PLATFORM_STACKS)
def test_the_boundary_allows_everything_the_platforms_roles_are_granted(
    bootstrap, plan_stack, stack
):
    """A grant the boundary would cut fails here, not as AccessDenied in production."""
    boundary = bootstrap.document("aws:iam/policy:Policy", "role-boundary")
    plan = plan_stack(stack)
    key_tags = {key.arn: key.inputs.get("tags", {}) for key in plan.all("aws:kms/key:Key")}
    cut = [
        (policy.name, action, resource)
        for policy in plan.all("aws:iam/rolePolicy:RolePolicy")
        for statement in json.loads(policy.inputs["policy"])["Statement"]
        for action in _as_list(statement["Action"])
        for resource in _as_list(statement["Resource"])
        if not _grants(boundary, action, resource, lambda arn: key_tags.get(arn, {}))
    ]
    assert not cut, f"the role boundary would deny: {cut}"


def test_every_role_of_the_cross_account_stack_carries_the_boundary(plan_stack):
    roles = plan_stack("prod-shared").all("aws:iam/role:Role")
    assert roles
    boundary = "arn:aws:iam::210987654321:policy/serverless-platform-role-boundary"
    assert {role.name: role.inputs.get("permissionsBoundary") for role in roles} == {
        role.name: boundary for role in roles
    }
    # Stacks that deploy with their own account's credentials name no boundary.
    assert not any(
        r.inputs.get("permissionsBoundary") for r in plan_stack("dev").all("aws:iam/role:Role")
    )


def test_passes_only_platform_roles_to_the_platforms_services(bootstrap):
    pass_role = _statement(_deploy_document(bootstrap), "PassPlatformRolesToTheirServices")
    assert pass_role["Resource"] == ["arn:aws:iam::123456789012:role/platform-*"]
    assert set(pass_role["Condition"]["StringEquals"]["iam:PassedToService"]) == {
        "apigateway.amazonaws.com",
        # The deployment groups' service roles.
        "codedeploy.amazonaws.com",
        "lambda.amazonaws.com",
        "s3.amazonaws.com",
        "states.amazonaws.com",
    }


def _resource_actions() -> dict[str, tuple[str, ...]]:
    spec = importlib.util.spec_from_file_location(
        "bootstrap_resource_actions", ROOT / "bootstrap" / "resource_actions.py"
    )
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.RESOURCE_ACTIONS


@pytest.mark.parametrize("stack", PLATFORM_STACKS)
def test_the_deploy_role_may_create_update_tag_and_delete_every_type_the_stack_declares(
    bootstrap, plan_stack, stack
):
    """The first `pulumi up` in a new account must not stop at AccessDenied."""
    table = _resource_actions()
    declared = {
        r.type for r in plan_stack(stack).resources if r.custom and not r.type.startswith("pulumi:")
    }
    assert not declared - table.keys(), "resource types with no entry in resource_actions.py"
    allowed = [
        pattern
        for statement in _deploy_document(bootstrap)["Statement"]
        if statement["Effect"] == "Allow"
        for pattern in _as_list(statement["Action"])
    ]
    missing = {
        (typ, action)
        for typ in declared
        for action in table[typ]
        if not any(fnmatch.fnmatch(action.lower(), p.lower()) for p in allowed)
    }
    assert not missing, f"the deploy role's policy does not grant: {sorted(missing)}"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"githubEnvironmnets": ["prod"]},
            "'serverless-platform-bootstrap:githubEnvironmnets': expected a key bootstrap has "
            "(did you mean 'githubEnvironments'?), got an unknown key",
        ),
        (
            {"deployingAccountId": "12345"},
            "'serverless-platform-bootstrap:deployingAccountId': expected a 12-digit account "
            "id, got '12345'",
        ),
        (
            {"githubEnvironments": ["prod-*"]},
            "'serverless-platform-bootstrap:githubEnvironments': expected a non-empty list of "
            "GitHub environment names (no wildcards)",
        ),
    ],
    ids=["misspelled-key", "short-account", "wildcard-environment"],
)
def test_bad_bootstrap_config_names_the_key(overrides, message):
    from gate.engine.planner import EngineError

    with pytest.raises(EngineError) as raised:
        build_plan(ROOT / "bootstrap", "shared", config_overrides=overrides)
    assert message in str(raised.value)
