"""The deploy role a target account provides, so another account's CI can deploy the
platform into it (see the `prod-shared` stack).

Trust: the CI's OIDC provider (GitHub Actions: this repository, and only the deployment
environments named in config) and the deploying account, which must present the
external id. Permissions: what the platform deploys, on resources named the way the
platform names them or carrying its `Project` tag (`permissions.py`). Every role it
creates carries the permissions boundary created here (`boundary.py`).
"""

from __future__ import annotations

import json

import pulumi
import pulumi_aws as aws
from boundary import role_boundary
from permissions import DeployScope, deploy_permissions
from settings import PROJECT, BootstrapSettings

ROLE_NAME = "serverless-platform-deploy"
POLICY_NAME = f"{ROLE_NAME}-permissions"
BOUNDARY_NAME = "serverless-platform-role-boundary"
GITHUB_OIDC_HOST = "token.actions.githubusercontent.com"


def _stack_config() -> BootstrapSettings:
    """Every key set under the namespace, so that a misspelled one is an error."""
    from pulumi.runtime import config as runtime_config

    given = {*runtime_config.CONFIG.get(), *runtime_config.get_config_env()}
    names = {key.split(":", 1)[1] for key in given if key.startswith(f"{PROJECT}:")}
    config = pulumi.Config(PROJECT)
    return BootstrapSettings.parse({name: config.get(name) for name in names})


settings = _stack_config()
region = settings.region
deploying_account = settings.deploying_account_id
external_id = settings.external_id
repository = settings.github_repository
hosted_zone_id = settings.platform_hosted_zone_id
environments = settings.github_environments
tags = settings.tags

provider = aws.Provider("aws", region=region)
identity = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(provider=provider))
options = pulumi.ResourceOptions(provider=provider)

if settings.create_oidc_provider:
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
                    "StringEquals": {
                        f"{GITHUB_OIDC_HOST}:aud": "sts.amazonaws.com",
                        f"{GITHUB_OIDC_HOST}:sub": [
                            f"repo:{repository}:environment:{environment}"
                            for environment in environments
                        ],
                    },
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


def _scope(account: str) -> DeployScope:
    return DeployScope(
        account=account,
        project_tag=tags["Project"],
        role_name=ROLE_NAME,
        policy_name=POLICY_NAME,
        boundary_name=BOUNDARY_NAME,
        hosted_zone_id=hosted_zone_id,
    )


boundary = aws.iam.Policy(
    "role-boundary",
    name=BOUNDARY_NAME,
    description="The most a serverless-platform role may do; the deploy role puts it on each",
    policy=identity.account_id.apply(lambda account: json.dumps(role_boundary(_scope(account)))),
    tags=tags,
    opts=options,
)
policy = aws.iam.Policy(
    "deploy-policy",
    name=POLICY_NAME,
    description="What serverless-platform deploys, scoped to its resource names and tag",
    policy=identity.account_id.apply(
        lambda account: json.dumps(deploy_permissions(_scope(account)))
    ),
    tags=tags,
    opts=options,
)
aws.iam.RolePolicyAttachment(
    "deploy-policy-attachment", role=role.name, policy_arn=policy.arn, opts=options
)
pulumi.export("deploy_role_arn", role.arn)
# The platform's stacks set it as target.permissionsBoundaryArn.
pulumi.export("role_boundary_arn", boundary.arn)
