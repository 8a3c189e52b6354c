"""Check builders for the common case "one property must satisfy one predicate".

Like checkov's base checks, they reduce a policy to "which key, which values":

    check=require(is_true, "tracingConfig", "mode", message="...'{name}'...")
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from pulumi_policy import ResourceValidationArgs

from .policy import Config, ResourceCheck
from .props import dig


def require(predicate: Callable[[Any], bool], *path: str, message: str) -> ResourceCheck:
    """Report `message` (formatted with `name` and `value`) when the property at `path`
    does not satisfy `predicate`. A missing property is `None`."""

    def check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
        value = dig(args.props, *path)
        if not predicate(value):
            yield message.format(name=args.name, value=value)

    return check


def one_of(*allowed: str) -> Callable[[Any], bool]:
    return lambda value: value in allowed


def present(value: Any) -> bool:
    return value is not None and value != "" and value != [] and value != {}


def require_each_replica(
    predicate: Callable[[Any], bool], *path: str, message: str
) -> ResourceCheck:
    """Like `require`, for every entry of a DynamoDB table's `replicas` (formatted with
    `name` and `region`); a table without replicas is not applicable."""

    def check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
        replicas = args.props.get("replicas") or []
        if not replicas:
            args.not_applicable("the table has no replicas")
        for replica in replicas:
            if not predicate(dig(replica, *path)):
                yield message.format(name=args.name, region=dig(replica, "regionName") or "?")

    return check
