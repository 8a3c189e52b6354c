"""iam:PassRole names the roles it may pass."""

from pulumi_policy import Severity

from ...core import metadata
from ...core.documents import IDENTITY, Statement, types_with
from ...core.iam import document_check, grants_on_any
from ...core.policy import MANDATORY, Config, resource_policy


def _any_role(resource: str) -> bool:
    return resource == "*" or resource.endswith((":role/*", ":*"))


def _rule(statement: Statement, config: Config) -> str | None:
    if grants_on_any(statement, "iam:PassRole", _any_role):
        return "allows iam:PassRole on any role"
    return None


POLICY = resource_policy(
    name="iam-no-passrole-wildcard",
    description="iam:PassRole is granted only on named roles, never on '*'.",
    resource_types=types_with(IDENTITY),
    check=document_check((IDENTITY,), _rule, "list the ARNs of the roles it may pass"),
    category=metadata.IAM,
    severity=Severity.HIGH,
    enforcement=MANDATORY,
    remediation=(
        "Scope iam:PassRole to the exact role ARNs, ideally with an iam:PassedToService condition."
    ),
)
