"""Bucket, queue, topic, key and log resource policies are not open to everyone."""

from pulumi_policy import Severity

from ...core import metadata
from ...core.documents import KEY, RESOURCE, Statement, types_with
from ...core.iam import document_check
from ...core.policy import MANDATORY, Config, resource_policy

# Condition keys that bound "*" to an account, organisation, source or network.
RESTRICTING_KEYS = frozenset(
    {
        "aws:sourcearn",
        "aws:sourceaccount",
        "aws:sourceowner",
        "aws:sourceorgid",
        "aws:sourcevpc",
        "aws:sourcevpce",
        "aws:principalorgid",
        "aws:principalorgpaths",
        "aws:principalaccount",
        "aws:principalarn",
        "kms:calleraccount",
    }
)
# An API's resource policy governs who may call a (deliberately public) API.
_API_TYPES = {"aws:apigateway/restApi:RestApi", "aws:apigateway/restApiPolicy:RestApiPolicy"}


def _rule(statement: Statement, config: Config) -> str | None:
    if (
        statement.allows
        and statement.has_public_principal
        and not (statement.condition_keys() & RESTRICTING_KEYS)
    ):
        return "allows any principal ('*') with no account, organisation or source condition"
    return None


POLICY = resource_policy(
    name="iam-resource-policy-not-public",
    description=(
        "Bucket, queue, topic, KMS key and log resource policies do not grant access to everyone."
    ),
    resource_types=types_with(RESOURCE, KEY) - _API_TYPES,
    check=document_check(
        (RESOURCE, KEY),
        _rule,
        "name the principals, or add an aws:SourceArn, aws:SourceAccount or aws:PrincipalOrgID "
        "condition",
    ),
    category=metadata.IAM,
    severity=Severity.CRITICAL,
    enforcement=MANDATORY,
    remediation=(
        "Replace Principal '*' with the service or account principals that need access, or "
        "bound it with a condition on aws:SourceArn, aws:SourceAccount or aws:PrincipalOrgID."
    ),
    mappings=(
        "checkov:CKV_AWS_70",
        "checkov:CKV_AWS_168",
        "checkov:CKV_AWS_169",
        "checkov:CKV_AWS_33",
    ),
)
