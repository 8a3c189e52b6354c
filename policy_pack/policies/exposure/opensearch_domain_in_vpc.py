"""OpenSearch and Elasticsearch domains are reachable only from inside a VPC."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import metadata, network
from ...core.policy import MANDATORY, Config, resource_policy
from ...core.props import as_list, dig


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    if not as_list(dig(args.props.get("vpcOptions"), "subnetIds")):
        yield (
            f"{network.label(args.resource_type)} '{args.name}' has a public endpoint; set "
            "vpc_options={'subnet_ids': [...], 'security_group_ids': [...]} so it is reachable "
            "only from inside the VPC"
        )


POLICY = resource_policy(
    name="opensearch-domain-in-vpc",
    description=(
        "OpenSearch and Elasticsearch domains are placed in a VPC, with no public endpoint."
    ),
    resource_types=network.SEARCH_DOMAINS,
    check=_check,
    category=metadata.EXPOSURE,
    severity=Severity.HIGH,
    enforcement=MANDATORY,
    remediation=(
        "Create the domain with vpc_options (private subnets and a security group that admits "
        "only its clients); a domain cannot move from a public endpoint into a VPC in place."
    ),
    mappings=metadata.mappings(
        "fsbp:Opensearch.2",
        "fsbp:ES.2",
        "cdk-nag:AwsSolutions-OS1",
        "checkov:CKV_AWS_137",
        "awsguard:elasticsearch-in-vpc-only",
    ),
)
