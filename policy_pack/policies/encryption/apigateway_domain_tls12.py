"""API Gateway custom domains negotiate TLS 1.2 or later."""

from pulumi_policy import Severity

from ...core import metadata
from ...core.checks import require
from ...core.policy import MANDATORY, resource_policy


def _modern(policy: object) -> bool:
    # "TLS_1_2" or one of the enhanced "SecurityPolicy_TLS13_..."/"..._TLS12_..." names.
    return isinstance(policy, str) and (
        policy == "TLS_1_2" or policy.startswith(("SecurityPolicy_TLS13", "SecurityPolicy_TLS12"))
    )


POLICY = resource_policy(
    name="apigateway-domain-tls12",
    description="API Gateway custom domain names use a TLS 1.2+ security policy.",
    resource_types=("aws:apigateway/domainName:DomainName",),
    check=require(
        _modern,
        "securityPolicy",
        message=(
            "API Gateway domain name '{name}' has security policy {value!r}; "
            "set security_policy='TLS_1_2'"
        ),
    ),
    category=metadata.ENCRYPTION,
    severity=Severity.HIGH,
    enforcement=MANDATORY,
    remediation="Set security_policy='TLS_1_2' on the aws.apigateway.DomainName.",
    mappings=("checkov:CKV_AWS_206",),
)
