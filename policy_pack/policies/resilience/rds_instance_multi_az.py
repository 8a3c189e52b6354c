"""RDS instances in the configured environments run Multi-AZ."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import families, metadata
from ...core.policy import ADVISORY, Config, resource_policy
from ...core.props import is_true


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    environment = families.require_in_environment(args, config, "Multi-AZ")
    if not is_true(args.props.get("multiAz")):
        yield (
            f"RDS instance '{args.name}' (Environment {environment}) runs in a single "
            "Availability Zone; set multi_az=True"
        )


POLICY = resource_policy(
    name="rds-instance-multi-az",
    description="RDS DB instances in the configured environments are Multi-AZ deployments.",
    resource_types=families.RDS_INSTANCES,
    check=_check,
    category=metadata.RESILIENCE,
    severity=Severity.MEDIUM,
    enforcement=ADVISORY,
    remediation=(
        "Set multi_az=True on the aws.rds.Instance (a standby in a second Availability Zone, "
        "at twice the instance cost). Which environments need it is this policy's "
        "`environments` config."
    ),
    mappings=metadata.mappings(
        "fsbp:RDS.5", "checkov:CKV_AWS_157", "awsguard:rds-instance-multi-az-enabled"
    ),
    options={"environments": families.environments_option("instances need Multi-AZ")},
)
