"""Lambda environment variables are encrypted with a customer-managed KMS key."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import metadata
from ...core.policy import MANDATORY, Config, resource_policy
from ...core.props import dig, is_customer_managed_key


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    if not dig(args.props, "environment", "variables"):
        args.not_applicable("the function has no environment variables")
    if not is_customer_managed_key(args.props.get("kmsKeyArn")):
        yield (
            f"Lambda function '{args.name}' has environment variables encrypted with the "
            "AWS-managed key; set kms_key_arn to a customer-managed key"
        )


POLICY = resource_policy(
    name="lambda-environment-encrypted-cmk",
    description=(
        "Lambda functions with environment variables encrypt them with a customer-managed KMS key."
    ),
    resource_types=("aws:lambda/function:Function",),
    check=_check,
    category=metadata.ENCRYPTION,
    severity=Severity.MEDIUM,
    enforcement=MANDATORY,
    remediation="Set kms_key_arn on the aws.lambda_.Function and allow kms:Decrypt to its role.",
    mappings=("checkov:CKV_AWS_173",),
)
