"""Cross-account role trust requires an sts:ExternalId condition."""

import re

from pulumi_policy import Severity

from ...core import metadata
from ...core.documents import TRUST, Statement, types_with
from ...core.iam import document_check
from ...core.policy import MANDATORY, Config, resource_policy, string_list

_ACCOUNT = re.compile(r"^(?:arn:aws[\w-]*:(?:iam|sts)::)?(\d{12})(?::|$)")


def _rule(statement: Statement, config: Config) -> str | None:
    trusted = set(config["trusted_account_ids"])
    accounts = sorted(
        {
            match.group(1)
            for principal in statement.principals.get("AWS", ())
            if (match := _ACCOUNT.match(principal))
        }
        - trusted
    )
    if statement.allows and accounts and "sts:externalid" not in statement.condition_keys():
        return (
            f"lets account(s) {', '.join(accounts)} assume it without an sts:ExternalId condition"
        )
    return None


POLICY = resource_policy(
    name="iam-trust-cross-account-external-id",
    description="Trust policies that admit other AWS accounts require sts:ExternalId.",
    resource_types=types_with(TRUST),
    check=document_check(
        (TRUST,),
        _rule,
        "add Condition {'StringEquals': {'sts:ExternalId': '<shared secret>'}} or list the "
        "account in trusted_account_ids",
    ),
    category=metadata.IAM,
    severity=Severity.HIGH,
    enforcement=MANDATORY,
    remediation=(
        "Add an sts:ExternalId condition to statements that trust another account. Accounts "
        "of your own organisation can be listed in this policy's trusted_account_ids config."
    ),
    options={
        "trusted_account_ids": string_list(
            (), "Account ids whose principals may assume roles without sts:ExternalId."
        )
    },
)
