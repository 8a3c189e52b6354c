"""No Allow statement uses NotAction, NotResource or NotPrincipal."""

from pulumi_policy import Severity

from ...core import metadata
from ...core.documents import DOCUMENT_TYPES, IDENTITY, KEY, RESOURCE, TRUST, Statement
from ...core.iam import document_check
from ...core.policy import MANDATORY, Config, resource_policy


def _rule(statement: Statement, config: Config) -> str | None:
    negations = [
        key
        for key, values in (
            ("NotAction", statement.not_actions),
            ("NotResource", statement.not_resources),
            ("NotPrincipal", statement.not_principals),
        )
        if values
    ]
    if statement.allows and negations:
        return f"uses {' and '.join(negations)} in an Allow statement, which grants everything else"
    return None


POLICY = resource_policy(
    name="iam-no-allow-not-action",
    description="Allow statements do not use NotAction, NotResource or NotPrincipal.",
    resource_types=DOCUMENT_TYPES,
    check=document_check(
        (IDENTITY, TRUST, RESOURCE, KEY),
        _rule,
        "list the allowed actions, resources and principals instead",
    ),
    category=metadata.IAM,
    severity=Severity.HIGH,
    enforcement=MANDATORY,
    remediation=(
        "Rewrite the statement with Action, Resource and Principal lists; use NotAction, "
        "NotResource and NotPrincipal only in Deny statements."
    ),
)
