"""IAM documents never allow `*` or a whole service (`svc:*`)."""

from pulumi_policy import Severity

from ...core import metadata
from ...core.documents import (
    DOCUMENT_TYPES,
    IDENTITY,
    KEY,
    RESOURCE,
    TRUST,
    Statement,
    is_wildcard_action,
)
from ...core.iam import document_check
from ...core.policy import MANDATORY, Config, resource_policy


def _rule(statement: Statement, config: Config) -> str | None:
    wildcards = [action for action in statement.actions if is_wildcard_action(action)]
    if statement.allows and wildcards:
        return f"allows the wildcard action(s) {', '.join(map(repr, wildcards))}"
    return None


POLICY = resource_policy(
    name="iam-no-wildcard-actions",
    description=(
        "IAM, resource and key policies do not allow wildcard actions ('*' or 'service:*')."
    ),
    resource_types=DOCUMENT_TYPES,
    check=document_check((IDENTITY, TRUST, RESOURCE, KEY), _rule, "list the exact actions needed"),
    category=metadata.IAM,
    severity=Severity.HIGH,
    enforcement=MANDATORY,
    remediation=(
        "Replace '*' and 'service:*' in Allow statements with the specific actions the "
        "principal needs. Deny statements may use wildcards."
    ),
    mappings=(
        "fsbp:IAM.21",
        "cdk-nag:AwsSolutions-IAM5",
        "checkov:CKV_AWS_63",
        "fsbp:IAM.1",
    ),
)
