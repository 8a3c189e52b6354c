"""Drive the Pulumi policy runtime's own analyzer (in-process, or the pack's real gRPC
server) with a Plan, as the engine would, and collect what it answers."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from google.protobuf import empty_pb2, struct_pb2
from pulumi.runtime import proto

from gate.crossguard.evaluate import PolicyConfig, PolicyResult
from gate.crossguard.results import NOT_APPLICABLE
from gate.engine.plan import Plan, PlannedResource

LEVELS = {
    proto.ADVISORY: "advisory",
    proto.MANDATORY: "mandatory",
    proto.DISABLED: "disabled",
    proto.REMEDIATE: "remediate",
}
TO_PROTO = {name: level for level, name in LEVELS.items()}
SEVERITIES = {
    proto.POLICY_SEVERITY_UNSPECIFIED: None,
    proto.POLICY_SEVERITY_LOW: "low",
    proto.POLICY_SEVERITY_MEDIUM: "medium",
    proto.POLICY_SEVERITY_HIGH: "high",
    proto.POLICY_SEVERITY_CRITICAL: "critical",
}

# (kind, policy, urn, enforcement, severity, message), as the gate's results are compared.
Outcome = tuple[str, str, str | None, str | None, str | None, str]


def _struct(values: Mapping[str, Any]) -> struct_pb2.Struct:
    struct = struct_pb2.Struct()
    struct.update(dict(values))
    return struct


def _provider(plan: Plan, resource: PlannedResource) -> proto.AnalyzerProviderResource | None:
    urn = resource.provider_urn
    if not urn:
        return None
    provider = plan.by_urn().get(urn)
    return proto.AnalyzerProviderResource(
        type=provider.type if provider else urn.split("::")[2],
        properties=_struct(provider.inputs if provider else {}),
        urn=urn,
        name=provider.name if provider else urn.rsplit("::", 1)[-1],
    )


def _options(resource: PlannedResource) -> proto.AnalyzerResourceOptions:
    return proto.AnalyzerResourceOptions(
        protect=bool(resource.options.get("protect")), parent=resource.parent or ""
    )


def configure_request(config: Mapping[str, PolicyConfig]) -> proto.ConfigureAnalyzerRequest:
    """What the CLI sends after reconciling the config (every policy, with defaults)."""
    return proto.ConfigureAnalyzerRequest(
        policyConfig={
            name: proto.PolicyConfig(
                enforcementLevel=TO_PROTO[c.enforcement_level.value]
                if c.enforcement_level
                else proto.ADVISORY,
                properties=_struct(c.properties),
            )
            for name, c in config.items()
        }
    )


def _outcomes(response: Any, urn: str | None) -> list[Outcome]:
    outcomes: list[Outcome] = [
        (
            "diagnostic",
            d.policyName,
            d.urn or urn,
            LEVELS[d.enforcementLevel],
            SEVERITIES[d.severity],
            d.message,
        )
        for d in response.diagnostics
    ]
    outcomes += [
        ("not-applicable", n.policy_name, urn, None, None, n.reason)
        for n in response.not_applicable
    ]
    return outcomes


def analyze(
    analyze_resource: Callable[[Any], Any], analyze_stack: Callable[[Any], Any], plan: Plan
) -> list[Outcome]:
    """Every resource through `Analyze`, then the stack through `AnalyzeStack`."""
    outcomes: list[Outcome] = []
    for resource in plan.resources:
        request = proto.AnalyzeRequest(
            type=resource.type,
            properties=_struct(resource.inputs),
            urn=resource.urn,
            name=resource.name,
            options=_options(resource),
            provider=_provider(plan, resource),
        )
        outcomes += _outcomes(analyze_resource(request), resource.urn)
    stack = proto.AnalyzeStackRequest(
        resources=[
            proto.AnalyzerResource(
                type=r.type,
                properties=_struct(r.inputs),
                urn=r.urn,
                name=r.name,
                options=_options(r),
                provider=_provider(plan, r),
                parent=r.parent or "",
                dependencies=r.dependencies,
                propertyDependencies={
                    key: proto.AnalyzerPropertyDependencies(urns=urns)
                    for key, urns in r.property_dependencies.items()
                },
            )
            for r in plan.resources
        ]
    )
    outcomes += _outcomes(analyze_stack(stack), None)
    return outcomes


def gate_outcomes(results: list[PolicyResult]) -> list[Outcome]:
    """The gate's results as the runtime would answer them. A suppressed result is a
    valid exemption, which under the runtime means no violation at all."""
    return [
        (
            "not-applicable" if r.kind == NOT_APPLICABLE else "diagnostic",
            r.policy,
            r.urn,
            None if r.kind == NOT_APPLICABLE else r.enforcement,
            None if r.kind == NOT_APPLICABLE else r.severity,
            r.runtime_message,
        )
        for r in results
        if not r.suppressed
    ]


EMPTY = empty_pb2.Empty()
