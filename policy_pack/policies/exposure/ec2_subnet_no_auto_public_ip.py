"""Subnets do not give every instance launched in them a public IPv4 address."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import metadata
from ...core.policy import ADVISORY, Config, resource_policy
from ...core.props import is_true


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    if is_true(args.props.get("mapPublicIpOnLaunch")):
        yield (
            f"EC2 subnet '{args.name}' assigns a public IP address to every instance launched "
            "in it; set map_public_ip_on_launch=False (load balancers and NAT gateways do not "
            "need it)"
        )


POLICY = resource_policy(
    name="ec2-subnet-no-auto-public-ip",
    description="Subnets do not automatically assign public IPv4 addresses on launch.",
    resource_types=("aws:ec2/subnet:Subnet",),
    check=_check,
    category=metadata.EXPOSURE,
    severity=Severity.MEDIUM,
    enforcement=ADVISORY,
    remediation="Set map_public_ip_on_launch=False on the aws.ec2.Subnet.",
    mappings=metadata.mappings("fsbp:EC2.15", "checkov:CKV_AWS_130"),
)
