"""A recorded Pulumi plan rendered as Terraform plan JSON, the input of checkov's
`terraform_plan` framework.

Terraform plan JSON (`terraform show -json`) has three parts checkov reads:
`planned_values` (each resource's attribute values), `resource_changes` (the actions)
and `configuration` (the expressions, whose `references` become graph edges for the
CKV2_* checks). Pulumi property dependencies play the part of those references.

Each Pulumi provider becomes a provider configuration with its region: the default
provider is `aws` (in the stack's `aws:region`), an explicit `pulumi:providers:aws`
resource an aliased `aws.<name>`, and each resource names its own in
`provider_config_key`. A resource's own `region` argument (pulumi-aws 7) stays one of its
values, as Terraform holds it, and is the region the resource is in.

Example:
    >>> from gate.engine.planner import build_plan
    >>> tfplan = render_tfplan(build_plan("tests/fixtures/programs/tiny", "test"))
    >>> sorted(tfplan.addresses)
    ['aws_kms_key.key', 'aws_sqs_queue.queue', 'aws_sqs_queue_policy.queue_policy']
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from gate.checkov.schema import (
    is_map_attribute,
    snake_case,
    terraform_block_name,
    terraform_key,
    terraform_type,
)
from gate.engine.plan import Plan, PlannedResource
from gate.engine.wire import ARCHIVE_SIG, ASSET_SIG, OUTPUT_SIG, SECRET_SIG, SIG_KEY
from gate.secrets import SECRET_MARKER, plan_secrets, redact

FORMAT_VERSION = "1.2"
# checkov only requires the field; this is the Terraform release whose format we follow.
TERRAFORM_VERSION = "1.9.8"
PROVIDER_NAME = "registry.terraform.io/hashicorp/aws"
DEFAULT_PROVIDER_KEY = "aws"
# Where the offline engine (and the AWS provider) deploys when nothing names a region.
DEFAULT_REGION = "us-east-1"

_UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"

_NOT_NAME_CHARS = re.compile(r"[^A-Za-z0-9_]")


class _Unknown:
    """A value only known after apply: left out of `values`, flagged in `after_unknown`."""


_UNKNOWN_VALUE = _Unknown()


@dataclass(frozen=True)
class ProviderConfig:
    """One `provider "aws"` block: the default (`aws`) or an aliased one (`aws.<alias>`)."""

    key: str
    # None when the region is only known after apply.
    region: str | None

    @property
    def alias(self) -> str | None:
        return self.key.split(".", 1)[1] if "." in self.key else None

    def to_dict(self) -> dict[str, Any]:
        entry: dict[str, Any] = {"name": "aws", "full_name": PROVIDER_NAME}
        if self.alias:
            entry["alias"] = self.alias
        entry["expressions"] = (
            {"region": {"constant_value": self.region}} if self.region is not None else {}
        )
        return entry


@dataclass(frozen=True)
class TerraformResource:
    """One Pulumi resource as Terraform sees it."""

    address: str
    type: str
    name: str
    urn: str
    values: dict[str, Any]
    after_unknown: dict[str, bool]
    # Terraform attribute -> references (`aws_s3_bucket.logs.id`, `aws_s3_bucket.logs`).
    references: dict[str, list[str]]
    depends_on: list[str]
    # The provider configuration it is created through, and the region it is in (its own
    # `region` argument, else its provider's; None when only known after apply).
    provider_config_key: str = DEFAULT_PROVIDER_KEY
    region: str | None = None


@dataclass(frozen=True)
class TerraformPlan:
    """A stack's plan in Terraform terms, plus the way back to Pulumi URNs."""

    stack: str
    # The stack's region: the default provider's (`aws:region`).
    region: str
    resources: list[TerraformResource]
    # Custom resources with no Terraform equivalent (other providers), by URN.
    not_rendered: list[str] = field(default_factory=list)
    # The provider configurations the resources are created through.
    providers: list[ProviderConfig] = field(default_factory=list)
    # The plan's secret plaintexts: never written out (see gate.secrets).
    secrets: frozenset[str] = frozenset()

    @property
    def addresses(self) -> dict[str, str]:
        """Terraform address -> Pulumi URN."""
        return {r.address: r.urn for r in self.resources}

    def urn_of(self, address: str) -> str | None:
        """The URN behind a Terraform address (indexes such as `[0]` are ignored)."""
        return self.addresses.get(address.split("[", 1)[0])

    def to_dict(self) -> dict[str, Any]:
        """The plan as `terraform show -json` would print it."""
        return {
            "format_version": FORMAT_VERSION,
            "terraform_version": TERRAFORM_VERSION,
            "planned_values": {
                "root_module": {"resources": [_planned_value(r) for r in self.resources]}
            },
            "resource_changes": [_resource_change(r) for r in self.resources],
            "configuration": {
                "provider_config": {p.key: p.to_dict() for p in self.providers},
                "root_module": {"resources": [_configuration(r) for r in self.resources]},
            },
        }

    def to_json(self) -> str:
        """The plan JSON text, stable from run to run."""
        return json.dumps(redact(self.to_dict(), self.secrets), indent=2, sort_keys=True)


def _planned_value(resource: TerraformResource) -> dict[str, Any]:
    return {
        "address": resource.address,
        "mode": "managed",
        "type": resource.type,
        "name": resource.name,
        "provider_name": PROVIDER_NAME,
        "schema_version": 0,
        "values": resource.values,
        "sensitive_values": {},
    }


def _resource_change(resource: TerraformResource) -> dict[str, Any]:
    identity = _planned_value(resource)
    return {key: identity[key] for key in ("address", "mode", "type", "name", "provider_name")} | {
        "change": {
            "actions": ["create"],
            "before": None,
            "after": resource.values,
            "after_unknown": resource.after_unknown,
            "before_sensitive": False,
            "after_sensitive": {},
        },
    }


def _configuration(resource: TerraformResource) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "address": resource.address,
        "mode": "managed",
        "type": resource.type,
        "name": resource.name,
        "provider_config_key": resource.provider_config_key,
        "schema_version": 0,
        "expressions": {
            key: {"references": refs} for key, refs in sorted(resource.references.items())
        },
    }
    if resource.depends_on:
        entry["depends_on"] = resource.depends_on
    return entry


def _plain(value: Any) -> Any:
    """A wire value with the SDK's markers resolved, as Terraform would hold it."""
    if isinstance(value, dict):
        signature = value.get(SIG_KEY)
        if signature == SECRET_SIG:
            # checkov's plan file is written to disk: a secret never is.
            return SECRET_MARKER
        if signature == OUTPUT_SIG:
            return _plain(value["value"]) if "value" in value else _UNKNOWN_VALUE
        if signature in (ASSET_SIG, ARCHIVE_SIG):
            # Terraform holds a file name where Pulumi holds an asset or archive.
            return value.get("path") or value.get("uri") or "<pulumi-archive>"
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if value == _UNKNOWN:
        return _UNKNOWN_VALUE
    if isinstance(value, float) and value.is_integer():
        # The wire carries every number as a double; Terraform integers are integers.
        return int(value)
    return value


def _is_block_list(value: Any) -> bool:
    return isinstance(value, list) and any(isinstance(v, dict) for v in value)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _convert_value(tf_type: str, path: str, value: Any) -> Any:
    if isinstance(value, dict):
        if is_map_attribute(tf_type, path, value):
            return {k: _known_or_none(v) for k, v in value.items()}
        return [_convert_block(tf_type, path, value)]
    if _is_block_list(value):
        return [
            _convert_block(tf_type, path, v) if isinstance(v, dict) else v
            for v in value
            if v is not _UNKNOWN_VALUE
        ]
    return _known_or_none(value)


def _known_or_none(value: Any) -> Any:
    if value is _UNKNOWN_VALUE:
        return None
    if isinstance(value, list):
        return [_known_or_none(v) for v in value]
    if isinstance(value, dict):
        return {k: _known_or_none(v) for k, v in value.items()}
    return value


def _convert_block(tf_type: str, path: str, block: dict[str, Any]) -> dict[str, Any]:
    """A block body: keys renamed to Terraform names, nested blocks turned into lists."""
    converted: dict[str, Any] = {}
    for key, value in block.items():
        tf_key = _terraform_name(tf_type, path, key, value)
        converted[tf_key] = _convert_value(tf_type, _join(path, tf_key), value)
    return converted


def _terraform_name(tf_type: str, path: str, key: str, value: Any) -> str:
    if not path:
        renamed = terraform_key(tf_type, key)
        if renamed != snake_case(key):
            return renamed
    name = snake_case(key)
    if _is_block_list(value):
        return terraform_block_name(tf_type, _join(path, name))
    return name


def _strings_in(value: Any) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return set().union(*(_strings_in(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(_strings_in(v) for v in value)) if value else set()
    return set()


def _referenced_attribute(value: Any, dependency: PlannedResource) -> str | None:
    """Which attribute of the dependency the input holds: `id`, `arn`, or unknown."""
    strings = _strings_in(value)
    if dependency.id and dependency.id in strings:
        return "id"
    if dependency.arn and any(dependency.arn in s for s in strings):
        return "arn"
    return None


def _terraform_names(resources: list[tuple[PlannedResource, str]]) -> dict[str, str]:
    """URN -> Terraform name: the Pulumi name made an identifier, unique per type."""
    return _distinct({r.urn: (tf_type, _identifier(r.name)) for r, tf_type in resources})


def _distinct(bases: dict[str, tuple[str, str]]) -> dict[str, str]:
    """URN -> its (scope, identifier)'s identifier, unique within the scope.

    Names that clash (the same logical name under two components) get a suffix from
    their URN, so every address stays the same from run to run.
    """
    clashes = Counter(bases.values())
    return {
        urn: base if clashes[(scope, base)] == 1 else f"{base}_{_short_hash(urn)}"
        for urn, (scope, base) in bases.items()
    }


def _identifier(name: str) -> str:
    identifier = _NOT_NAME_CHARS.sub("_", name) or "resource"
    return identifier if not identifier[0].isdigit() else f"_{identifier}"


def _short_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def _region(inputs: dict[str, Any], fallback: str | None) -> str | None:
    """The `region` input if it is set (None while unknown), else `fallback`."""
    if not inputs.get("region"):
        return fallback
    region = _plain(inputs["region"])
    return region if isinstance(region, str) else None


def _provider_configs(
    resources: list[PlannedResource], by_urn: dict[str, PlannedResource], stack_region: str
) -> dict[str | None, ProviderConfig]:
    """Provider URN -> the configuration the resources going through it share; None is
    the default provider, also standing in for a provider the plan does not hold."""
    explicit = sorted(
        {urn for r in resources if (urn := r.provider_urn) is not None and urn in by_urn}
    )
    aliases = _distinct({urn: ("provider", _identifier(by_urn[urn].name)) for urn in explicit})
    configs: dict[str | None, ProviderConfig] = {
        # A provider without a region deploys where the engine's default target does.
        urn: ProviderConfig(f"aws.{aliases[urn]}", _region(by_urn[urn].inputs, stack_region))
        for urn in explicit
    }
    configs[None] = ProviderConfig(DEFAULT_PROVIDER_KEY, stack_region)
    return configs


def _render_resource(
    resource: PlannedResource,
    tf_type: str,
    name: str,
    address_of: dict[str, str],
    by_urn: dict[str, PlannedResource],
    provider: ProviderConfig,
) -> TerraformResource:
    values: dict[str, Any] = {}
    after_unknown: dict[str, bool] = {}
    references: dict[str, list[str]] = {}
    for key, wire_value in resource.inputs.items():
        if key.startswith("__"):
            continue  # engine bookkeeping such as `__defaults`, not an attribute
        value = _plain(wire_value)
        tf_key = _terraform_name(tf_type, "", key, value)
        if value is _UNKNOWN_VALUE:
            after_unknown[tf_key] = True
        else:
            values[tf_key] = _convert_value(tf_type, tf_key, value)
        refs: list[str] = []
        for dependency in resource.property_dependencies.get(key, []):
            if dependency not in address_of:
                continue  # a component or a provider: nothing for Terraform to point at
            attribute = _referenced_attribute(value, by_urn[dependency])
            if attribute:
                refs.append(f"{address_of[dependency]}.{attribute}")
            refs.append(address_of[dependency])
        if refs:
            references[tf_key] = refs
    fed_inputs = {urn for urns in resource.property_dependencies.values() for urn in urns}
    depends_on = sorted(
        address_of[urn]
        for urn in resource.dependencies
        if urn in address_of and urn not in fed_inputs
    )
    return TerraformResource(
        address=f"{tf_type}.{name}",
        type=tf_type,
        name=name,
        urn=resource.urn,
        values=values,
        after_unknown=after_unknown,
        references=references,
        depends_on=depends_on,
        provider_config_key=provider.key,
        region=_region(resource.inputs, provider.region),
    )


def render_tfplan(plan: Plan) -> TerraformPlan:
    """Render every pulumi-aws resource of the plan as a Terraform resource."""
    mapped: list[tuple[PlannedResource, str]] = []
    not_rendered: list[str] = []
    for resource in plan.resources:
        if not resource.custom or resource.type.startswith("pulumi:providers:"):
            continue
        tf_type = terraform_type(resource.type)
        if tf_type is None:
            not_rendered.append(resource.urn)
        else:
            mapped.append((resource, tf_type))
    names = _terraform_names(mapped)
    address_of = {r.urn: f"{tf_type}.{names[r.urn]}" for r, tf_type in mapped}
    by_urn = plan.by_urn()
    region = plan.config.get("aws:region") or DEFAULT_REGION
    configs = _provider_configs([r for r, _ in mapped], by_urn, region)

    def provider_of(resource: PlannedResource) -> ProviderConfig:
        return configs.get(resource.provider_urn) or configs[None]

    resources = [
        _render_resource(r, tf_type, names[r.urn], address_of, by_urn, provider_of(r))
        for r, tf_type in mapped
    ]
    used = {resource.provider_config_key for resource in resources}
    return TerraformPlan(
        stack=plan.stack,
        region=region,
        resources=resources,
        not_rendered=not_rendered,
        providers=sorted(
            (config for config in configs.values() if config.key in used), key=lambda c: c.key
        ),
        secrets=plan_secrets(plan),
    )
