"""Identity policies never allow decrypting with every KMS key."""

from pulumi_policy import Severity

from ...core import metadata
from ...core.documents import IDENTITY, Statement, types_with
from ...core.iam import document_check, every_key, grants_on_any
from ...core.policy import MANDATORY, Config, resource_policy

DECRYPT_ACTIONS = ("kms:Decrypt", "kms:ReEncryptFrom")


def _rule(statement: Statement, config: Config) -> str | None:
    actions = [action for action in DECRYPT_ACTIONS if grants_on_any(statement, action, every_key)]
    if actions:
        return f"allows {' and '.join(actions)} on all KMS keys"
    return None


POLICY = resource_policy(
    name="iam-no-kms-decrypt-all-keys",
    description="IAM identity policies do not allow kms:Decrypt or kms:ReEncryptFrom on all keys.",
    resource_types=types_with(IDENTITY),
    check=document_check((IDENTITY,), _rule, "name the key ARNs the principal may use"),
    category=metadata.IAM,
    severity=Severity.HIGH,
    enforcement=MANDATORY,
    remediation="Scope decryption to the ARNs of the keys the role uses (key policies are exempt).",
    mappings=("fsbp:KMS.1", "fsbp:KMS.2"),
)
