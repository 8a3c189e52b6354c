"""DynamoDB tables in protected environments cannot be deleted by accident."""

import fnmatch
from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import metadata
from ...core.policy import MANDATORY, Config, resource_policy, string_list
from ...core.props import environment_of, is_true


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    environment = environment_of(args.props)
    patterns = config["environments"]
    # An untagged table is treated as protected: guessing "dev" would fail open.
    if environment is not None and not any(fnmatch.fnmatchcase(environment, p) for p in patterns):
        args.not_applicable(f"environment {environment!r} does not require deletion protection")
    if not is_true(args.props.get("deletionProtectionEnabled")):
        yield (
            f"DynamoDB table '{args.name}' (Environment {environment or 'untagged'}) has no "
            "deletion protection; set deletion_protection_enabled=True"
        )


POLICY = resource_policy(
    name="dynamodb-table-deletion-protection",
    description="DynamoDB tables in the configured environments have deletion protection.",
    resource_types=("aws:dynamodb/table:Table",),
    check=_check,
    category=metadata.RESILIENCE,
    severity=Severity.MEDIUM,
    enforcement=MANDATORY,
    remediation=(
        "Set deletion_protection_enabled=True (per-environment config, e.g. prod only). Which "
        "environments need it is this policy's `environments` config (globs over the "
        "Environment tag)."
    ),
    mappings=("fsbp:DynamoDB.6",),
    options={
        "environments": string_list(
            ("*",), "Environment tag values (globs) whose tables need deletion protection."
        )
    },
)
