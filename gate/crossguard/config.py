"""Policy pack configuration, resolved the way the Pulumi CLI resolves it.

The CLI (`pkg/resource/analyzer/config.go`) starts from each policy's schema defaults
and enforcement level, applies the pack's `initial_config`, then the
`--policy-pack-config` file (where `"all": "<level>"` sets every policy's level), and
validates each policy's properties against its config schema. Same here.

The file maps a policy name to an enforcement level string, or to an object with an
optional `enforcementLevel` and the policy's properties:

    {"all": "mandatory",
     "kms-key-deletion-window": {"enforcementLevel": "advisory", "minimum_days": 14}}
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
from pulumi_policy import EnforcementLevel

from gate.crossguard.loader import LoadedPack, PolicyPackError

ALL_POLICIES = "all"


class PolicyConfigError(PolicyPackError):
    """The policy pack config is unreadable or does not match a policy's schema."""


@dataclass(frozen=True)
class PolicyConfig:
    enforcement_level: EnforcementLevel | None = None
    properties: Mapping[str, Any] = field(default_factory=dict)


def _level(value: Any, where: str) -> EnforcementLevel:
    if isinstance(value, EnforcementLevel):
        return value
    try:
        return EnforcementLevel(value)
    except ValueError:
        levels = ", ".join(level.value for level in EnforcementLevel)
        raise PolicyConfigError(
            f"{where}: {value!r} is not a valid enforcement level; expected one of {levels}"
        ) from None


def parse_policy_config(
    data: Mapping[str, Any], source: str = "policy config"
) -> dict[str, PolicyConfig]:
    """Policy name → config, from the JSON object of a `--policy-pack-config` file (or a
    pack's `initial_config`, whose values may be EnforcementLevel members)."""
    result: dict[str, PolicyConfig] = {}
    for name, value in data.items():
        where = f"{source}: {name!r}"
        if isinstance(value, str | EnforcementLevel):
            result[name] = PolicyConfig(_level(value, where))
        elif isinstance(value, Mapping):
            properties = {k: v for k, v in value.items() if k != "enforcementLevel"}
            level = value.get("enforcementLevel")
            result[name] = PolicyConfig(
                _level(level, where) if level is not None else None, properties
            )
        else:
            raise PolicyConfigError(f"{where} must be an enforcement level string or an object")
    return result


def load_policy_config(path: Path | str) -> dict[str, PolicyConfig]:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PolicyConfigError(f"cannot read policy pack config {path}: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise PolicyConfigError(
            f"policy pack config {path} is not UTF-8 text: {exc.reason}"
        ) from exc
    if not text.strip():
        return {}
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PolicyConfigError(f"policy pack config {path} is not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise PolicyConfigError(f"policy pack config {path} must be a JSON object")
    return parse_policy_config(data, str(path))


def check_policy_names(given: Mapping[str, PolicyConfig], packs: Sequence[LoadedPack]) -> None:
    """A config entry naming no policy of any pack is a typo, not a no-op: raise, with
    the nearest policy name as a suggestion."""
    known = sorted({policy.name for pack in packs for policy in pack.policies})
    unknown = sorted(set(given) - set(known) - {ALL_POLICIES})
    if not unknown:
        return
    problems = []
    for name in unknown:
        nearest = difflib.get_close_matches(name, known, n=1)
        hint = f" (did you mean {nearest[0]!r}?)" if nearest else ""
        problems.append(f"{name!r}{hint}")
    packs_named = ", ".join(pack.name for pack in packs)
    raise PolicyConfigError(
        f"the policy config names {len(unknown)} policy(ies) that no pack ({packs_named}) "
        f"has: {'; '.join(problems)}"
    )


def _schema(policy: Any) -> dict[str, Any] | None:
    if policy.config_schema is None:
        return None
    schema: dict[str, Any] = {"type": "object"}
    if policy.config_schema.properties:
        schema["properties"] = policy.config_schema.properties
    if policy.config_schema.required:
        schema["required"] = policy.config_schema.required
    return schema


def _apply(result: dict[str, PolicyConfig], given: Mapping[str, PolicyConfig]) -> None:
    everything = given.get(ALL_POLICIES)
    if everything is not None and everything.enforcement_level is not None:
        for name, config in result.items():
            result[name] = PolicyConfig(everything.enforcement_level, config.properties)
    for name, config in given.items():
        current = result.get(name, PolicyConfig())
        result[name] = PolicyConfig(
            config.enforcement_level or current.enforcement_level,
            {**current.properties, **config.properties},
        )


def resolve_policy_config(
    pack: LoadedPack, given: Mapping[str, PolicyConfig] | None = None
) -> dict[str, PolicyConfig]:
    """Each policy's effective level and properties; raises PolicyConfigError listing
    every schema violation (as `pulumi preview` refuses to run on them)."""
    result: dict[str, PolicyConfig] = {}
    for policy in pack.policies:
        properties = policy.config_schema.properties if policy.config_schema else {}
        defaults = {key: spec["default"] for key, spec in properties.items() if "default" in spec}
        result[policy.name] = PolicyConfig(
            policy.enforcement_level or pack.enforcement_level, defaults
        )
    _apply(result, parse_policy_config(pack.initial_config, f"{pack.name} initial_config"))
    _apply(result, given or {})

    errors = []
    for policy in pack.policies:
        schema = _schema(policy)
        if schema is None:
            continue
        validator = jsonschema.Draft7Validator(schema)
        for error in validator.iter_errors(dict(result[policy.name].properties)):
            where = "/".join(str(step) for step in error.absolute_path) or "(root)"
            errors.append(f"{policy.name}: {where}: {error.message}")
    if errors:
        raise PolicyConfigError(
            f"invalid configuration for policy pack {pack.name}:\n  " + "\n  ".join(errors)
        )
    return result
