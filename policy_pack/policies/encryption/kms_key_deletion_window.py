"""KMS keys keep a deletion window long enough to notice a mistaken deletion."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import metadata
from ...core.policy import MANDATORY, Config, minimum_days, resource_policy
from ...core.props import as_number, for_environment

AWS_DEFAULT_DAYS = 30


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    days = as_number(args.props.get("deletionWindowInDays")) or AWS_DEFAULT_DAYS
    minimum = for_environment(config, args.props, "minimum_days")
    if days < minimum:
        yield (
            f"KMS key '{args.name}' has a {days:g}-day deletion window; "
            f"set deletion_window_in_days to at least {minimum:g}"
        )


POLICY = resource_policy(
    name="kms-key-deletion-window",
    description="KMS keys have a deletion window of at least the configured number of days.",
    resource_types=("aws:kms/key:Key",),
    check=_check,
    category=metadata.ENCRYPTION,
    severity=Severity.MEDIUM,
    enforcement=MANDATORY,
    remediation="Raise deletion_window_in_days (7-30) on the aws.kms.Key.",
    options=minimum_days(7, {"prod": 30}, "deletion window", minimum=7, maximum=30),
)
