"""EC2 instances, launch templates and launch configurations require IMDSv2."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import metadata, network
from ...core.policy import MANDATORY, Config, resource_policy
from ...core.props import dig


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    options = args.props.get("metadataOptions")
    if dig(options, "httpEndpoint") == "disabled":
        return  # no metadata service at all
    tokens = dig(options, "httpTokens")
    if tokens != "required":
        shown = repr(tokens) if tokens else "unset"
        yield (
            f"{network.label(args.resource_type)} '{args.name}' allows IMDSv1 "
            f"(metadata_options.http_tokens is {shown}), so an SSRF flaw can read the "
            "instance role's credentials; set metadata_options={'http_tokens': 'required'}"
        )


POLICY = resource_policy(
    name="ec2-imdsv2-required",
    description=(
        "EC2 instances, launch templates and launch configurations require IMDSv2 "
        "(http_tokens 'required') or disable the metadata service."
    ),
    resource_types=(
        "aws:ec2/instance:Instance",
        "aws:ec2/launchTemplate:LaunchTemplate",
        "aws:ec2/launchConfiguration:LaunchConfiguration",
    ),
    check=_check,
    category=metadata.EXPOSURE,
    severity=Severity.HIGH,
    enforcement=MANDATORY,
    remediation=(
        "Set metadata_options={'http_endpoint': 'enabled', 'http_tokens': 'required', "
        "'http_put_response_hop_limit': 1} (2 for containers on the instance)."
    ),
    mappings=metadata.mappings(
        "fsbp:EC2.8",
        "fsbp:EC2.170",
        "fsbp:AutoScaling.3",
        "checkov:CKV_AWS_79",
    ),
)
