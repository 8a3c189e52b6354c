"""EC2 instances, launch templates and launch configurations assign no public IPv4 address."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import metadata, network
from ...core.policy import ADVISORY, Config, resource_policy
from ...core.props import as_list, dig, is_true

LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    what = f"{network.label(args.resource_type)} '{args.name}'"
    if args.resource_type == LAUNCH_TEMPLATE:
        # A string on the wire ("true"/"false"): the template keeps it tri-state.
        for index, interface in enumerate(as_list(args.props.get("networkInterfaces"))):
            if is_true(dig(interface, "associatePublicIpAddress")):
                yield (
                    f"{what} gives network_interfaces[{index}] a public IP address; set "
                    "associate_public_ip_address='false' and reach the instances through a "
                    "load balancer or SSM"
                )
    elif is_true(args.props.get("associatePublicIpAddress")):
        yield (
            f"{what} gets a public IP address; set associate_public_ip_address=False, launch "
            "it in a private subnet and reach it through a load balancer or SSM"
        )


POLICY = resource_policy(
    name="ec2-instance-no-public-ip",
    description=(
        "EC2 instances, launch templates and launch configurations do not associate a "
        "public IPv4 address."
    ),
    resource_types=(
        "aws:ec2/instance:Instance",
        LAUNCH_TEMPLATE,
        "aws:ec2/launchConfiguration:LaunchConfiguration",
    ),
    check=_check,
    category=metadata.EXPOSURE,
    severity=Severity.HIGH,
    enforcement=ADVISORY,
    remediation=(
        "Set associate_public_ip_address=False (a launch template's network interfaces: "
        "'false'), use private subnets, and expose services through a load balancer."
    ),
    mappings=metadata.mappings(
        "fsbp:EC2.9",
        "fsbp:EC2.25",
        "fsbp:Autoscaling.5",
        "checkov:CKV_AWS_88",
        "awsguard:ec2-instance-no-public-ip",
    ),
)
