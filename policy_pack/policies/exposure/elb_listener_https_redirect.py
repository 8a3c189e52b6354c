"""Load balancer HTTP listeners do nothing but redirect to HTTPS."""

from collections.abc import Iterator

from pulumi_policy import PolicyResource, Severity

from ...core import metadata, network
from ...core.policy import MANDATORY, Config, stack_policy
from ...core.props import as_list, dig
from ...core.stack import StackView

# Listeners of these load balancer types never speak HTTP.
NOT_HTTP_TYPES = ("network", "gateway")


def _protocol(listener: PolicyResource, stack: StackView) -> str | None:
    """The listener's protocol; without one, HTTP on an application load balancer (the
    API's default) and none on a gateway load balancer."""
    protocol = listener.props.get("protocol")
    if protocol:
        return str(protocol).upper()
    balancers = stack.linked(listener, "loadBalancerArn", network.LOAD_BALANCERS)
    if any(lb.props.get("loadBalancerType") in NOT_HTTP_TYPES for lb in balancers):
        return None
    return "HTTP"


def _check(listener: PolicyResource, stack: StackView, config: Config) -> Iterator[str]:
    if _protocol(listener, stack) != "HTTP":
        return
    actions = as_list(listener.props.get("defaultActions"))
    redirects_to_https = (
        len(actions) == 1
        and dig(actions[0], "type") == "redirect"
        and str(dig(actions[0], "redirect", "protocol")).upper() == "HTTPS"
    )
    if not redirects_to_https:
        yield (
            f"Load balancer listener '{listener.name}' serves plain HTTP; make its only "
            "default action a redirect to HTTPS (type 'redirect', redirect={'protocol': "
            "'HTTPS', 'port': '443', 'status_code': 'HTTP_301'}) and serve the application "
            "from an HTTPS listener"
        )


POLICY = stack_policy(
    name="elb-listener-https-redirect",
    description=(
        "Application load balancer HTTP listeners have a single default action: a redirect "
        "to HTTPS."
    ),
    resource_types=network.LISTENERS,
    check=_check,
    category=metadata.EXPOSURE,
    severity=Severity.MEDIUM,
    enforcement=MANDATORY,
    remediation=(
        "Serve the application on an HTTPS listener; give the port-80 listener one default "
        "action of type 'redirect' with protocol 'HTTPS'."
    ),
    mappings=metadata.mappings(
        "fsbp:ELB.1",
        "checkov:CKV_AWS_2",
        "checkov:CKV2_AWS_20",
        "awsguard:alb-http-to-https-redirection",
    ),
)
