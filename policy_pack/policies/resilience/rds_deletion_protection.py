"""RDS instances and clusters in protected environments cannot be deleted by accident."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import families, metadata
from ...core.policy import MANDATORY, Config, resource_policy
from ...core.props import is_true


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    environment = families.require_in_environment(args, config, "deletion protection")
    if not is_true(args.props.get("deletionProtection")):
        yield (
            f"{families.label(args.resource_type)} '{args.name}' (Environment {environment}) "
            "has no deletion protection; set deletion_protection=True"
        )


POLICY = resource_policy(
    name="rds-deletion-protection",
    description=(
        "RDS DB instances and clusters in the configured environments have deletion protection."
    ),
    resource_types=families.RDS_DATABASES,
    check=_check,
    category=metadata.RESILIENCE,
    severity=Severity.MEDIUM,
    enforcement=MANDATORY,
    remediation=(
        "Set deletion_protection=True on the aws.rds.Instance or aws.rds.Cluster (Aurora "
        "protects at the cluster). Which environments need it is this policy's "
        "`environments` config (globs over the Environment tag)."
    ),
    mappings=metadata.mappings(
        "fsbp:RDS.8",
        "fsbp:RDS.7",
        "cdk-nag:AwsSolutions-RDS10",
        "checkov:CKV_AWS_293",
        "checkov:CKV_AWS_139",
    ),
    options={"environments": families.environments_option("databases need deletion protection")},
)
