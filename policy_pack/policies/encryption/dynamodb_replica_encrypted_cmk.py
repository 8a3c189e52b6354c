"""Global-table replicas are encrypted with a customer-managed key in their region."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import metadata
from ...core.policy import MANDATORY, Config, resource_policy
from ...core.props import dig, is_customer_managed_key


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    replicas = args.props.get("replicas") or []
    if not replicas:
        args.not_applicable("the table has no replicas")
    for replica in replicas:
        if not is_customer_managed_key(dig(replica, "kmsKeyArn")):
            region = dig(replica, "regionName") or "?"
            yield (
                f"DynamoDB table '{args.name}' has a replica in {region} without a "
                "customer-managed KMS key; set kms_key_arn on the replica to a key in "
                "that region"
            )


POLICY = resource_policy(
    name="dynamodb-replica-encrypted-cmk",
    description="DynamoDB global-table replicas are encrypted with a customer-managed KMS key.",
    resource_types=("aws:dynamodb/table:Table",),
    check=_check,
    category=metadata.ENCRYPTION,
    severity=Severity.HIGH,
    enforcement=MANDATORY,
    remediation=(
        "Give every entry of replicas a kms_key_arn: a customer-managed key in the "
        "replica's region (a replica cannot use the primary region's key)."
    ),
    mappings=("checkov:CKV_AWS_119",),
)
