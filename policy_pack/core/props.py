"""Reading resource properties the way the policy runtime hands them over.

The runtime wraps props in `unknown_checking_proxy`: mappings and lists arrive as
`collections.abc` proxies (not `dict`/`list`), and reading a value that is unknown during
preview raises `UnknownValueError`. These helpers keep both facts in one place, so a
policy never mistakes a proxy for a scalar or swallows an unknown.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast


def is_mapping(value: Any) -> bool:
    return isinstance(value, Mapping)


def is_sequence(value: Any) -> bool:
    return isinstance(value, Sequence) and not isinstance(value, str | bytes)


def dig(value: Any, *path: str | int) -> Any:
    """`value[path[0]][path[1]]...`, or None as soon as a step is missing.

    A one-element list is stepped through for a string key, because the Terraform
    bridge models some single nested blocks as lists.
    """
    for step in path:
        if isinstance(step, str) and is_sequence(value) and len(value) == 1:
            value = value[0]
        if isinstance(step, int):
            if not is_sequence(value) or step >= len(value):
                return None
            value = value[step]
        elif is_mapping(value):
            value = value.get(step)
        else:
            return None
        if value is None:
            return None
    return value


def as_list(value: Any) -> list[Any]:
    """None → [], a scalar → [scalar], a list (or proxy) → its elements."""
    if value is None:
        return []
    if is_sequence(value):
        return list(value)
    return [value]


def as_number(value: Any) -> float | None:
    """Wire numbers are floats; strings appear where the provider takes strings."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def is_true(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.lower() == "true")


def plain(value: Any) -> Any:
    """A proxy tree as plain dicts and lists (reading every leaf, so unknowns raise)."""
    if is_mapping(value):
        return {key: plain(value[key]) for key in value}
    if is_sequence(value):
        return [plain(item) for item in value]
    return value


def tags_of(props: Mapping[str, Any]) -> Mapping[str, Any]:
    """The `tags` input as a mapping; list-shaped tags ({key, value} items) are folded in.

    The mapping may still be a proxy: listing its keys is safe, reading a value that is
    unknown raises, so a policy about keys never trips over an unknown value.
    """
    tags = props.get("tags")
    if is_mapping(tags):
        return cast(Mapping[str, Any], tags)
    result: dict[str, Any] = {}
    for item in as_list(tags):
        if is_mapping(item) and "key" in item:
            result[str(item["key"])] = item.get("value")
    return result


def is_customer_managed_key(value: Any) -> bool:
    """A KMS key id, ARN or alias that is not an AWS-managed `alias/aws/...` key."""
    if not isinstance(value, str) or not value.strip():
        return False
    alias = "alias/" + value.split(":alias/", 1)[1] if ":alias/" in value else value
    return not alias.startswith("alias/aws/")


def environment_of(props: Mapping[str, Any]) -> str | None:
    """The resource's `Environment` tag: how a policy tells dev from prod."""
    value = tags_of(props).get("Environment")
    return value if isinstance(value, str) else None


def for_environment(config: Mapping[str, Any], props: Mapping[str, Any], key: str) -> Any:
    """`config[key]`, overridden by `config[key + "_by_environment"][<Environment tag>]`."""
    overrides = config.get(f"{key}_by_environment") or {}
    environment = environment_of(props)
    if environment is not None and environment in overrides:
        return overrides[environment]
    return config[key]
