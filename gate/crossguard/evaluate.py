"""Evaluate CrossGuard policy packs on an offline plan, as the Pulumi policy runtime does.

The runtime (`pulumi_policy.policy._PolicyAnalyzerServicer`) gets each resource over
gRPC as a protobuf Struct. This module builds the same inputs from a `gate.engine.plan.Plan`
and repeats what `Analyze` and `AnalyzeStack` do with them:

- props are `unknown_checking_proxy(deserialize_properties(<Struct as dict>))`, so
  numbers are floats, secrets are unwrapped and unknowns raise `UnknownValueError`;
- `ResourceValidationArgs` carry the options, the provider resource, the policy's config
  and the stack tags; stack policies get `PolicyResource`s whose parent, dependencies and
  property dependencies point at each other;
- the effective enforcement level comes from the config (`disabled` skips the policy,
  `remediate` reports as `mandatory`); async validators are awaited on a fresh loop;
- `args.not_applicable(...)` becomes a not-applicable result, `UnknownValueError` the
  advisory "can't run policy ... during preview", and any other exception a
  `PolicyEvaluationError` (a crash is never "no findings").

Suppressions: the runtime has none. A policy may call
`report_violation.report_suppressed(message, urn, reason)` when that attribute exists (it
does here, not under `pulumi preview`), and the finding is kept as suppressed with its
reason. This pack's exemptions work that way.

Example:
    >>> from gate.engine.planner import build_plan
    >>> from gate.crossguard.evaluate import evaluate_plan, load_policy_config, load_policy_pack
    >>> pack = load_policy_pack("policy_pack")
    >>> results = evaluate_plan(build_plan(".", "dev"), pack,
    ...                         load_policy_config("policy_pack/config.json"))
    >>> [r for r in results if r.blocking]
    []
"""

from __future__ import annotations

import asyncio
import copy
import traceback
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from inspect import isawaitable
from typing import Any

from google.protobuf import json_format, struct_pb2
from pulumi_policy import (
    EnforcementLevel,
    Policy,
    PolicyCustomTimeouts,
    PolicyProviderResource,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.deserialize import deserialize_properties
from pulumi_policy.policy import _NotApplicableError
from pulumi_policy.proxy import UnknownValueError, _DictProxy, unknown_checking_proxy

from gate.crossguard.config import (
    PolicyConfig,
    PolicyConfigError,
    load_policy_config,
    parse_policy_config,
    resolve_policy_config,
)
from gate.crossguard.loader import LoadedPack, PolicyPackError, load_policy_pack
from gate.crossguard.results import (
    NOT_APPLICABLE,
    UNKNOWN,
    VIOLATION,
    PolicyMetadata,
    PolicyPass,
    PolicyResult,
)
from gate.engine.plan import Plan, PlannedResource

__all__ = [
    "LoadedPack",
    "PolicyConfig",
    "PolicyConfigError",
    "PolicyEvaluationError",
    "PolicyMetadata",
    "PolicyPackError",
    "PolicyPass",
    "PolicyResult",
    "evaluate_plan",
    "load_policy_config",
    "load_policy_pack",
    "parse_policy_config",
    "passed_checks",
    "resolve_policy_config",
    "wire_properties",
]


class PolicyEvaluationError(PolicyPackError):
    """A policy raised something other than UnknownValueError or not-applicable."""


def wire_properties(inputs: Mapping[str, Any]) -> dict[str, Any]:
    """The inputs after the gRPC round trip the runtime sees (a protobuf Struct)."""
    struct = struct_pb2.Struct()
    struct.update(dict(inputs))
    return json_format.MessageToDict(struct)


def _seconds(value: Any) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def _options(resource: PlannedResource) -> PolicyResourceOptions:
    options = resource.options
    timeouts = options.get("custom_timeouts") or {}
    return PolicyResourceOptions(
        protect=bool(options.get("protect", False)),
        ignore_changes=list(options.get("ignore_changes") or []),
        # The plan cannot tell "false" from "not set"; the runtime says None for the latter.
        delete_before_replace=True if options.get("delete_before_replace") else None,
        aliases=list(options.get("aliases") or []),
        custom_timeouts=PolicyCustomTimeouts(
            _seconds(timeouts.get("create")),
            _seconds(timeouts.get("update")),
            _seconds(timeouts.get("delete")),
        ),
        additional_secret_outputs=list(options.get("additional_secret_outputs") or []),
        parent=resource.parent or None,
    )


class _OptionsOnFirstUse(PolicyResourceOptions):
    """`_options(resource)`, built the first time a call reads one of its attributes (one
    per call, as the runtime gives each call its own)."""

    def __init__(self, resource: PlannedResource) -> None:
        self._resource = resource

    def __getattr__(self, name: str) -> Any:
        # Called only for attributes not set yet: the options' own, before they are built.
        if name == "_resource":
            raise AttributeError(name)
        # An attribute the policy set before reading any other one stays as it set it.
        for attribute, value in vars(_options(self._resource)).items():
            self.__dict__.setdefault(attribute, value)
        return object.__getattribute__(self, name)


class _PropsOnFirstUse(_DictProxy):
    """`unknown_checking_proxy(deserialize_properties(wire))`, as the runtime gives each
    call, built the first time the call touches it.

    Most policies look at a resource's type and return: building every resource's
    proxies for every policy call was 40 % of a stack's evaluation. Each call still gets
    its own objects (one of these per call), so no policy can see another's changes."""

    def __init__(self, wire: dict[str, Any]) -> None:
        self._wire: dict[str, Any] | None = wire

    def _built(self) -> None:
        if self._wire is not None:
            proxy = unknown_checking_proxy(deserialize_properties(self._wire))
            # The runtime's proxy keeps its dict and path in name-mangled attributes.
            self._DictProxy__target = proxy._DictProxy__target  # type: ignore[attr-defined]
            self._DictProxy__props_acc = proxy._DictProxy__props_acc  # type: ignore[attr-defined]
            self._wire = None

    def __getitem__(self, key: Any) -> Any:
        self._built()
        return super().__getitem__(key)

    def __setitem__(self, key: Any, value: Any) -> None:
        self._built()
        super().__setitem__(key, value)

    def __len__(self) -> int:
        self._built()
        return super().__len__()

    def __iter__(self) -> Any:
        self._built()
        return super().__iter__()


class _Reporter:
    """The `report_violation` callback, plus the gate's `report_suppressed` extension."""

    def __init__(
        self, add: Callable[[str, str | None, str | None], None], resource_urn: str | None
    ) -> None:
        self._add = add
        # A resource policy's finding belongs to its resource, whatever urn it passes.
        self._resource_urn = resource_urn

    def __call__(self, message: str, urn: str | None = None) -> None:
        if message and not isinstance(message, str):
            raise TypeError("Expected message to be a string")
        if urn is not None and not isinstance(urn, str):
            raise TypeError("Expected urn to be a string")
        self._add(message or "", self._resource_urn or urn or None, None)

    def report_suppressed(self, message: str, urn: str | None, reason: str) -> None:
        self._add(message or "", self._resource_urn or urn or None, reason)


class _Evaluation:
    def __init__(
        self,
        plan: Plan,
        pack: LoadedPack,
        config: Mapping[str, PolicyConfig],
        stack_tags: Mapping[str, str],
        on_policy: Callable[[str, str], None] | None = None,
    ) -> None:
        self.on_policy = on_policy
        self.plan = plan
        self.pack = pack
        self.config = config
        self.stack_tags = dict(stack_tags)
        self.by_urn = plan.by_urn()
        # The gRPC round trip is done once per resource (and per policy config); what the
        # runtime builds for each call (deserialized props, proxies) is still built per call
        # (when the call first looks), so no policy can see another's changes.
        self.wire = {r.urn: wire_properties(r.inputs) for r in plan.resources}
        self.config_wire = {
            name: wire_properties(value.properties)
            for name, value in config.items()
            if value.properties
        }
        self.results: list[PolicyResult] = []

    # -- what the runtime builds for each call --------------------------------------

    def _props(self, resource: PlannedResource) -> Mapping[str, Any]:
        return _PropsOnFirstUse(self.wire[resource.urn])

    def _provider(self, resource: PlannedResource) -> PolicyProviderResource | None:
        urn = resource.provider_urn
        if not urn:
            return None
        provider = self.by_urn.get(urn)
        inputs = self.wire.get(urn, {}) if provider else {}
        typ = provider.type if provider else urn.split("::")[2].split("$")[-1]
        name = provider.name if provider else urn.rsplit("::", 1)[-1]
        return PolicyProviderResource(typ, _PropsOnFirstUse(inputs), urn, name)

    def _level(self, policy: Policy) -> EnforcementLevel:
        level = self.config[policy.name].enforcement_level if policy.name in self.config else None
        level = level or policy.enforcement_level or self.pack.enforcement_level
        # A violation left after remediation is reported as mandatory, as the runtime does.
        return EnforcementLevel.MANDATORY if level == EnforcementLevel.REMEDIATE else level

    def _policy_config(self, policy: Policy) -> dict[str, Any] | None:
        # Config reaches the runtime as a protobuf Struct too: 14 arrives as 14.0. Each
        # call gets its own copy, as each runtime call decodes its own.
        wired = self.config_wire.get(policy.name)
        return copy.deepcopy(wired) if wired is not None else None

    # -- results --------------------------------------------------------------------

    def _add(
        self,
        policy: Policy,
        kind: str,
        level: EnforcementLevel,
        message: str,
        urn: str | None,
        reason: str | None = None,
    ) -> None:
        resource = self.by_urn.get(urn) if urn else None
        self.results.append(
            PolicyResult(
                kind=kind,
                policy=policy.name,
                pack=self.pack.name,
                pack_version=self.pack.version,
                enforcement=level.value,
                # The runtime's "can't run policy" diagnostic carries no severity.
                severity=policy.severity.value if policy.severity and kind != UNKNOWN else None,
                message=message,
                urn=urn,
                resource_type=resource.type if resource else None,
                resource_name=resource.name if resource else None,
                metadata=PolicyMetadata.of(policy, self.pack.enforcement_level),
                suppressed=reason is not None,
                suppression_reason=reason,
            )
        )

    def _call(
        self, policy: Policy, level: EnforcementLevel, call: Callable[[], Any], urn: str | None
    ) -> None:
        if self.on_policy is not None:
            self.on_policy(self.pack.name, policy.name)
        try:
            result = call()
            if isawaitable(result):
                loop = asyncio.new_event_loop()
                try:
                    loop.run_until_complete(result)
                finally:
                    loop.close()
        except UnknownValueError as error:
            message = (
                f"can't run policy '{policy.name}' from policy pack "
                f"'{self.pack.name}@v{self.pack.version}' during preview: {error.message}"
            )
            self._add(policy, UNKNOWN, EnforcementLevel.ADVISORY, message, urn)
        except _NotApplicableError as error:
            self._add(policy, NOT_APPLICABLE, level, error.reason or "", urn)
        except Exception as error:
            where = f"resource {urn}" if urn else "the stack"
            raise PolicyEvaluationError(
                f"policy '{policy.name}' from pack '{self.pack.name}' failed on {where}: "
                f"{type(error).__name__}: {error}",
                details=traceback.format_exc(),
            ) from error

    def _enabled(self, kind: type) -> list[tuple[Any, EnforcementLevel]]:
        return [
            (policy, level)
            for policy in self.pack.policies
            if isinstance(policy, kind)
            and (level := self._level(policy)) != EnforcementLevel.DISABLED
        ]

    # -- Analyze and AnalyzeStack ---------------------------------------------------

    def analyze(self, resource: PlannedResource) -> None:
        policy: ResourceValidationPolicy
        for policy, level in self._enabled(ResourceValidationPolicy):
            if not policy.has_validation():
                self._add(
                    policy,
                    NOT_APPLICABLE,
                    level,
                    "Policy does not implement validate",
                    resource.urn,
                )
                continue
            args = ResourceValidationArgs(
                resource.type,
                self._props(resource),
                resource.urn,
                resource.name,
                _OptionsOnFirstUse(resource),
                self._provider(resource),
                self._policy_config(policy),
                self.stack_tags,
            )

            reporter = _Reporter(partial(self._add, policy, VIOLATION, level), resource.urn)
            self._call(policy, level, partial(policy.validate, args, reporter), resource.urn)

    def _stack_resources(self) -> list[PolicyResource]:
        by_urn: dict[str, PolicyResource] = {}
        for r in self.plan.resources:
            by_urn[r.urn] = PolicyResource(
                r.type, self._props(r), r.urn, r.name, _options(r), self._provider(r), None, [], {}
            )
        for r in self.plan.resources:
            resource = by_urn[r.urn]
            resource.parent = by_urn.get(r.parent) if r.parent else None
            resource.dependencies = [by_urn[d] for d in r.dependencies if d in by_urn]
            resource.property_dependencies = {
                key: [by_urn[d] for d in deps if d in by_urn]
                for key, deps in r.property_dependencies.items()
            }
        return list(by_urn.values())

    def analyze_stack(self) -> None:
        policy: StackValidationPolicy
        for policy, level in self._enabled(StackValidationPolicy):
            args = StackValidationArgs(
                self._stack_resources(), self._policy_config(policy), self.stack_tags
            )

            reporter = _Reporter(partial(self._add, policy, VIOLATION, level), None)
            self._call(policy, level, partial(policy.validate, args, reporter), None)


# The config property by which a policy names the accounts it treats as the stack's own.
TRUSTED_ACCOUNTS_PROPERTY = "trusted_account_ids"


def trust_engine_accounts(
    resolved: dict[str, PolicyConfig], caller_accounts: Sequence[str]
) -> dict[str, PolicyConfig]:
    """Add the accounts the engine answered as the caller's identity to every policy's
    `trusted_account_ids`: offline, such an account is the stack's own by construction
    (under `pulumi preview` the real account appears, which the team lists in that config
    or pins on its provider)."""
    if not caller_accounts:
        return resolved
    updated = dict(resolved)
    for name, policy_config in resolved.items():
        trusted = policy_config.properties.get(TRUSTED_ACCOUNTS_PROPERTY)
        if isinstance(trusted, list):
            merged = [*trusted, *(a for a in caller_accounts if a not in trusted)]
            properties = {**policy_config.properties, TRUSTED_ACCOUNTS_PROPERTY: merged}
            updated[name] = PolicyConfig(policy_config.enforcement_level, properties)
    return updated


def evaluate_plan(
    plan: Plan,
    pack: LoadedPack,
    config: Mapping[str, PolicyConfig] | None = None,
    *,
    stack_tags: Mapping[str, str] | None = None,
    on_policy: Callable[[str, str], None] | None = None,
) -> list[PolicyResult]:
    """Every result of every enabled policy of `pack` on `plan`: resource policies on each
    resource (in plan order), then stack policies. `config` is a parsed
    `--policy-pack-config` (see `load_policy_config`); it is resolved against the pack's
    defaults and schemas first, and a schema violation raises PolicyConfigError.
    `on_policy(pack, policy)` is told before each policy runs (the isolation worker
    reports it, so a policy that hangs or exits is named)."""
    resolved = trust_engine_accounts(resolve_policy_config(pack, config), plan.caller_accounts)
    evaluation = _Evaluation(plan, pack, resolved, stack_tags or {}, on_policy)
    for resource in plan.resources:
        evaluation.analyze(resource)
    evaluation.analyze_stack()
    return evaluation.results


def passed_checks(
    plan: Plan,
    pack: LoadedPack,
    results: list[PolicyResult],
    config: Mapping[str, PolicyConfig] | None = None,
) -> list[PolicyPass]:
    """The (policy, resource) pairs that passed: resources of the types a policy declares
    (`resource_types`) that got no result from it. Policies that declare no types, are
    disabled, or could not run on the whole stack (an unknown) are left out: for them a
    missing result does not prove a pass."""
    resolved = resolve_policy_config(pack, config)
    touched = {(result.policy, result.urn) for result in results}
    passes = []
    for policy in pack.policies:
        metadata = PolicyMetadata.of(policy, pack.enforcement_level)
        level = resolved[policy.name].enforcement_level
        if metadata.resource_types is None or level == EnforcementLevel.DISABLED:
            continue
        if (policy.name, None) in touched:
            continue
        passes += [
            PolicyPass(policy.name, pack.name, r.urn, r.type, r.name, metadata)
            for r in plan.resources
            if r.type in metadata.resource_types and (policy.name, r.urn) not in touched
        ]
    return passes
