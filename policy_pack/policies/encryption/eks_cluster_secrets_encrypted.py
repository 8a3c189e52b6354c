"""EKS clusters envelope-encrypt Kubernetes secrets with a customer-managed KMS key."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import families, metadata
from ...core.policy import MANDATORY, Config, resource_policy
from ...core.props import as_list, dig, is_customer_managed_key


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    encryption = args.props.get("encryptionConfig")
    resources = as_list(dig(encryption, "resources"))
    key = dig(encryption, "provider", "keyArn")
    if "secrets" not in resources or not is_customer_managed_key(key):
        yield (
            f"EKS cluster '{args.name}' does not encrypt Kubernetes secrets with a KMS key; "
            "set encryption_config={'resources': ['secrets'], 'provider': {'key_arn': "
            "<customer-managed key ARN>}}"
        )


POLICY = resource_policy(
    name="eks-cluster-secrets-encrypted",
    description=(
        "EKS clusters envelope-encrypt Kubernetes secrets with a customer-managed KMS key."
    ),
    resource_types=families.EKS_CLUSTERS,
    check=_check,
    category=metadata.ENCRYPTION,
    severity=Severity.HIGH,
    enforcement=MANDATORY,
    remediation=(
        "Set encryption_config={'resources': ['secrets'], 'provider': {'key_arn': key.arn}} "
        "on the aws.eks.Cluster, with a symmetric customer-managed key whose policy admits "
        "the cluster role. It can be added to an existing cluster but never removed."
    ),
    mappings=metadata.mappings("fsbp:EKS.3", "checkov:CKV_AWS_58"),
)
