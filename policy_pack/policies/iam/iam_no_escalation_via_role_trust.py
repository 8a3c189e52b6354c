"""No principal can rewrite who may assume a role."""

from pulumi_policy import Severity

from ...core import metadata
from ...core.escalation import ROLE_TRUST, escalation_policy
from ...core.policy import MANDATORY

POLICY = escalation_policy(
    name="iam-no-escalation-via-role-trust",
    description="Identity policies do not allow iam:UpdateAssumeRolePolicy.",
    paths=(ROLE_TRUST,),
    fix="let only administrators change trust policies",
    category=metadata.IAM,
    severity=Severity.CRITICAL,
    enforcement=MANDATORY,
    remediation=(
        "A principal that can rewrite a role's trust policy can make the role assumable by "
        "itself and take on its permissions. Keep iam:UpdateAssumeRolePolicy out of "
        "workload and deploy roles; where a pipeline must manage the trust of roles it "
        "creates under a permissions boundary, exempt that statement with a reason."
    ),
    mappings=("checkov:CKV_AWS_286",),
)
