"""Lambda permissions for AWS services name the invoking resource (and account, for S3)."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import metadata
from ...core.policy import MANDATORY, Config, resource_policy

# S3 bucket ARNs carry no account id, so another account's bucket of that name matches.
NEEDS_SOURCE_ACCOUNT = ("s3.amazonaws.com",)


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    principal = args.props.get("principal")
    if not isinstance(principal, str) or not principal.endswith(
        (".amazonaws.com", ".amazonaws.com.cn")
    ):
        args.not_applicable(f"principal {principal!r} is not an AWS service")
    what = f"Lambda permission '{args.name}' lets {principal} invoke the function"
    if not args.props.get("sourceArn"):
        yield f"{what} from any resource; set source_arn to the invoking resource's ARN"
    if principal in NEEDS_SOURCE_ACCOUNT and not args.props.get("sourceAccount"):
        yield f"{what} from any account; set source_account"


POLICY = resource_policy(
    name="lambda-permission-source-arn",
    description=(
        "Lambda permissions granted to AWS services carry source_arn (and source_account for S3)."
    ),
    resource_types=("aws:lambda/permission:Permission",),
    check=_check,
    category=metadata.IAM,
    severity=Severity.HIGH,
    enforcement=MANDATORY,
    remediation=(
        "Set source_arn (e.g. the API's execution ARN with the stage/method path, or the "
        "bucket ARN) and, for S3, source_account."
    ),
    mappings=("checkov:CKV_AWS_364",),
)
