"""Application load balancers drop HTTP headers that are not valid."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import metadata, network
from ...core.policy import ADVISORY, Config, resource_policy
from ...core.props import is_true


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    kind = args.props.get("loadBalancerType") or "application"
    if kind != "application":
        args.not_applicable(f"a {kind} load balancer does not parse HTTP headers")
    if not is_true(args.props.get("dropInvalidHeaderFields")):
        yield (
            f"Application load balancer '{args.name}' forwards HTTP headers with invalid "
            "names to its targets (a request-smuggling vector); set "
            "drop_invalid_header_fields=True"
        )


POLICY = resource_policy(
    name="elb-drop-invalid-header-fields",
    description="Application load balancers drop invalid HTTP header fields.",
    resource_types=network.LOAD_BALANCERS,
    check=_check,
    category=metadata.EXPOSURE,
    severity=Severity.MEDIUM,
    enforcement=ADVISORY,
    remediation="Set drop_invalid_header_fields=True on the aws.lb.LoadBalancer.",
    mappings=metadata.mappings("fsbp:ELB.4", "checkov:CKV_AWS_131"),
)
