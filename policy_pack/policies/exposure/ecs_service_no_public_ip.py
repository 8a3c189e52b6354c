"""ECS services do not assign public IP addresses to their tasks."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import metadata
from ...core.policy import ADVISORY, Config, resource_policy
from ...core.props import dig, is_true


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    if is_true(dig(args.props.get("networkConfiguration"), "assignPublicIp")):
        yield (
            f"ECS service '{args.name}' gives each task a public IP address; set "
            "network_configuration.assign_public_ip=False, run tasks in private subnets (with "
            "a NAT gateway or VPC endpoints) and expose them through a load balancer"
        )


POLICY = resource_policy(
    name="ecs-service-no-public-ip",
    description="ECS services do not assign public IP addresses to their tasks.",
    resource_types=("aws:ecs/service:Service",),
    check=_check,
    category=metadata.EXPOSURE,
    severity=Severity.HIGH,
    enforcement=ADVISORY,
    remediation="Set network_configuration={'assign_public_ip': False, ...} on the service.",
    mappings=("fsbp:ECS.2", "checkov:CKV_AWS_333"),
)
