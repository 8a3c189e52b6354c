"""Security groups open only authorized ports (80 and 443 by default) to the internet."""

from collections.abc import Iterator
from typing import Any

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import metadata, network
from ...core.policy import ADVISORY, Config, option, resource_policy


def _authorized(rule: network.Ingress, config: Config) -> bool:
    ports = rule.ports
    if ports is None:
        return True  # ICMP and other port-less protocols: not what EC2.18 is about
    if rule.protocol == network.ALL_PROTOCOLS:
        return False
    allowed = {int(port) for port in config[f"authorized_{rule.protocol}_ports"]}
    low, high = ports
    return high - low < len(allowed) and all(port in allowed for port in range(low, high + 1))


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    for rule in network.ingress_of(args):
        if rule.is_public and not _authorized(rule, config):
            tcp = ", ".join(str(int(port)) for port in config["authorized_tcp_ports"]) or "none"
            yield (
                f"{network.label(args.resource_type)} '{args.name}' {rule.describe()}, beyond "
                f"the ports authorized for the internet (tcp: {tcp}); restrict the source, or "
                "add the port to this policy's authorized ports if it is meant to be public"
            )


def _ports(default: list[int], what: str) -> dict[str, Any]:
    return option(
        "array",
        default,
        f"{what} ports that may be open to 0.0.0.0/0 or ::/0.",
        items={"type": "integer", "minimum": 0, "maximum": network.MAX_PORT},
    )


POLICY = resource_policy(
    name="ec2-security-group-public-ports-authorized",
    description=(
        "Security groups allow ingress from 0.0.0.0/0 or ::/0 only to authorized TCP/UDP "
        "ports (80 and 443 by default)."
    ),
    resource_types=network.INGRESS_CARRIERS,
    check=_check,
    category=metadata.EXPOSURE,
    severity=Severity.HIGH,
    enforcement=ADVISORY,
    remediation=(
        "Put public services behind a load balancer on 80/443 and allow other ports only "
        "from known sources; authorize a port in this policy's config when it must be public."
    ),
    mappings=metadata.mappings("fsbp:EC2.18", "cdk-nag:AwsSolutions-EC23"),
    options={
        "authorized_tcp_ports": _ports([80, 443], "TCP"),
        "authorized_udp_ports": _ports([], "UDP"),
    },
)
