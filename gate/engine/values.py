"""Plausible, deterministic values shaped like AWS's, for any typed output.

Given a type descriptor (see `gate.engine.sdk_types`) and the name of the property, this
fills a value the way the cloud would: ARNs in the service's real namespace, ids with
the service's prefixes, hostnames for endpoints, the provider's region and account.
The same inputs give the same value on every run, so plans stay byte-identical.

Runs inside the program's interpreter: standard library only.

Example:
    >>> from gate.engine.values import Target, Synthesizer
    >>> synth = Synthesizer(Target("eu-west-1", "111122223333"), {})
    >>> synth.value("s", "vpcId", ("aws:ec2/subnet:Subnet", "web"))[:4]
    'vpc-'
    >>> synth.value("s", "arn", ("aws:cloudwatch/eventRule:EventRule", "nightly"))[:32]
    'arn:aws:events:eu-west-1:1111222'
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from typing import Any

DEFAULT_REGION = "us-east-1"
PLACEHOLDER_ACCOUNT = "123456789012"


@dataclass(frozen=True)
class Target:
    """Where a provider deploys: region and account."""

    region: str
    account: str

    @property
    def partition(self) -> str:
        if self.region.startswith("cn-"):
            return "aws-cn"
        if self.region.startswith("us-gov-"):
            return "aws-us-gov"
        return "aws"

    @property
    def dns_suffix(self) -> str:
        return "amazonaws.com.cn" if self.partition == "aws-cn" else "amazonaws.com"

    @property
    def zone_id_prefix(self) -> str:
        """`use1` for us-east-1, `euw1` for eu-west-1: the AZ id prefix of the region."""
        parts = self.region.split("-")
        if len(parts) < 3:
            return "use1"
        direction = "".join(word[0] for word in parts[1:-1]) if len(parts) > 3 else parts[1][0]
        if len(parts) == 3:
            direction = {"northeast": "ne", "southeast": "se", "northwest": "nw"}.get(
                parts[1], parts[1][0]
            )
        return f"{parts[0]}{direction}{parts[-1]}"


def digest(*parts: str, length: int = 7) -> str:
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:length]


def stable_uuid(*parts: str) -> str:
    """A UUID-shaped id derived from `parts`, stable across runs."""
    hexes = digest(*parts, length=32)
    return f"{hexes[:8]}-{hexes[8:12]}-4{hexes[13:16]}-8{hexes[17:20]}-{hexes[20:]}"


# The ARN service namespace of a pulumi-aws module, where it differs from the module name.
# A token in ARN_SERVICE_BY_TOKEN wins over its module's entry.
ARN_SERVICE_BY_MODULE = {
    "alb": "elasticloadbalancing",
    "lb": "elasticloadbalancing",
    "elb": "elasticloadbalancing",
    "apigatewayv2": "apigateway",
    "appautoscaling": "application-autoscaling",
    "cfg": "config",
    "cloudwatch": "cloudwatch",
    "cognito": "cognito-idp",
    "efs": "elasticfilesystem",
    "opensearch": "es",
    "elasticsearch": "es",
    "sfn": "states",
    "ses": "ses",
    "sesv2": "ses",
    "msk": "kafka",
    "mq": "mq",
    "scheduler": "scheduler",
    "pipes": "pipes",
    "rds": "rds",
    "neptune": "rds",
    "docdb": "rds",
    "ssoadmin": "sso",
    "wafv2": "wafv2",
    "cloudwatchlogs": "logs",
    "servicediscovery": "servicediscovery",
    "kinesis": "kinesis",
    "ecrpublic": "ecr-public",
}
ARN_SERVICE_BY_TOKEN = {
    "aws:cloudwatch/eventRule:EventRule": "events",
    "aws:cloudwatch/eventBus:EventBus": "events",
    "aws:cloudwatch/eventTarget:EventTarget": "events",
    "aws:cloudwatch/eventArchive:EventArchive": "events",
    "aws:cloudwatch/eventConnection:EventConnection": "events",
    "aws:cloudwatch/eventApiDestination:EventApiDestination": "events",
    "aws:cloudwatch/logGroup:LogGroup": "logs",
    "aws:cloudwatch/logStream:LogStream": "logs",
    "aws:cloudwatch/logDestination:LogDestination": "logs",
    "aws:cloudwatch/logMetricFilter:LogMetricFilter": "logs",
    "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter": "logs",
    "aws:cloudwatch/logResourcePolicy:LogResourcePolicy": "logs",
    "aws:cognito/identityPool:IdentityPool": "cognito-identity",
    "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream": "firehose",
    "aws:apigatewayv2/api:Api": "apigateway",
}
# Services whose ARNs carry no region (and, for S3, no account either).
_GLOBAL_SERVICES = {"iam", "route53", "cloudfront", "organizations", "s3", "waf", "shield"}
_NO_ACCOUNT = {"s3", "route53"}

# An id prefix by the type's kind (`aws:ec2/vpc:Vpc` -> "vpc") for EC2-style ids.
EC2_ID_PREFIX = {
    "vpc": "vpc-",
    "subnet": "subnet-",
    "securityGroup": "sg-",
    "instance": "i-",
    "internetGateway": "igw-",
    "egressOnlyInternetGateway": "eigw-",
    "natGateway": "nat-",
    "routeTable": "rtb-",
    "networkAcl": "acl-",
    "networkInterface": "eni-",
    "eip": "eipalloc-",
    "ami": "ami-",
    "amiCopy": "ami-",
    "launchTemplate": "lt-",
    "keyPair": "key-",
    "vpcEndpoint": "vpce-",
    "vpcPeeringConnection": "pcx-",
    "transitGateway": "tgw-",
    "volume": "vol-",
    "ebsVolume": "vol-",
    "ebsSnapshot": "snap-",
    "placementGroup": "pg-",
    "spotInstanceRequest": "sir-",
    "vpnGateway": "vgw-",
    "customerGateway": "cgw-",
    "dhcpOptions": "dopt-",
    "flowLog": "fl-",
    "managedPrefixList": "pl-",
    "fileSystem": "fs-",
    "accessPoint": "fsap-",
    "mountTarget": "fsmt-",
}
# An id prefix by the name of an id property (`vpcId` -> "vpc-").
ID_PROPERTY_PREFIX = {
    "vpcId": "vpc-",
    "subnetId": "subnet-",
    "securityGroupId": "sg-",
    "defaultSecurityGroupId": "sg-",
    "imageId": "ami-",
    "amiId": "ami-",
    "instanceId": "i-",
    "internetGatewayId": "igw-",
    "natGatewayId": "nat-",
    "routeTableId": "rtb-",
    "mainRouteTableId": "rtb-",
    "defaultRouteTableId": "rtb-",
    "networkAclId": "acl-",
    "defaultNetworkAclId": "acl-",
    "networkInterfaceId": "eni-",
    "primaryNetworkInterfaceId": "eni-",
    "allocationId": "eipalloc-",
    "associationId": "eipassoc-",
    "snapshotId": "snap-",
    "rootSnapshotId": "snap-",
    "volumeId": "vol-",
    "launchTemplateId": "lt-",
    "transitGatewayId": "tgw-",
    "vpcEndpointId": "vpce-",
    "prefixListId": "pl-",
    "dhcpOptionsId": "dopt-",
    "fileSystemId": "fs-",
    "kernelId": "aki-",
    "ramdiskId": "ari-",
}
_ACCOUNT_PROPERTIES = {"accountId", "ownerId", "awsAccountId", "registryId", "callerAccountId"}
_TIME = re.compile(r"(Date|Time|Timestamp|At)$")
_HOST = re.compile(r"(Endpoint|DnsName|DomainName|Hostname|HostName|Host)$", re.IGNORECASE)
_URL = re.compile(r"(^url$|^uri$|Url$|Uri$|URL$|Endpoint$)")


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def split_token(token: str) -> tuple[str, str, str]:
    """`aws:ec2/vpc:Vpc` -> ("aws", "ec2", "Vpc")."""
    parts = token.split(":")
    if len(parts) < 3:
        return parts[0], "index", parts[-1]
    return parts[0], parts[1].split("/")[0], parts[2]


def arn_service(token: str) -> str:
    if token in ARN_SERVICE_BY_TOKEN:
        return ARN_SERVICE_BY_TOKEN[token]
    _, module, _ = split_token(token)
    return ARN_SERVICE_BY_MODULE.get(module, module)


def _pem_like(seed: str) -> str:
    body = base64.b64encode(hashlib.sha512(seed.encode()).digest() * 4).decode()
    return "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n"


class Synthesizer:
    """Makes values for one provider target, resolving nested types from `types`."""

    def __init__(self, target: Target, types: dict[str, dict[str, Any]]) -> None:
        self.target = target
        self.types = types

    def arn(self, token: str, resource_id: str) -> str:
        t = self.target
        service = arn_service(token)
        _, _, kind = split_token(token)
        region = "" if service in _GLOBAL_SERVICES else t.region
        account = "" if service in _NO_ACCOUNT else t.account
        if service == "s3":
            return f"arn:{t.partition}:s3:::{resource_id}"
        return f"arn:{t.partition}:{service}:{region}:{account}:{lower_first(kind)}/{resource_id}"

    def resource_id(self, token: str, name: str) -> str:
        """An id like the service's own: `vpc-0a1b...` for EC2 types, else `<name>-<hex>`."""
        _, module, kind = split_token(token)
        prefix = EC2_ID_PREFIX.get(lower_first(kind)) if module in ("ec2", "efs") else None
        if prefix:
            return prefix + digest(token, name, length=17)
        if module == "route53" and kind == "Zone":
            return "Z" + digest(token, name, length=13).upper()
        return f"{name}-{digest(token, name)}"

    def value(self, descriptor: Any, prop: str, owner: tuple[str, str], depth: int = 0) -> Any:
        """A value for property `prop` of the resource or invoke `owner` (token, name)."""
        token, name = owner
        if isinstance(descriptor, list):
            kind, inner = descriptor
            if kind == "l":
                item = self.value(inner, _singular(prop), owner, depth + 1)
                return [item] if item is not None else []
            if kind == "m":
                return {}
            if kind == "e":
                return inner
            return None
        if isinstance(descriptor, str) and descriptor.startswith("#"):
            if depth > 6:
                return {}
            shape = self.types.get(descriptor[1:], {})
            return {
                key: self.value(sub, key, (token, f"{name}.{prop}"), depth + 1)
                for key, sub in shape.items()
            }
        if descriptor == "i":
            return 1
        if descriptor == "n":
            return 1.0
        if descriptor == "b":
            return False
        if descriptor == "a":
            return {}
        if descriptor == "x" or (isinstance(descriptor, str) and descriptor.startswith("@")):
            # An asset or archive stays unknown, as in a preview; a resource reference
            # only a remote component's mocks can make.
            return None
        return self.string(prop, token, name)

    def string(self, prop: str, token: str, name: str) -> str:
        t = self.target
        seed = f"{token}|{name}|{prop}"
        if prop == "arn" or prop.endswith("Arn"):
            if prop == "arn":
                return self.arn(token, self.resource_id(token, name))
            return self._related_arn(prop, token, name)
        if prop in ID_PROPERTY_PREFIX:
            return ID_PROPERTY_PREFIX[prop] + digest(seed, length=17)
        if prop in _ACCOUNT_PROPERTIES:
            return t.account
        if prop == "region":
            return t.region
        if prop in ("availabilityZone", "zoneName"):
            return f"{t.region}a"
        if prop in ("availabilityZoneId", "zoneId") and split_token(token)[1] != "route53":
            return f"{t.zone_id_prefix}-az1"
        if prop in ("hostedZoneId", "zoneId", "regionalZoneId", "cloudfrontZoneId"):
            return "Z" + digest(seed, length=13).upper()
        if prop.endswith("Id") or prop == "id":
            return self.resource_id(token, name) if prop == "id" else digest(seed, length=20)
        if prop in ("cidrBlock", "cidr", "cidrIpv4"):
            return "10.0.0.0/16"
        if "ipv6" in prop.lower() and "cidr" in prop.lower():
            return "2001:db8::/56"
        if prop in ("privateIp", "privateIpAddress", "ipAddress"):
            third, fourth = (int(digest(seed, part, length=2), 16) % 250 for part in "ab")
            return f"10.0.{third}.{fourth + 2}"
        if prop in ("publicIp", "publicIpAddress"):
            return f"203.0.113.{int(digest(seed, length=2), 16) % 250 + 2}"
        if prop == "data" and "certificateauthority" in name.lower().replace("_", ""):
            return base64.b64encode(_pem_like(seed).encode()).decode()
        if prop in ("certificatePem", "certificateBody", "publicKeyPem", "privateKeyPem", "pem"):
            return _pem_like(seed)
        if _URL.search(prop):
            return f"https://{self._host(token, name)}/"
        if _HOST.search(prop):
            return self._host(token, name)
        if _TIME.search(prop):
            return "2026-01-01T00:00:00Z"
        if prop in ("version", "latestVersion", "defaultVersion", "revision"):
            return "1"
        if prop in ("status", "state"):
            return "available"
        if prop in ("etag", "hash", "sourceCodeHash", "checksum", "digest", "sha256"):
            return digest(seed, length=32)
        if prop in ("name", "functionName", "bucket", "tableName", "clusterName"):
            return f"{name}-{digest(token, name)}"
        return f"{name}-{prop}-{digest(seed, length=6)}"

    def _host(self, token: str, name: str) -> str:
        t = self.target
        service = arn_service(token)
        label = re.sub(r"[^a-z0-9-]", "-", name.lower())[:40].strip("-") or "resource"
        if service == "elasticloadbalancing":
            return f"{label}-{int(digest(token, name, length=8), 16)}.{t.region}.elb.{t.dns_suffix}"
        if service == "apigateway":
            return f"{self.resource_id(token, name)[-10:]}.execute-api.{t.region}.{t.dns_suffix}"
        if service == "cloudfront":
            return f"d{digest(token, name, length=13)}.cloudfront.net"
        return f"{label}-{digest(token, name, length=10)}.{service}.{t.region}.{t.dns_suffix}"

    def _related_arn(self, prop: str, token: str, name: str) -> str:
        """`roleArn` -> an IAM role ARN, `kmsKeyArn` -> a KMS key ARN, ..."""
        p, r, a = self.target.partition, self.target.region, self.target.account
        base = prop[: -len("Arn")].lower()
        ident = f"{name}-{digest(token, name, prop)}"
        key = stable_uuid(token, name, prop)
        related = (
            ("role", f"arn:{p}:iam::{a}:role/{ident}"),
            ("key", f"arn:{p}:kms:{r}:{a}:key/{key}"),
            ("topic", f"arn:{p}:sns:{r}:{a}:{ident}"),
            ("queue", f"arn:{p}:sqs:{r}:{a}:{ident}"),
            ("function", f"arn:{p}:lambda:{r}:{a}:function:{ident}"),
            ("loggroup", f"arn:{p}:logs:{r}:{a}:log-group:{ident}"),
            ("certificate", f"arn:{p}:acm:{r}:{a}:certificate/{key}"),
            ("policy", f"arn:{p}:iam::{a}:policy/{ident}"),
            ("secret", f"arn:{p}:secretsmanager:{r}:{a}:secret:{ident}-{digest(ident, length=6)}"),
            ("execution", f"arn:{p}:execute-api:{r}:{a}:{self.resource_id(token, name)}"),
        )
        for suffix, arn in related:
            if base.endswith(suffix):
                return arn
        return self.arn(token, f"{self.resource_id(token, name)}/{base or 'resource'}")


def coerce(descriptor: Any, value: Any) -> Any:
    """An echoed input or argument in the type the provider returns it as: the program may
    pass `most_recent="true"`, the provider answers `mostRecent: true`."""
    try:
        if descriptor == "b" and isinstance(value, str):
            return value.strip().lower() == "true"
        if descriptor == "i" and isinstance(value, (str, float)) and not isinstance(value, bool):
            return int(float(value))
        if descriptor == "n" and isinstance(value, (str, int)) and not isinstance(value, bool):
            return float(value)
        if descriptor == "s" and isinstance(value, (int, float, bool)):
            return str(value).lower() if isinstance(value, bool) else str(value)
    except ValueError:
        return value
    return value


def _singular(prop: str) -> str:
    """`subnetIds` -> `subnetId`, `securityGroups` -> `securityGroup`: list items are named
    by the singular, so an item of `subnetIds` is made like a `subnetId`."""
    if prop.endswith("ies"):
        return prop[:-3] + "y"
    if prop.endswith("s") and not prop.endswith("ss"):
        return prop[:-1]
    return prop
