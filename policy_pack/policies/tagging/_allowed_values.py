"""The shape of the "tag X takes only allowed values" policies."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from pulumi_policy import ResourceValidationArgs, ResourceValidationPolicy, Severity

from ...core import metadata
from ...core.policy import MANDATORY, Config, resource_policy, string_list
from ...core.props import tags_of
from .taggable import TAGGABLE_TYPES


def allowed_values_policy(name: str, tag: str, allowed: Sequence[str]) -> ResourceValidationPolicy:
    def check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
        tags = tags_of(args.props)
        if tag not in set(tags):
            return  # a missing tag is resource-required-tags' finding
        value = tags[tag]
        if value not in config["allowed_values"]:
            yield (
                f"{metadata.label(args.resource_type)} '{args.name}' has {tag} tag {value!r}; "
                f"use one of {', '.join(config['allowed_values'])}"
            )

    return resource_policy(
        name=name,
        description=f"The {tag} tag takes only the configured values.",
        resource_types=TAGGABLE_TYPES,
        check=check,
        category=metadata.TAGGING,
        severity=Severity.MEDIUM,
        enforcement=MANDATORY,
        remediation=f"Set the {tag} tag to one of the policy's allowed_values (configurable).",
        options={"allowed_values": string_list(allowed, f"Values the {tag} tag may take.")},
    )
