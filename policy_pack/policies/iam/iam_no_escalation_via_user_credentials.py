"""No principal can create access keys or console passwords for users other than itself."""

from pulumi_policy import Severity

from ...core import metadata
from ...core.escalation import USER_CREDENTIALS, escalation_policy
from ...core.policy import MANDATORY

POLICY = escalation_policy(
    name="iam-no-escalation-via-user-credentials",
    description=(
        "iam:CreateAccessKey, iam:CreateLoginProfile and iam:UpdateLoginProfile apply only to "
        "the caller's own user (user/${aws:username})."
    ),
    paths=(USER_CREDENTIALS,),
    fix="scope the Resource to arn:aws:iam::<account>:user/${aws:username}",
    category=metadata.IAM,
    severity=Severity.CRITICAL,
    enforcement=MANDATORY,
    remediation=(
        "A principal that can create access keys or set console passwords for another user "
        "signs in as that user. Scope these actions to the caller's own user with the "
        "policy variable: Resource 'arn:aws:iam::<account>:user/${aws:username}'."
    ),
    mappings=("checkov:CKV_AWS_286", "checkov:CKV_AWS_287"),
)
