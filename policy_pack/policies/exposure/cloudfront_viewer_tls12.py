"""CloudFront distributions use a custom certificate with the TLSv1.2_2021+ policy."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import metadata, network
from ...core.policy import MANDATORY, Config, resource_policy
from ...core.props import dig, is_true

RECOMMENDED = "TLSv1.2_2021"


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    certificate = args.props.get("viewerCertificate")
    if is_true(dig(certificate, "cloudfrontDefaultCertificate")):
        yield (
            f"CloudFront distribution '{args.name}' uses the default *.cloudfront.net "
            "certificate, whose security policy accepts TLS 1.0; serve it on an alias with an "
            f"ACM certificate (sni-only) and minimum_protocol_version '{RECOMMENDED}'"
        )
        return
    version = dig(certificate, "minimumProtocolVersion")
    if not network.is_recommended_cloudfront_policy(version):
        shown = repr(version) if version else "unset (TLSv1)"
        yield (
            f"CloudFront distribution '{args.name}' has minimum_protocol_version {shown}; "
            f"set it to '{RECOMMENDED}' or newer (with ssl_support_method 'sni-only')"
        )


POLICY = resource_policy(
    name="cloudfront-viewer-tls12",
    description=(
        "CloudFront distributions use a custom certificate with minimum protocol version "
        "TLSv1.2_2021 or newer (the default certificate fails)."
    ),
    resource_types=(network.DISTRIBUTION,),
    check=_check,
    category=metadata.EXPOSURE,
    severity=Severity.MEDIUM,
    enforcement=MANDATORY,
    remediation=(
        "Set viewer_certificate={'acm_certificate_arn': ..., 'ssl_support_method': "
        f"'sni-only', 'minimum_protocol_version': '{RECOMMENDED}'}} and serve the distribution "
        "on an alias."
    ),
    mappings=metadata.mappings(
        "fsbp:CloudFront.15",
        "fsbp:CloudFront.7",
        "cdk-nag:AwsSolutions-CFR4",
        "checkov:CKV_AWS_174",
        "checkov:CKV2_AWS_42",
    ),
)
