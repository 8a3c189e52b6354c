"""Explicit providers, one per region, built from the stack's deployment target.

No resource falls back to the default provider (stack files also disable it), and
`default_tags` stays off: tags are explicit inputs that policies see at preview.
"""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from serverless_platform.config import DeploymentTarget


def build_provider(name: str, target: DeploymentTarget, region: str) -> aws.Provider:
    """A provider for `region`, assuming the target's role when one is configured.

    `allowed_account_ids` pins the accounts the stack may deploy into
    (`target.allowedAccountIds`, else the assumed role's account), so credentials for the
    wrong account fail before anything is created there. It has to be set here: with the
    default provider disabled, `aws:allowedAccountIds` in config would reach nothing.
    """
    assume_roles = None
    if target.assume_role_arn:
        assume_roles = [
            aws.ProviderAssumeRoleArgs(
                role_arn=target.assume_role_arn,
                external_id=target.external_id,
                session_name=target.session_name,
            )
        ]
    return aws.Provider(
        name,
        region=region,
        assume_roles=assume_roles,
        allowed_account_ids=list(target.pinned_account_ids) or None,
        opts=pulumi.ResourceOptions(),
    )
