"""Role trust policies name the principals that may assume the role."""

from pulumi_policy import Severity

from ...core import metadata
from ...core.documents import TRUST, Statement, types_with
from ...core.iam import document_check
from ...core.policy import MANDATORY, Config, resource_policy


def _rule(statement: Statement, config: Config) -> str | None:
    if statement.allows and statement.has_public_principal:
        return "lets any principal ('*') assume it"
    if statement.admits_everyone:
        return "lets every principal not in its NotPrincipal assume it"
    return None


POLICY = resource_policy(
    name="iam-trust-policy-no-wildcard-principal",
    description="Role trust policies name service principals or accounts, never '*'.",
    resource_types=types_with(TRUST),
    check=document_check((TRUST,), _rule, "name the service principal or account that needs it"),
    category=metadata.IAM,
    severity=Severity.CRITICAL,
    enforcement=MANDATORY,
    remediation=(
        "Set Principal to {'Service': '<service>.amazonaws.com'} or an exact account/role ARN."
    ),
    mappings=("checkov:CKV_AWS_60",),
)
