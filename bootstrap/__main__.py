"""The deploy role a target account provides, so another account's CI can deploy the
platform into it (see the `prod-shared` stack).

Trust: the CI's OIDC provider (GitHub Actions, this repository's environments only)
and the deploying account, which must present the external id. Permissions: what the
platform deploys, on resources named the way the platform names them.
"""

from __future__ import annotations

import json
import re

import pulumi
import pulumi_aws as aws
from permissions import deploy_permissions

PROJECT = "serverless-platform-bootstrap"
ROLE_NAME = "serverless-platform-deploy"
GITHUB_OIDC_HOST = "token.actions.githubusercontent.com"


class BootstrapConfigError(ValueError):
    """A bootstrap config value is missing or malformed."""


def _require(config: pulumi.Config, key: str, pattern: str, expected: str) -> str:
    value = config.get(key)
    if value is None or not re.fullmatch(pattern, value):
        raise BootstrapConfigError(f"config '{PROJECT}:{key}': expected {expected}, got {value!r}")
    return value


config = pulumi.Config(PROJECT)
region = _require(config, "region", r"[a-z]{2}(-gov)?-[a-z]+-\d", "an AWS region")
deploying_account = _require(config, "deployingAccountId", r"\d{12}", "a 12-digit account id")
external_id = _require(config, "externalId", r"[\w+=,.@:/-]{2,1224}", "an external id")
repository = _require(config, "githubRepository", r"[\w.-]+/[\w.-]+", "'owner/repository'")
tags = config.require_object("tags")

provider = aws.Provider("aws", region=region)
identity = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(provider=provider))
options = pulumi.ResourceOptions(provider=provider)

if config.get_bool("createOidcProvider"):
    oidc_arn: pulumi.Output[str] = aws.iam.OpenIdConnectProvider(
        "github-actions",
        url=f"https://{GITHUB_OIDC_HOST}",
        client_id_lists=["sts.amazonaws.com"],
        tags=tags,
        opts=options,
    ).arn
else:
    oidc_arn = pulumi.Output.concat(
        "arn:aws:iam::", identity.account_id, f":oidc-provider/{GITHUB_OIDC_HOST}"
    )

trust_policy = pulumi.Output.json_dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "GitHubActionsDeployEnvironments",
                "Effect": "Allow",
                "Principal": {"Federated": oidc_arn},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": {
                    "StringEquals": {f"{GITHUB_OIDC_HOST}:aud": "sts.amazonaws.com"},
                    "StringLike": {f"{GITHUB_OIDC_HOST}:sub": f"repo:{repository}:environment:*"},
                },
            },
            {
                "Sid": "DeployingAccountWithExternalId",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{deploying_account}:root"},
                "Action": "sts:AssumeRole",
                "Condition": {"StringEquals": {"sts:ExternalId": external_id}},
            },
        ],
    }
)
role = aws.iam.Role(
    "deploy-role",
    name=ROLE_NAME,
    description="Deploys serverless-platform into this account",
    assume_role_policy=trust_policy,
    max_session_duration=3600,
    tags=tags,
    opts=options,
)
policy = aws.iam.Policy(
    "deploy-policy",
    name=f"{ROLE_NAME}-permissions",
    description="What serverless-platform deploys, scoped to its resource names",
    policy=identity.account_id.apply(lambda account: json.dumps(deploy_permissions(account))),
    tags=tags,
    opts=options,
)
aws.iam.RolePolicyAttachment(
    "deploy-policy-attachment", role=role.name, policy_arn=policy.arn, opts=options
)
pulumi.export("deploy_role_arn", role.arn)
