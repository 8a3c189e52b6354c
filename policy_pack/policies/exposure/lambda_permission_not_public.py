"""Lambda functions are not invokable by everyone."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import metadata
from ...core.policy import MANDATORY, Config, resource_policy


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    props = args.props
    public_principal = props.get("principal") == "*" and not (
        props.get("sourceAccount") or props.get("principalOrgId")
    )
    open_url = props.get("functionUrlAuthType") == "NONE"
    if public_principal or open_url:
        yield (
            f"Lambda permission '{args.name}' lets anyone invoke the function; name the "
            "principal, or set source_account / principal_org_id (and function URL auth AWS_IAM)"
        )


POLICY = resource_policy(
    name="lambda-permission-not-public",
    description="Lambda permissions do not grant invocation to every principal.",
    resource_types=("aws:lambda/permission:Permission",),
    check=_check,
    category=metadata.EXPOSURE,
    severity=Severity.CRITICAL,
    enforcement=MANDATORY,
    remediation="Use a service or account principal with source_arn/source_account.",
    mappings=("fsbp:Lambda.1", "checkov:CKV_AWS_301"),
)
