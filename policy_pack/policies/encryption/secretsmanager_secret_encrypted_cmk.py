"""Secrets Manager secrets, and their replicas, use a customer-managed KMS key."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import families, metadata
from ...core.policy import MANDATORY, Config, resource_policy
from ...core.props import as_list, dig, is_customer_managed_key


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    if not is_customer_managed_key(args.props.get("kmsKeyId")):
        yield (
            f"Secrets Manager secret '{args.name}' is encrypted with the AWS-managed key "
            "aws/secretsmanager; set kms_key_id to a customer-managed key"
        )
    regions = [
        str(dig(replica, "region") or "?")
        for replica in as_list(args.props.get("replicas"))
        if not is_customer_managed_key(dig(replica, "kmsKeyId"))
    ]
    if regions:
        yield (
            f"Secrets Manager secret '{args.name}' has replicas in {', '.join(regions)} "
            "encrypted with the AWS-managed key; set kms_key_id on each replica to a "
            "customer-managed key in its region"
        )


POLICY = resource_policy(
    name="secretsmanager-secret-encrypted-cmk",
    description=(
        "Secrets Manager secrets and their replicas are encrypted with a customer-managed KMS key."
    ),
    resource_types=families.SECRETS,
    check=_check,
    category=metadata.ENCRYPTION,
    severity=Severity.MEDIUM,
    enforcement=MANDATORY,
    remediation=(
        "Set kms_key_id on the aws.secretsmanager.Secret, and on each of its replicas, to a "
        "customer-managed key whose policy admits the secret's readers (and the rotation "
        "function)."
    ),
    mappings=metadata.mappings("checkov:CKV_AWS_149"),
)
