"""No principal gets AdministratorAccess, PowerUserAccess or IAMFullAccess."""

import re
from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import metadata
from ...core.policy import MANDATORY, Config, resource_policy, string_list
from ...core.props import as_list

# Where each type names managed policy ARNs.
ARN_INPUTS = {
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": "policyArn",
    "aws:iam/userPolicyAttachment:UserPolicyAttachment": "policyArn",
    "aws:iam/groupPolicyAttachment:GroupPolicyAttachment": "policyArn",
    "aws:iam/policyAttachment:PolicyAttachment": "policyArn",
    "aws:iam/role:Role": "managedPolicyArns",
    "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive": "policyArns",
    "aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive": "policyArns",
    "aws:iam/groupPolicyAttachmentsExclusive:GroupPolicyAttachmentsExclusive": "policyArns",
    "aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment": "managedPolicyArn",
    "aws:ssoadmin/managedPolicyAttachmentsExclusive:ManagedPolicyAttachmentsExclusive": (
        "managedPolicyArns"
    ),
}
_AWS_MANAGED = re.compile(r"^arn:aws[\w-]*:iam::aws:policy/(?:.*/)?([^/]+)$")


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    forbidden = set(config["forbidden_policies"])
    for arn in as_list(args.props.get(ARN_INPUTS[args.resource_type])):
        match = _AWS_MANAGED.match(arn) if isinstance(arn, str) else None
        if match and match.group(1) in forbidden:
            yield (
                f"{metadata.label(args.resource_type)} '{args.name}' attaches the AWS managed "
                f"policy {match.group(1)}; grant a least-privilege policy instead"
            )


POLICY = resource_policy(
    name="iam-no-privileged-managed-policies",
    description="AdministratorAccess, PowerUserAccess and IAMFullAccess are never attached.",
    resource_types=ARN_INPUTS,
    check=_check,
    category=metadata.IAM,
    severity=Severity.CRITICAL,
    enforcement=MANDATORY,
    remediation=(
        "Replace the managed policy with an inline or customer-managed least-privilege policy."
    ),
    mappings=("checkov:CKV_AWS_274", "checkov:CKV2_AWS_56"),
    options={
        "forbidden_policies": string_list(
            ("AdministratorAccess", "PowerUserAccess", "IAMFullAccess"),
            "Names of AWS managed policies that must not be attached.",
        )
    },
)
