"""Resource policies and grants are not open to everyone, on every service that has them.

One evaluator (`core.iam.public_access`) judges them all: S3 bucket and access-point
policies, SQS queue, SNS topic and KMS key policies, Lambda permissions and layer
permissions, ECR repository and registry policies, Secrets Manager secret policies, API
Gateway REST API policies, EventBridge bus policies, Glacier vault policies, OpenSearch
(and Elasticsearch) domain policies, and the other types `core.documents` lists. A
statement fails when it allows Principal '*' (or everyone but a NotPrincipal list)
without a condition that bounds the caller: aws:SourceArn, aws:SourceAccount,
aws:PrincipalOrgID, aws:SourceVpce and the rest of `core.iam.RESTRICTING_KEYS`, with an
operator that is not negated or `...IfExists` and a value that is not a wildcard.
"""

from pulumi_policy import Severity

from ...core import metadata
from ...core.documents import GRANT, KEY, RESOURCE, Statement, types_with
from ...core.iam import document_check, public_access
from ...core.policy import MANDATORY, Config, resource_policy, string_list

# Calling a public API is what a public API is for; its own authorization (API keys,
# authorizers) then applies.
PUBLIC_ACTIONS = ("execute-api:Invoke",)


def _rule(statement: Statement, config: Config) -> str | None:
    return public_access(statement, config["public_actions"])


POLICY = resource_policy(
    name="iam-resource-policy-not-public",
    description=(
        "Resource policies and grants (S3, SQS, SNS, KMS, Lambda, ECR, Secrets Manager, API "
        "Gateway, EventBridge, Glacier, OpenSearch ...) do not grant access to everyone."
    ),
    resource_types=types_with(RESOURCE, KEY, GRANT),
    check=document_check(
        (RESOURCE, KEY, GRANT),
        _rule,
        "name the principals, or add an aws:SourceArn, aws:SourceAccount or aws:PrincipalOrgID "
        "condition (a Lambda permission: source_arn, source_account or principal_org_id)",
    ),
    category=metadata.IAM,
    severity=Severity.CRITICAL,
    enforcement=MANDATORY,
    remediation=(
        "Replace Principal '*' (and any Allow with NotPrincipal) with the service or account "
        "principals that need access, or bound it with a condition on aws:SourceArn, "
        "aws:SourceAccount, aws:PrincipalOrgID or aws:SourceVpce. Actions that are public "
        "by design are listed in this policy's public_actions config."
    ),
    mappings=(
        "checkov:CKV_AWS_70",
        "checkov:CKV_AWS_168",
        "checkov:CKV_AWS_169",
        "checkov:CKV_AWS_33",
        "checkov:CKV_AWS_32",
        "checkov:CKV_AWS_167",
        "checkov:CKV_AWS_301",
        "checkov:CKV_AWS_387",
        "fsbp:KMS.5",
        "fsbp:SNS.4",
        "fsbp:SQS.3",
        "fsbp:S3.2",
        "fsbp:S3.3",
        "fsbp:Lambda.1",
    ),
    options={
        "public_actions": string_list(
            PUBLIC_ACTIONS,
            "Actions a statement may grant to everyone (case-insensitive, exact): every "
            "action of the statement must be listed.",
        )
    },
)
