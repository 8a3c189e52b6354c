"""Security groups do not open administration and other high-risk ports to the internet."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import metadata, network
from ...core.policy import MANDATORY, Config, option, resource_policy


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    for rule in network.ingress_of(args):
        opened = rule.opened(config["ports"]) if rule.is_public else []
        if opened:
            yield (
                f"{network.label(args.resource_type)} '{args.name}' {rule.describe()} "
                f"(high-risk {network.ports_text(opened)}); allow these ports only from known "
                "CIDRs, a prefix list or another security group (or use SSM Session Manager "
                "instead of SSH/RDP)"
            )


POLICY = resource_policy(
    name="ec2-security-group-no-public-high-risk-ports",
    description=(
        "Security groups do not allow ingress from 0.0.0.0/0 or ::/0 to SSH, RDP or the "
        "other high-risk ports of FSBP EC2.19."
    ),
    resource_types=network.INGRESS_CARRIERS,
    check=_check,
    category=metadata.EXPOSURE,
    severity=Severity.CRITICAL,
    enforcement=MANDATORY,
    remediation=(
        "Replace the 0.0.0.0/0 or ::/0 source of the rule with the CIDRs, prefix list or "
        "security group that needs the port; reach instances through SSM Session Manager "
        "rather than opening 22 or 3389."
    ),
    mappings=metadata.mappings(
        "fsbp:EC2.19",
        "cdk-nag:AwsSolutions-EC23",
        "checkov:CKV_AWS_24",
        "checkov:CKV_AWS_25",
    ),
    options={
        "ports": option(
            "array",
            list(network.HIGH_RISK_PORTS),
            "Ports that must not be open to 0.0.0.0/0 or ::/0 (default: the FSBP EC2.19 list).",
            items={"type": "integer", "minimum": 0, "maximum": network.MAX_PORT},
        )
    },
)
