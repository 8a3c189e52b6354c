"""`StackView`: how a stack policy finds the resources that belong together.

pulumi-aws 7 splits an S3 bucket's settings into separate resources, an event source
mapping joins a queue to a function, and so on. The link is the property dependency
(the engine records which resources an input came from) or, failing that, a literal id
or name that equals one of the target's identifiers.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from pulumi_policy import PolicyResource
from pulumi_policy.proxy import UnknownValueError

# Inputs (or outputs, for a real `pulumi up`) that identify a resource by value.
_IDENTIFIERS = ("id", "arn", "name", "bucket", "url", "functionName", "restApi", "stageName")


def known(resource: PolicyResource, key: str) -> Any:
    """`resource.props[key]`, or None while it is unknown.

    For literal matches only: a literal match is a fallback to the recorded dependency,
    so an unknown identifier simply does not match; the dependency still links them.
    """
    try:
        return resource.props.get(key)
    except UnknownValueError:
        return None


def identifiers(resource: PolicyResource) -> set[str]:
    values = {known(resource, key) for key in _IDENTIFIERS}
    return {value for value in values if isinstance(value, str) and value}


class StackView:
    def __init__(self, resources: Iterable[PolicyResource]) -> None:
        self.resources = list(resources)

    def of_type(self, types: Collection[str]) -> list[PolicyResource]:
        return [resource for resource in self.resources if resource.resource_type in types]

    def linked(
        self, source: PolicyResource, prop: str, types: Collection[str]
    ) -> list[PolicyResource]:
        """The resources of `types` that `source.props[prop]` refers to."""
        found = [
            dep for dep in source.property_dependencies.get(prop, []) if dep.resource_type in types
        ]
        if found:
            return found
        literal = known(source, prop)
        if not isinstance(literal, str) or not literal:
            return []
        return [target for target in self.of_type(types) if literal in identifiers(target)]

    def referencing(
        self, target: PolicyResource, types: Collection[str], prop: str
    ) -> list[PolicyResource]:
        """The resources of `types` whose `prop` refers to `target`."""
        return [
            source
            for source in self.of_type(types)
            if any(
                linked is target for linked in self.linked(source, prop, (target.resource_type,))
            )
        ]
