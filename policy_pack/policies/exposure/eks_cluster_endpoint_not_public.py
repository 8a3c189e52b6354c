"""EKS cluster API endpoints are not open to the whole internet."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import metadata, network
from ...core.policy import MANDATORY, Config, resource_policy
from ...core.props import as_list, dig


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    vpc_config = args.props.get("vpcConfig")
    # EKS defaults: endpoint_public_access True, public_access_cidrs ["0.0.0.0/0"].
    if dig(vpc_config, "endpointPublicAccess") is False:
        return
    cidrs = as_list(dig(vpc_config, "publicAccessCidrs"))
    public = [cidr for cidr in cidrs if network.is_public_cidr(cidr)]
    if not cidrs or public:
        source = ", ".join(public) if public else "0.0.0.0/0 (the default)"
        yield (
            f"EKS cluster '{args.name}' serves its Kubernetes API on a public endpoint open to "
            f"{source}; set vpc_config endpoint_public_access=False (with "
            "endpoint_private_access=True), or list the admin CIDRs in public_access_cidrs"
        )


POLICY = resource_policy(
    name="eks-cluster-endpoint-not-public",
    description=(
        "EKS clusters disable the public API endpoint or restrict it to listed CIDRs, never "
        "0.0.0.0/0."
    ),
    resource_types=("aws:eks/cluster:Cluster",),
    check=_check,
    category=metadata.EXPOSURE,
    severity=Severity.HIGH,
    enforcement=MANDATORY,
    remediation=(
        "Set vpc_config={'endpoint_private_access': True, 'endpoint_public_access': False}, "
        "or keep the public endpoint with public_access_cidrs limited to known ranges."
    ),
    mappings=metadata.mappings("fsbp:EKS.1", "cdk-nag:AwsSolutions-EKS1", "checkov:CKV_AWS_38"),
)
