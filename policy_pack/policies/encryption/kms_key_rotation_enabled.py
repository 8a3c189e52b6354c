"""Symmetric KMS keys rotate automatically."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import metadata
from ...core.policy import MANDATORY, Config, resource_policy
from ...core.props import is_true

SYMMETRIC = "SYMMETRIC_DEFAULT"


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    spec = args.props.get("keySpec") or args.props.get("customerMasterKeySpec") or SYMMETRIC
    if spec != SYMMETRIC:
        args.not_applicable(f"KMS keys with spec {spec} cannot rotate automatically")
    if not is_true(args.props.get("enableKeyRotation")):
        yield f"KMS key '{args.name}' does not rotate; set enable_key_rotation=True"


POLICY = resource_policy(
    name="kms-key-rotation-enabled",
    description="Symmetric customer-managed KMS keys have automatic rotation enabled.",
    resource_types=("aws:kms/key:Key",),
    check=_check,
    category=metadata.ENCRYPTION,
    severity=Severity.MEDIUM,
    enforcement=MANDATORY,
    remediation="Set enable_key_rotation=True (and optionally rotation_period_in_days).",
    mappings=(
        "fsbp:KMS.4",
        "cdk-nag:AwsSolutions-KMS5",
        "checkov:CKV_AWS_7",
        "awsguard:cmk-backing-key-rotation-enabled",
    ),
)
