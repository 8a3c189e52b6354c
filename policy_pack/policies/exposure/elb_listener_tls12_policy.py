"""Load balancer HTTPS/TLS listeners use a TLS 1.2+ security policy."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import metadata, network
from ...core.policy import MANDATORY, Config, resource_policy

TLS_PROTOCOLS = ("HTTPS", "TLS")
RECOMMENDED = "ELBSecurityPolicy-TLS13-1-2-2021-06"


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    protocol = str(args.props.get("protocol") or "").upper()
    if protocol not in TLS_PROTOCOLS:
        args.not_applicable(f"protocol {protocol or '(default)'} does not terminate TLS")
    policy = args.props.get("sslPolicy")
    if not network.is_tls12_elb_policy(policy):
        shown = repr(policy) if policy else "unset (ELBSecurityPolicy-2016-08)"
        yield (
            f"Load balancer listener '{args.name}' ({protocol}) uses SSL policy {shown}, which "
            f"accepts TLS 1.0/1.1; set ssl_policy to a TLS 1.2+ policy such as {RECOMMENDED}"
        )


POLICY = resource_policy(
    name="elb-listener-tls12-policy",
    description=(
        "Load balancer HTTPS and TLS listeners use a security policy with TLS 1.2 as the "
        "minimum (ELBSecurityPolicy-TLS13-1-2/1-3, -TLS-1-2, -FS-1-2)."
    ),
    resource_types=network.LISTENERS,
    check=_check,
    category=metadata.EXPOSURE,
    severity=Severity.MEDIUM,
    enforcement=MANDATORY,
    remediation=f"Set ssl_policy='{RECOMMENDED}' (or a TLS13-1-3 policy) on the listener.",
    mappings=metadata.mappings("fsbp:ELB.17", "checkov:CKV_AWS_103"),
)
