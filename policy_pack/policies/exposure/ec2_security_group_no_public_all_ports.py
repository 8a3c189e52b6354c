"""Security groups do not open every port (or all traffic) to the internet."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import metadata, network
from ...core.policy import MANDATORY, Config, resource_policy


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    for rule in network.ingress_of(args):
        if rule.is_public and rule.opens_all_ports:
            yield (
                f"{network.label(args.resource_type)} '{args.name}' {rule.describe()}, i.e. "
                "every port to the internet; open only the ports the service listens on, and "
                "only to the sources that need them"
            )


POLICY = resource_policy(
    name="ec2-security-group-no-public-all-ports",
    description=(
        "Security groups do not allow all traffic (protocol -1) or every port (0-65535) "
        "from 0.0.0.0/0 or ::/0."
    ),
    resource_types=network.INGRESS_CARRIERS,
    check=_check,
    category=metadata.EXPOSURE,
    severity=Severity.CRITICAL,
    enforcement=MANDATORY,
    remediation=(
        "Replace the rule with one per port the service needs (e.g. tcp 443), from the "
        "narrowest source that works."
    ),
    mappings=metadata.mappings("cdk-nag:AwsSolutions-EC23", "checkov:CKV_AWS_277"),
)
