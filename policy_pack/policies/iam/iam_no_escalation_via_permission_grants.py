"""No principal can grant itself permissions: role, user and group policy changes are
bounded by a permissions boundary."""

from pulumi_policy import Severity

from ...core import metadata
from ...core.escalation import GRANT_PERMISSIONS, escalation_policy
from ...core.policy import MANDATORY

POLICY = escalation_policy(
    name="iam-no-escalation-via-permission-grants",
    description=(
        "Identity policies do not let a principal create roles or put or attach policies "
        "on roles, users or groups, unless an iam:PermissionsBoundary condition bounds it."
    ),
    paths=GRANT_PERMISSIONS,
    fix=(
        "add Condition {'StringEquals': {'iam:PermissionsBoundary': '<boundary policy ARN>'}} "
        "and leave group and boundary changes to administrators"
    ),
    category=metadata.IAM,
    severity=Severity.CRITICAL,
    enforcement=MANDATORY,
    remediation=(
        "A principal that can create a role, or put or attach a policy on a role, user or "
        "group, can give itself (or a role it then uses) any permission. Require an "
        "iam:PermissionsBoundary condition naming a boundary policy on every role and user "
        "change, deny changes to that boundary, and grant group policy, group membership "
        "and boundary removal to no workload or deploy role."
    ),
    mappings=("checkov:CKV_AWS_286", "checkov:CKV_AWS_289"),
)
