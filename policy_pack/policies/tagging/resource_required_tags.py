"""Every taggable AWS resource carries the required tag keys as explicit `tags`."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity
from pulumi_policy.proxy import UnknownValueError

from ...core import metadata
from ...core.policy import MANDATORY, Config, resource_policy, string_list
from ...core.props import tags_of
from .taggable import TAGGABLE_TYPES

REQUIRED_KEYS = ("Project", "Environment", "Owner", "CostCenter", "DataClassification")


def _has_value(tags: object, key: str) -> bool:
    try:
        value = tags[key]  # type: ignore[index]
    except UnknownValueError:
        return True  # present, with a value known only after deployment
    return isinstance(value, str) and bool(value.strip())


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    tags = tags_of(args.props)
    keys = set(tags)  # listing keys never reads (possibly unknown) values
    missing = [
        key for key in config["required_keys"] if key not in keys or not _has_value(tags, key)
    ]
    if missing:
        yield (
            f"{metadata.label(args.resource_type)} '{args.name}' is missing the required "
            f"tag(s) {', '.join(missing)}; add them to its tags"
        )


POLICY = resource_policy(
    name="resource-required-tags",
    description=(
        "Every taggable AWS resource has the required tags (explicit tags, not provider "
        "default_tags)."
    ),
    resource_types=TAGGABLE_TYPES,
    check=_check,
    category=metadata.TAGGING,
    severity=Severity.MEDIUM,
    enforcement=MANDATORY,
    remediation=(
        "Pass tags=<the stack's tag set> to every taggable resource. Provider default_tags "
        "are applied by the provider after the policy runs, so the policy cannot see them."
    ),
    options={
        "required_keys": string_list(REQUIRED_KEYS, "Tag keys every taggable resource must have.")
    },
)
