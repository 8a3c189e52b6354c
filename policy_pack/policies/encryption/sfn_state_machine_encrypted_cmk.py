"""Step Functions state machines encrypt their data with a customer-managed KMS key."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import metadata
from ...core.policy import MANDATORY, Config, resource_policy
from ...core.props import is_customer_managed_key


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    encryption = args.props.get("encryptionConfiguration") or {}
    if encryption.get("type") != "CUSTOMER_MANAGED_KMS_KEY" or not is_customer_managed_key(
        encryption.get("kmsKeyId")
    ):
        yield (
            f"Step Functions state machine '{args.name}' is not encrypted with a "
            "customer-managed KMS key; set encryption_configuration type "
            "'CUSTOMER_MANAGED_KMS_KEY' with kms_key_id"
        )


POLICY = resource_policy(
    name="sfn-state-machine-encrypted-cmk",
    description="Step Functions state machines are encrypted with a customer-managed KMS key.",
    resource_types=("aws:sfn/stateMachine:StateMachine",),
    check=_check,
    category=metadata.ENCRYPTION,
    severity=Severity.MEDIUM,
    enforcement=MANDATORY,
    remediation=(
        "Set encryption_configuration={'type': 'CUSTOMER_MANAGED_KMS_KEY', 'kms_key_id': ..., "
        "'kms_data_key_reuse_period_seconds': 300}; the role needs kms:Decrypt/GenerateDataKey."
    ),
)
