"""No principal can rewrite managed policies (a new or an older default version)."""

from pulumi_policy import Severity

from ...core import metadata
from ...core.escalation import POLICY_VERSIONS, escalation_policy
from ...core.policy import MANDATORY

POLICY = escalation_policy(
    name="iam-no-escalation-via-policy-versions",
    description=(
        "Identity policies do not allow iam:CreatePolicyVersion or iam:SetDefaultPolicyVersion."
    ),
    paths=(POLICY_VERSIONS,),
    fix="grant inline role policies under a permissions boundary instead of managed-policy edits",
    category=metadata.IAM,
    severity=Severity.CRITICAL,
    enforcement=MANDATORY,
    remediation=(
        "A principal that can publish a new default version of a managed policy, or switch "
        "back to an older one, changes what every holder of that policy may do, itself "
        "included. Manage workload permissions as inline role policies (bounded by a "
        "permissions boundary); where a pipeline must edit named managed policies, exempt "
        "that statement with a reason."
    ),
    mappings=("checkov:CKV_AWS_286", "checkov:CKV_AWS_289"),
)
