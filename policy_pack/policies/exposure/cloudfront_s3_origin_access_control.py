"""CloudFront reads its S3 origins through origin access control."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import metadata, network
from ...core.policy import MANDATORY, Config, resource_policy
from ...core.props import as_list, dig


def is_s3_rest_endpoint(domain: object) -> bool:
    """bucket.s3.amazonaws.com, bucket.s3.<region>.amazonaws.com, bucket.s3-<region>...;
    website endpoints (s3-website) are custom origins that cannot use OAC."""
    if not isinstance(domain, str):
        return False
    host = domain.lower().rstrip(".")
    return (
        (".s3." in host or ".s3-" in host)
        and "s3-website" not in host
        and host.endswith((".amazonaws.com", ".amazonaws.com.cn"))
    )


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    for index, origin in enumerate(as_list(args.props.get("origins"))):
        if dig(origin, "originAccessControlId"):
            continue
        name = dig(origin, "originId") or f"#{index}"
        if dig(origin, "s3OriginConfig", "originAccessIdentity"):
            yield (
                f"CloudFront distribution '{args.name}' reads S3 origin '{name}' through a "
                "legacy origin access identity; switch to an origin access control "
                "(origin_access_control_id) and a bucket policy for cloudfront.amazonaws.com"
            )
        elif dig(origin, "s3OriginConfig") is not None or is_s3_rest_endpoint(
            dig(origin, "domainName")
        ):
            yield (
                f"CloudFront distribution '{args.name}' reads S3 origin '{name}' anonymously, "
                "which needs a public bucket; add an aws.cloudfront.OriginAccessControl "
                "(origin type s3, signing always, sigv4), set origin_access_control_id and "
                "allow only this distribution in the bucket policy"
            )


POLICY = resource_policy(
    name="cloudfront-s3-origin-access-control",
    description="CloudFront distributions read S3 origins through origin access control (OAC).",
    resource_types=(network.DISTRIBUTION,),
    check=_check,
    category=metadata.EXPOSURE,
    severity=Severity.MEDIUM,
    enforcement=MANDATORY,
    remediation=(
        "Create an aws.cloudfront.OriginAccessControl, set origin_access_control_id on each "
        "S3 origin, keep the bucket private and grant s3:GetObject to the "
        "cloudfront.amazonaws.com principal with an AWS:SourceArn condition on the "
        "distribution."
    ),
    mappings=metadata.mappings(
        "fsbp:CloudFront.13", "cdk-nag:AwsSolutions-CFR7", "checkov:CKV2_AWS_46"
    ),
)
