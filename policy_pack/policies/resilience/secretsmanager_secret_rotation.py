"""Secrets Manager secrets rotate automatically, at least every configured number of days."""

from collections.abc import Iterator

from pulumi_policy import PolicyResource, Severity

from ...core import families, metadata
from ...core.policy import ADVISORY, Config, option, stack_policy
from ...core.props import as_number, dig
from ...core.stack import StackView


def _interval(rotation: PolicyResource) -> float | None:
    rules = rotation.props.get("rotationRules")
    days = as_number(dig(rules, "automaticallyAfterDays"))
    return days if days is not None else families.schedule_days(dig(rules, "scheduleExpression"))


def _check(secret: PolicyResource, stack: StackView, config: Config) -> Iterator[str]:
    rotations = stack.referencing(secret, families.SECRET_ROTATIONS, "secretId")
    maximum = config["maximum_days"]
    if not rotations:
        yield (
            f"Secrets Manager secret '{secret.name}' is never rotated; add an "
            "aws.secretsmanager.SecretRotation for it"
        )
    for rotation in rotations:
        interval = _interval(rotation)
        if families.is_false(rotation.props.get("rotationEnabled")):
            yield (
                f"Secrets Manager secret '{secret.name}' has rotation switched off by "
                f"'{rotation.name}' (rotation_enabled=False)"
            )
        elif interval is not None and interval > maximum:
            yield (
                f"Secrets Manager secret '{secret.name}' rotates every {interval:g} days; "
                f"set rotation_rules to rotate at least every {maximum:g} days"
            )


POLICY = stack_policy(
    name="secretsmanager-secret-rotation",
    description=(
        "Secrets Manager secrets rotate automatically (an aws.secretsmanager.SecretRotation), "
        "at least every configured number of days."
    ),
    resource_types=families.SECRETS,
    check=_check,
    # Credential lifetime: neither encryption nor recovery.
    category=metadata.OTHER,
    severity=Severity.MEDIUM,
    enforcement=ADVISORY,
    remediation=(
        "Add aws.secretsmanager.SecretRotation(secret_id=secret.id, rotation_lambda_arn=..., "
        "rotation_rules={'automatically_after_days': 30}); for a credential that cannot be "
        "rotated automatically (a third party's API key), add an exemption with the reason "
        "and the date it will be reviewed."
    ),
    mappings=metadata.mappings(
        "fsbp:SecretsManager.1",
        "fsbp:SecretsManager.4",
        "cdk-nag:AwsSolutions-SMG4",
        "checkov:CKV2_AWS_57",
        "checkov:CKV_AWS_304",
    ),
    options={
        "maximum_days": option(
            "integer", 90, "Longest allowed interval between rotations, in days.", minimum=1
        )
    },
)
