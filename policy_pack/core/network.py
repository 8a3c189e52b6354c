"""Shared helpers of the exposure policies for the families a fork adds: security-group
ingress in all its shapes, ELB and CloudFront TLS policy names, ECS container definitions.

Security groups take ingress in four places, and each spells it differently on the wire:

- `aws:ec2/securityGroup` and `aws:ec2/defaultSecurityGroup`: inline `ingress` blocks
  (`protocol`, `fromPort`, `toPort`, `cidrBlocks`, `ipv6CidrBlocks`);
- `aws:ec2/securityGroupRule` with `type: ingress`: the same keys, one rule;
- `aws:vpc/securityGroupIngressRule`: `ipProtocol`, `cidrIpv4`, `cidrIpv6`, and no ports
  when `ipProtocol` is `-1`.

`ingress_rules` turns all of them into `Ingress` values, so a policy asks one question
("which public rules open which ports?") whatever the resource.
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pulumi_policy import ResourceValidationArgs

from .props import as_list, as_number, dig, is_mapping, plain

SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup"
DEFAULT_SECURITY_GROUP = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"
SECURITY_GROUP_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule"
VPC_INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
VPC_EGRESS_RULE = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
# Every resource that carries security-group ingress.
INGRESS_CARRIERS = (SECURITY_GROUP, DEFAULT_SECURITY_GROUP, SECURITY_GROUP_RULE, VPC_INGRESS_RULE)
# The standalone rules that attach to a group through `securityGroupId`.
STANDALONE_RULES = (SECURITY_GROUP_RULE, VPC_INGRESS_RULE, VPC_EGRESS_RULE)
VPCS = ("aws:ec2/vpc:Vpc", "aws:ec2/defaultVpc:DefaultVpc")

LOAD_BALANCERS = ("aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer")
LISTENERS = ("aws:lb/listener:Listener", "aws:alb/listener:Listener")
TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition"
DISTRIBUTION = "aws:cloudfront/distribution:Distribution"
SEARCH_DOMAINS = ("aws:opensearch/domain:Domain", "aws:elasticsearch/domain:Domain")

_LABELS = {
    SECURITY_GROUP: "EC2 security group",
    DEFAULT_SECURITY_GROUP: "EC2 default security group",
    SECURITY_GROUP_RULE: "EC2 security group rule",
    VPC_INGRESS_RULE: "VPC security group ingress rule",
    VPC_EGRESS_RULE: "VPC security group egress rule",
    "aws:ec2/vpc:Vpc": "VPC",
    "aws:ec2/defaultVpc:DefaultVpc": "default VPC",
    "aws:ec2/instance:Instance": "EC2 instance",
    "aws:ec2/launchTemplate:LaunchTemplate": "EC2 launch template",
    "aws:ec2/launchConfiguration:LaunchConfiguration": "EC2 launch configuration",
    "aws:lb/loadBalancer:LoadBalancer": "load balancer",
    "aws:alb/loadBalancer:LoadBalancer": "load balancer",
    "aws:lb/listener:Listener": "load balancer listener",
    "aws:alb/listener:Listener": "load balancer listener",
    "aws:rds/instance:Instance": "RDS DB instance",
    "aws:rds/cluster:Cluster": "RDS DB cluster",
    "aws:rds/clusterInstance:ClusterInstance": "RDS cluster instance",
    "aws:opensearch/domain:Domain": "OpenSearch domain",
    "aws:elasticsearch/domain:Domain": "Elasticsearch domain",
}


def label(resource_type: str) -> str:
    """How a message names a resource of this type ('EC2 security group')."""
    return _LABELS.get(resource_type, resource_type)


# --- security-group ingress ----------------------------------------------------------

ALL_PROTOCOLS = "-1"
_PROTOCOL_NAMES = {"all": ALL_PROTOCOLS, "6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6"}
PORT_PROTOCOLS = ("tcp", "udp")
MAX_PORT = 65535

# FSBP EC2.19: the ports that must never be open to the internet (22 and 3389, the remote
# administration ports, among them).
HIGH_RISK_PORTS = (
    20, 21, 22, 23, 25, 110, 135, 143, 445, 1433, 1434, 3000, 3306, 3389,
    4333, 5000, 5432, 5500, 5601, 8080, 8088, 8888, 9200, 9300,
)  # fmt: skip


def _protocol(value: Any) -> str:
    number = as_number(value)
    text = str(int(number)) if number is not None else str(value or ALL_PROTOCOLS).lower()
    return _PROTOCOL_NAMES.get(text, text)


def is_public_cidr(cidr: Any) -> bool:
    """0.0.0.0/0, ::/0 and any other spelling of "every address"."""
    if not isinstance(cidr, str):
        return False
    try:
        return ipaddress.ip_network(cidr.strip(), strict=False).prefixlen == 0
    except ValueError:
        return False


@dataclass(frozen=True)
class Ingress:
    """One ingress rule: its protocol (`-1` for all traffic), port range and CIDR sources."""

    protocol: str
    from_port: int | None
    to_port: int | None
    cidrs: tuple[str, ...]
    # "ingress[1] " for an inline rule of a group, "" for a standalone rule.
    where: str = ""

    @property
    def public_sources(self) -> list[str]:
        return [cidr for cidr in self.cidrs if is_public_cidr(cidr)]

    @property
    def is_public(self) -> bool:
        return bool(self.public_sources)

    @property
    def ports(self) -> tuple[int, int] | None:
        """The port range it opens, or None for a protocol without ports (ICMP, ESP...)."""
        if self.protocol == ALL_PROTOCOLS:
            return (0, MAX_PORT)
        if self.protocol not in PORT_PROTOCOLS:
            return None
        low = self.from_port if self.from_port is not None else 0
        high = self.to_port if self.to_port is not None else MAX_PORT
        return (low, high)

    @property
    def opens_all_ports(self) -> bool:
        """All traffic, or a TCP/UDP range from 0 (or 1) to 65535."""
        ports = self.ports
        return self.protocol == ALL_PROTOCOLS or (
            ports is not None and ports[0] <= 1 and ports[1] >= MAX_PORT
        )

    def opened(self, ports: Iterable[float]) -> list[int]:
        """Which of `ports` the rule opens (config numbers arrive as floats)."""
        opened = self.ports
        if opened is None:
            return []
        return sorted({int(port) for port in ports if opened[0] <= port <= opened[1]})

    def describe(self) -> str:
        """'from 0.0.0.0/0 on tcp 20-23' / 'from ::/0 for all traffic'."""
        sources = ", ".join(self.public_sources or self.cidrs)
        ports = self.ports
        if self.protocol == ALL_PROTOCOLS:
            what = "for all traffic (protocol -1)"
        elif ports is None:
            what = f"on protocol {self.protocol}"
        elif ports[0] == ports[1]:
            what = f"on {self.protocol} port {ports[0]}"
        else:
            what = f"on {self.protocol} ports {ports[0]}-{ports[1]}"
        return f"{self.where}allows ingress from {sources} {what}"


def _port(value: Any) -> int | None:
    number = as_number(value)
    return int(number) if number is not None else None


def _block_rule(block: Mapping[str, Any], where: str = "") -> Ingress:
    """An inline `ingress` block, or an `aws:ec2/securityGroupRule`."""
    cidrs = [*as_list(block.get("cidrBlocks")), *as_list(block.get("ipv6CidrBlocks"))]
    return Ingress(
        protocol=_protocol(block.get("protocol")),
        from_port=_port(block.get("fromPort")),
        to_port=_port(block.get("toPort")),
        cidrs=tuple(str(cidr) for cidr in cidrs if cidr),
        where=where,
    )


def _vpc_rule(props: Mapping[str, Any]) -> Ingress:
    cidrs = [props.get("cidrIpv4"), props.get("cidrIpv6")]
    return Ingress(
        protocol=_protocol(props.get("ipProtocol")),
        from_port=_port(props.get("fromPort")),
        to_port=_port(props.get("toPort")),
        cidrs=tuple(str(cidr) for cidr in cidrs if cidr),
    )


def ingress_rules(resource_type: str, props: Mapping[str, Any]) -> list[Ingress] | None:
    """The ingress rules a resource carries; None for a security-group rule of type egress
    (not an ingress carrier at all)."""
    if resource_type == VPC_INGRESS_RULE:
        return [_vpc_rule(props)]
    if resource_type == SECURITY_GROUP_RULE:
        if str(props.get("type")).lower() != "ingress":
            return None
        return [_block_rule(props)]
    blocks = as_list(props.get("ingress"))
    return [
        _block_rule(block, f"ingress[{index}] ")
        for index, block in enumerate(blocks)
        if is_mapping(block)
    ]


def ingress_of(args: ResourceValidationArgs) -> list[Ingress]:
    """The resource's ingress rules; an egress security-group rule is not applicable."""
    rules = ingress_rules(args.resource_type, args.props)
    if rules is None:
        args.not_applicable("an egress rule admits no traffic from outside")
        return []
    return rules


def ports_text(ports: Sequence[float], limit: int = 6) -> str:
    """'port 22' / 'ports 22, 3389' / 'ports 20, 21, ... and 18 more'."""
    numbers = [str(int(port)) for port in ports]
    if len(numbers) == 1:
        return f"port {numbers[0]}"
    if len(numbers) > limit:
        return f"ports {', '.join(numbers[:limit])} and {len(numbers) - limit} more"
    return "ports " + ", ".join(numbers)


# --- TLS policies --------------------------------------------------------------------

# ELB security policies whose minimum protocol is TLS 1.2 (or 1.3). The older families
# (ELBSecurityPolicy-2016-08, -TLS-1-1-*, -FS-1-1-*, -TLS13-1-0-*, -TLS13-1-1-*) accept
# TLS 1.0 or 1.1.
_ELB_TLS12 = re.compile(r"^ELBSecurityPolicy-(TLS13-1-[23]|TLS-1-2|FS-1-2)-")
# CloudFront viewer security policies: TLSv1.2_2021 (the first without CBC ciphers) or newer.
_CLOUDFRONT_TLS = re.compile(r"^TLSv1\.(?P<minor>[23])_(?P<year>\d{4})$")
CLOUDFRONT_MINIMUM_YEAR = 2021


def is_tls12_elb_policy(name: Any) -> bool:
    return isinstance(name, str) and bool(_ELB_TLS12.match(name))


def is_recommended_cloudfront_policy(name: Any) -> bool:
    match = _CLOUDFRONT_TLS.match(name) if isinstance(name, str) else None
    if match is None:
        return False
    return match["minor"] == "3" or int(match["year"]) >= CLOUDFRONT_MINIMUM_YEAR


# --- ECS container definitions -------------------------------------------------------


class ContainerDefinitionsError(ValueError):
    """`containerDefinitions` is not a JSON list of container objects."""


def containers(props: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The container definitions of an `aws:ecs/taskDefinition`: a JSON string on the wire
    (`json.dumps` of the list), or a list when a caller hands over parsed values."""
    raw = props.get("containerDefinitions")
    if raw is None:
        return []
    if isinstance(raw, str):
        try:
            parsed = json.loads(raw)
        except ValueError as error:
            raise ContainerDefinitionsError(f"containerDefinitions is not JSON: {error}") from None
    else:
        parsed = plain(raw)
    if not isinstance(parsed, list):
        raise ContainerDefinitionsError("containerDefinitions is not a JSON list")
    return [container for container in parsed if isinstance(container, dict)]


def task_containers(args: ResourceValidationArgs) -> list[dict[str, Any]]:
    """`containers` of the task definition; not applicable when they are not valid JSON
    (the ECS API rejects such a task definition anyway)."""
    try:
        return containers(args.props)
    except ContainerDefinitionsError as error:
        args.not_applicable(str(error))
        return []


def container_name(container: Mapping[str, Any], index: int) -> str:
    name = container.get("name")
    return str(name) if name else f"#{index}"


def is_windows_task(props: Mapping[str, Any]) -> bool:
    family = dig(props, "runtimePlatform", "operatingSystemFamily")
    return isinstance(family, str) and family.upper().startswith("WINDOWS")


def is_root_user(user: Any) -> bool:
    """No user (the image's default, root in most images), or user 'root' / uid 0, with or
    without a group ('root:staff', '0:0')."""
    if user is None or (isinstance(user, str) and not user.strip()):
        return True
    name = str(int(user)) if isinstance(user, int | float) else str(user).split(":", 1)[0]
    return name.strip().lower() in ("root", "0")


def environment_names(container: Mapping[str, Any]) -> list[str]:
    """The names of a container's plain `environment` variables."""
    entries = container.get("environment")
    if not isinstance(entries, list):
        return []
    return [
        str(entry["name"]) for entry in entries if isinstance(entry, dict) and entry.get("name")
    ]
