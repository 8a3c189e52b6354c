"""CloudFront distributions serve viewers over HTTPS only."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import metadata, network
from ...core.policy import MANDATORY, Config, resource_policy
from ...core.props import as_list, dig

HTTPS_POLICIES = ("https-only", "redirect-to-https")


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    behaviours = [("the default cache behavior", args.props.get("defaultCacheBehavior"))]
    behaviours += [
        (f"cache behavior {dig(b, 'pathPattern') or index!s}", b)
        for index, b in enumerate(as_list(args.props.get("orderedCacheBehaviors")))
    ]
    for where, behaviour in behaviours:
        policy = dig(behaviour, "viewerProtocolPolicy")
        if behaviour is not None and policy not in HTTPS_POLICIES:
            yield (
                f"CloudFront distribution '{args.name}' serves {where} over plain HTTP "
                f"(viewer_protocol_policy {policy!r}); set it to 'redirect-to-https' or "
                "'https-only'"
            )


POLICY = resource_policy(
    name="cloudfront-viewer-https-only",
    description=(
        "Every CloudFront cache behavior uses viewer protocol policy https-only or "
        "redirect-to-https."
    ),
    resource_types=(network.DISTRIBUTION,),
    check=_check,
    category=metadata.EXPOSURE,
    severity=Severity.MEDIUM,
    enforcement=MANDATORY,
    remediation=(
        "Set viewer_protocol_policy='redirect-to-https' (or 'https-only') on the default and "
        "every ordered cache behavior."
    ),
    mappings=metadata.mappings("fsbp:CloudFront.3", "checkov:CKV_AWS_34"),
)
