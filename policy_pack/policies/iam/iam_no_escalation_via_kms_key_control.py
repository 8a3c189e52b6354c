"""No identity policy can rewrite every KMS key's policy or grant the use of every key."""

from pulumi_policy import Severity

from ...core import metadata
from ...core.escalation import KEY_CONTROL, escalation_policy
from ...core.policy import MANDATORY

POLICY = escalation_policy(
    name="iam-no-escalation-via-kms-key-control",
    description=(
        "Identity policies do not allow kms:PutKeyPolicy or kms:CreateGrant on every key "
        "('*' or key/*)."
    ),
    paths=KEY_CONTROL,
    fix=(
        "name the key ARNs (or scope them with an aws:ResourceTag/<key> or "
        "kms:ResourceAliases condition), and bound kms:CreateGrant with "
        "{'Bool': {'kms:GrantIsForAWSResource': 'true'}}"
    ),
    category=metadata.IAM,
    severity=Severity.HIGH,
    enforcement=MANDATORY,
    remediation=(
        "kms:PutKeyPolicy on every key lets a principal rewrite any key policy and take the "
        "key over; kms:CreateGrant on every key lets it give itself, or anyone, the use of "
        "any key. Scope both to the ARNs of the keys the principal administers, or, where "
        "the keys do not exist yet (a deploy role), to keys carrying the project's tag or "
        "alias through a bounding aws:ResourceTag/<key> or kms:ResourceAliases condition (key "
        "policies themselves are not checked: there '*' means the key), and add a "
        "kms:GrantIsForAWSResource condition to kms:CreateGrant."
    ),
    mappings=("cdk-nag:AwsSolutions-IAM5", "checkov:CKV_AWS_289", "checkov:CKV_AWS_355"),
)
