"""OpenSearch (and Elasticsearch) domains accept only HTTPS with TLS 1.2 or later."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import families, metadata
from ...core.policy import MANDATORY, Config, resource_policy
from ...core.props import dig, is_true

# Policy-Min-TLS-1-2-2019-07, Policy-Min-TLS-1-2-PFS-2023-10, the FIPS variants, ...
TLS12_PREFIXES = ("Policy-Min-TLS-1-2", "Policy-Min-TLS-1-3")


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    endpoint = args.props.get("domainEndpointOptions")
    policy = dig(endpoint, "tlsSecurityPolicy")
    if not is_true(dig(endpoint, "enforceHttps")):
        yield (
            f"{families.label(args.resource_type)} '{args.name}' does not enforce HTTPS; "
            "set domain_endpoint_options enforce_https=True"
        )
    if not (isinstance(policy, str) and policy.startswith(TLS12_PREFIXES)):
        yield (
            f"{families.label(args.resource_type)} '{args.name}' has TLS security policy "
            f"{policy!r}; set domain_endpoint_options tls_security_policy="
            "'Policy-Min-TLS-1-2-PFS-2023-10'"
        )


POLICY = resource_policy(
    name="opensearch-domain-https-tls12",
    description=(
        "OpenSearch and Elasticsearch domains enforce HTTPS with a TLS 1.2+ security policy."
    ),
    resource_types=families.SEARCH_DOMAINS,
    check=_check,
    category=metadata.ENCRYPTION,
    severity=Severity.MEDIUM,
    enforcement=MANDATORY,
    remediation=(
        "Set domain_endpoint_options={'enforce_https': True, 'tls_security_policy': "
        "'Policy-Min-TLS-1-2-PFS-2023-10'} on the aws.opensearch.Domain."
    ),
    mappings=metadata.mappings(
        "fsbp:Opensearch.8", "fsbp:ES.8", "checkov:CKV_AWS_83", "checkov:CKV_AWS_228"
    ),
)
