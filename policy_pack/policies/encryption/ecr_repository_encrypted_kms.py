"""ECR repositories encrypt images with KMS rather than the default AES256."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import families, metadata
from ...core.policy import MANDATORY, Config, resource_policy
from ...core.props import dig, is_customer_managed_key

KMS_TYPES = ("KMS", "KMS_DSSE")


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    encryption = args.props.get("encryptionConfigurations")
    kind = dig(encryption, "encryptionType") or "AES256"
    key = dig(encryption, "kmsKey")
    if kind not in KMS_TYPES:
        yield (
            f"ECR repository '{args.name}' encrypts images with {kind}, not KMS; set "
            "encryption_configurations=[{'encryption_type': 'KMS', 'kms_key': <key ARN>}]"
        )
    elif key is not None and not is_customer_managed_key(key):
        yield (
            f"ECR repository '{args.name}' names the AWS-managed key {key!r}; set kms_key to "
            "a customer-managed key (or leave it unset for aws/ecr)"
        )


POLICY = resource_policy(
    name="ecr-repository-encrypted-kms",
    description="ECR repositories encrypt images with KMS (encryption_type KMS).",
    resource_types=families.ECR_REPOSITORIES,
    check=_check,
    category=metadata.ENCRYPTION,
    severity=Severity.MEDIUM,
    enforcement=MANDATORY,
    remediation=(
        "Set encryption_configurations=[{'encryption_type': 'KMS', 'kms_key': key.arn}] on "
        "the aws.ecr.Repository, preferably with a customer-managed key. Encryption is fixed "
        "at creation: create a new repository and push the images again to change it."
    ),
    mappings=metadata.mappings("checkov:CKV_AWS_136"),
)
