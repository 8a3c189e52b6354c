"""Cross-account role trust requires an sts:ExternalId condition.

Only other accounts count: the account the role's own provider deploys into (pinned by
`assume_roles` or `allowed_account_ids`, see `core.accounts`) and the accounts listed in
`trusted_account_ids` may assume the role without one.
"""

import re
from collections.abc import Iterator
from functools import cache

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import metadata
from ...core.accounts import provider_account
from ...core.documents import TRUST, Statement, types_with
from ...core.iam import document_check
from ...core.policy import MANDATORY, Config, resource_policy, string_list

# `arn:aws:iam::<account>:root`, `...:role/x`, `arn:aws:sts::<account>:...`, or the bare id.
_ACCOUNT = re.compile(r"^(?:arn:aws[\w-]*:(?:iam|sts)::)?(\d{12})(?::|$)")
_FIX = (
    "add Condition {'StringEquals': {'sts:ExternalId': '<shared secret>'}} or list the "
    "account in trusted_account_ids"
)


def _accounts(statement: Statement) -> set[str]:
    return {
        match.group(1)
        for principal in statement.principals.get("AWS", ())
        if (match := _ACCOUNT.match(principal))
    }


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    trusted = set(config["trusted_account_ids"])
    # Read only when a statement needs it: the provider's inputs may be unknown.
    own_account = cache(lambda: provider_account(args.provider))

    def rule(statement: Statement, config: Config) -> str | None:
        if not statement.allows or "sts:externalid" in statement.condition_keys():
            return None
        others = _accounts(statement) - trusted
        if others and (own := own_account()):
            others.discard(own)
        if others:
            return (
                f"lets account(s) {', '.join(sorted(others))} assume it without an "
                "sts:ExternalId condition"
            )
        return None

    yield from document_check((TRUST,), rule, _FIX)(args, config)


POLICY = resource_policy(
    name="iam-trust-cross-account-external-id",
    description="Trust policies that admit other AWS accounts require sts:ExternalId.",
    resource_types=types_with(TRUST),
    check=_check,
    category=metadata.IAM,
    severity=Severity.HIGH,
    enforcement=MANDATORY,
    remediation=(
        "Add an sts:ExternalId condition to statements that trust another account. The "
        "stack's own account needs none once its provider pins it (assume_roles or a "
        "single allowed_account_ids entry); accounts of your own organisation can be "
        "listed in this policy's trusted_account_ids config."
    ),
    options={
        "trusted_account_ids": string_list(
            (), "Account ids whose principals may assume roles without sts:ExternalId."
        )
    },
)
