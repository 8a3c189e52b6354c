"""CloudFront reaches its custom origins over HTTPS with TLS 1.2."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import metadata, network
from ...core.policy import MANDATORY, Config, resource_policy
from ...core.props import as_list, dig

OUTDATED_PROTOCOLS = ("SSLv3", "TLSv1", "TLSv1.1")


def _viewers_always_https(args: ResourceValidationArgs) -> bool:
    behaviours = [args.props.get("defaultCacheBehavior")]
    behaviours += as_list(args.props.get("orderedCacheBehaviors"))
    return all(
        dig(b, "viewerProtocolPolicy") in ("https-only", "redirect-to-https")
        for b in behaviours
        if b is not None
    )


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    for index, origin in enumerate(as_list(args.props.get("origins"))):
        custom = dig(origin, "customOriginConfig")
        if custom is None:
            continue  # S3 (REST) origins are always reached over HTTPS
        name = dig(origin, "originId") or f"#{index}"
        policy = dig(custom, "originProtocolPolicy")
        if policy == "http-only" or (policy == "match-viewer" and not _viewers_always_https(args)):
            yield (
                f"CloudFront distribution '{args.name}' reaches origin '{name}' over plain "
                f"HTTP (origin_protocol_policy {policy!r}); set it to 'https-only'"
            )
        outdated = [
            p for p in as_list(dig(custom, "originSslProtocols")) if p in OUTDATED_PROTOCOLS
        ]
        if outdated:
            yield (
                f"CloudFront distribution '{args.name}' allows {', '.join(outdated)} to origin "
                f"'{name}'; set origin_ssl_protocols=['TLSv1.2']"
            )


POLICY = resource_policy(
    name="cloudfront-origin-https",
    description=(
        "CloudFront custom origins use origin protocol policy https-only and only TLSv1.2 "
        "origin SSL protocols."
    ),
    resource_types=(network.DISTRIBUTION,),
    check=_check,
    category=metadata.EXPOSURE,
    severity=Severity.MEDIUM,
    enforcement=MANDATORY,
    remediation=(
        "Set custom_origin_config={'origin_protocol_policy': 'https-only', "
        "'origin_ssl_protocols': ['TLSv1.2'], ...} on every custom origin."
    ),
    mappings=metadata.mappings(
        "fsbp:CloudFront.9",
        "fsbp:CloudFront.10",
        "cdk-nag:AwsSolutions-CFR5",
        "checkov:CKV2_AWS_72",
        "checkov:CKV2_AWS_54",
    ),
)
