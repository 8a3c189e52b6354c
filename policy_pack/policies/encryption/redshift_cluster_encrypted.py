"""Redshift clusters are encrypted at rest (the default, unless switched off)."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import families, metadata
from ...core.policy import MANDATORY, Config, resource_policy
from ...core.props import is_customer_managed_key


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    # pulumi-aws 7 encrypts clusters unless encrypted="false" (a string input).
    if families.is_false(args.props.get("encrypted")):
        yield (
            f"Redshift cluster '{args.name}' is not encrypted at rest (encrypted=false); "
            "remove that or set encrypted='true' (with kms_key_id a customer-managed key)"
        )
    key = args.props.get("kmsKeyId")
    if key is not None and not is_customer_managed_key(key):
        yield (
            f"Redshift cluster '{args.name}' names the AWS-managed key {key!r}; set kms_key_id "
            "to a customer-managed key"
        )


POLICY = resource_policy(
    name="redshift-cluster-encrypted",
    description="Redshift clusters are encrypted at rest.",
    resource_types=families.REDSHIFT_CLUSTERS,
    check=_check,
    category=metadata.ENCRYPTION,
    severity=Severity.HIGH,
    enforcement=MANDATORY,
    remediation=(
        "Leave encrypted at its default ('true') on the aws.redshift.Cluster, optionally "
        "with kms_key_id a customer-managed key; Redshift migrates an unencrypted cluster "
        "when encryption is switched on."
    ),
    mappings=metadata.mappings(
        "fsbp:Redshift.10",
        "cdk-nag:AwsSolutions-RS6",
        "checkov:CKV_AWS_64",
        "awsguard:redshift-cluster-configuration",
    ),
)
