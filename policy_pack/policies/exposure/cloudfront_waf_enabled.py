"""CloudFront distributions are protected by an AWS WAF web ACL."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import metadata, network
from ...core.policy import ADVISORY, Config, resource_policy


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    if not args.props.get("webAclId"):
        yield (
            f"CloudFront distribution '{args.name}' has no AWS WAF web ACL; set web_acl_id to "
            "a WAFv2 web ACL (scope CLOUDFRONT) with at least the AWS managed common and "
            "known-bad-inputs rule groups"
        )


POLICY = resource_policy(
    name="cloudfront-waf-enabled",
    description="CloudFront distributions are associated with an AWS WAF web ACL.",
    resource_types=(network.DISTRIBUTION,),
    check=_check,
    category=metadata.EXPOSURE,
    severity=Severity.MEDIUM,
    enforcement=ADVISORY,
    remediation=(
        "Create an aws.wafv2.WebAcl with scope='CLOUDFRONT' (in us-east-1) and set the "
        "distribution's web_acl_id to its ARN."
    ),
    mappings=metadata.mappings(
        "fsbp:CloudFront.6", "cdk-nag:AwsSolutions-CFR2", "checkov:CKV_AWS_68"
    ),
)
