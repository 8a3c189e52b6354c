"""The default security group of every VPC allows no traffic."""

from collections.abc import Iterator

from pulumi_policy import PolicyResource, Severity

from ...core import metadata, network
from ...core.policy import ADVISORY, Config, stack_policy
from ...core.props import as_list
from ...core.stack import StackView


def _check(resource: PolicyResource, stack: StackView, config: Config) -> Iterator[str]:
    if resource.resource_type in network.VPCS:
        if not stack.referencing(resource, (network.DEFAULT_SECURITY_GROUP,), "vpcId"):
            yield (
                f"{network.label(resource.resource_type)} '{resource.name}' keeps the rules "
                "of its default security group (all traffic between members, all egress); "
                "adopt it with aws.ec2.DefaultSecurityGroup(vpc_id=...) and no ingress or "
                "egress, which removes them"
            )
        return
    inline = [
        direction for direction in ("ingress", "egress") if as_list(resource.props.get(direction))
    ]
    if inline:
        yield (
            f"EC2 default security group '{resource.name}' has {' and '.join(inline)} rules; "
            "remove them so the group allows no traffic, and give workloads their own groups"
        )
    for rule in stack.referencing(resource, network.STANDALONE_RULES, "securityGroupId"):
        yield (
            f"EC2 default security group '{resource.name}' gets traffic from "
            f"{network.label(rule.resource_type)} '{rule.name}'; attach that rule to a "
            "dedicated security group instead"
        )


POLICY = stack_policy(
    name="ec2-default-security-group-no-traffic",
    description=(
        "Each VPC's default security group is managed with no ingress or egress rules, so "
        "it allows no traffic."
    ),
    resource_types=(*network.VPCS, network.DEFAULT_SECURITY_GROUP),
    check=_check,
    category=metadata.EXPOSURE,
    severity=Severity.HIGH,
    enforcement=ADVISORY,
    remediation=(
        "Add aws.ec2.DefaultSecurityGroup(vpc_id=vpc.id) with no ingress and no egress for "
        "every VPC, attach no rules to it, and put resources in dedicated security groups."
    ),
    mappings=metadata.mappings("fsbp:EC2.2", "checkov:CKV2_AWS_12"),
)
