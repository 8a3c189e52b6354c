"""The recorded plan: every resource a program registers, as a policy would see it."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from gate.engine.wire import SECRET_SIG, SIG_KEY


@dataclass(frozen=True)
class SourcePosition:
    uri: str
    line: int

    @property
    def path(self) -> str:
        return self.uri.removeprefix("file://")


@dataclass(frozen=True)
class PlannedResource:
    urn: str
    type: str
    name: str
    custom: bool
    id: str | None
    parent: str | None
    provider: str | None
    # The inputs in wire form: camelCase keys, exactly what a CrossGuard policy is given.
    inputs: dict[str, Any]
    dependencies: list[str]
    property_dependencies: dict[str, list[str]]
    options: dict[str, Any] = field(default_factory=dict)
    source_position: SourcePosition | None = None
    # The ARN the mocks answered with, for resources that have one.
    arn: str | None = None
    # A multi-language component: its children are built by a provider plugin, so the
    # offline engine never sees them.
    remote: bool = False
    # Inputs that carry a value the engine invented for another resource's output:
    # [{"input": key, "from": urn, "output": property}].
    mocked_inputs: list[dict[str, str]] = field(default_factory=list)

    @property
    def provider_urn(self) -> str | None:
        return self.provider.rsplit("::", 1)[0] if self.provider else None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PlannedResource:
        position = data.get("source_position")
        return cls(
            urn=data["urn"],
            type=data["type"],
            name=data["name"],
            custom=bool(data.get("custom", True)),
            id=data.get("id"),
            parent=data.get("parent"),
            provider=data.get("provider"),
            inputs=data.get("inputs") or {},
            dependencies=list(data.get("dependencies") or []),
            property_dependencies={
                k: list(v) for k, v in (data.get("property_dependencies") or {}).items()
            },
            options=data.get("options") or {},
            source_position=SourcePosition(**position) if position else None,
            arn=data.get("arn"),
            remote=bool(data.get("remote", False)),
            mocked_inputs=list(data.get("mocked_inputs") or []),
        )


@dataclass(frozen=True)
class Plan:
    project: str
    stack: str
    resources: list[PlannedResource]
    outputs: dict[str, Any] = field(default_factory=dict)
    config: dict[str, str] = field(default_factory=dict)
    # Warnings and errors the program logged (deprecations among them).
    diagnostics: list[dict[str, str]] = field(default_factory=list)
    # Every invoke the engine answered: {"token", "args", "answer"}, where answer is
    # "supplied" (gate.yaml), "special" (a rule for that look-up) or "derived" (from the
    # result type's shape alone).
    invokes: list[dict[str, Any]] = field(default_factory=list)
    # What the engine could not see and says so: {"kind", "message"}.
    warnings: list[dict[str, str]] = field(default_factory=list)
    # Config keys whose values are secret (`secure:` at any depth).
    secret_keys: list[str] = field(default_factory=list)
    # The accounts the engine answered `getCallerIdentity` with: the stack's own.
    caller_accounts: list[str] = field(default_factory=list)
    # The interpreter the program ran with, and where it came from.
    environment: dict[str, str] = field(default_factory=dict)

    def remote_components(self) -> list[PlannedResource]:
        return [r for r in self.resources if r.remote]

    def by_type(self, typ: str) -> list[PlannedResource]:
        return [r for r in self.resources if r.type == typ]

    def by_urn(self) -> dict[str, PlannedResource]:
        return {r.urn: r for r in self.resources}

    def to_dict(self) -> dict[str, Any]:
        return {
            "project": self.project,
            "stack": self.stack,
            "config": self.config,
            "outputs": self.outputs,
            "diagnostics": self.diagnostics,
            "invokes": self.invokes,
            "warnings": self.warnings,
            "environment": self.environment,
            "caller_accounts": self.caller_accounts,
            "secret_keys": self.secret_keys,
            "resources": [asdict(r) for r in self.resources],
        }

    def to_json(self) -> str:
        """The plan as text to write out: secrets redacted."""
        return json.dumps(self.redacted_dict(), indent=2, sort_keys=False)

    def redacted_dict(self) -> dict[str, Any]:
        """`to_dict` with every secret replaced: what the gate may write out."""
        from gate.secrets import plan_secrets, redact

        redacted: dict[str, Any] = redact(self.to_dict(), plan_secrets(self))
        return redacted

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Plan:
        return cls(
            project=data["project"],
            stack=data["stack"],
            resources=[PlannedResource.from_dict(r) for r in data.get("resources", [])],
            outputs=data.get("outputs") or {},
            config=data.get("config") or {},
            diagnostics=data.get("diagnostics") or [],
            invokes=data.get("invokes") or [],
            warnings=data.get("warnings") or [],
            environment=data.get("environment") or {},
            caller_accounts=list(data.get("caller_accounts") or []),
            secret_keys=list(data.get("secret_keys") or []),
        )


_SECRET_SIG = {SIG_KEY: SECRET_SIG}


def _display(value: Any) -> str:
    """Outputs for people: secrets masked, as `pulumi stack output` does."""
    if isinstance(value, dict) and _SECRET_SIG.items() <= value.items():
        return "[secret]"
    return json.dumps(value)


def _short_urn_name(urn: str | None) -> str:
    return urn.rsplit("::", 1)[-1] if urn else ""


def render_text(plan: Plan) -> str:
    """A preview-like table: one line per resource, indented under its parent."""
    children: dict[str | None, list[PlannedResource]] = {}
    known = {r.urn for r in plan.resources}
    for resource in plan.resources:
        parent = resource.parent if resource.parent in known else None
        children.setdefault(parent, []).append(resource)

    rows: list[tuple[str, str, str]] = []

    def walk(parent: str | None, depth: int) -> None:
        for resource in children.get(parent, []):
            rows.append(("  " * depth + resource.type, resource.name, _short_urn_name(parent)))
            walk(resource.urn, depth + 1)

    walk(None, 0)
    width_type = max([len("TYPE")] + [len(r[0]) for r in rows])
    width_name = max([len("NAME")] + [len(r[1]) for r in rows])
    lines = [
        f"Plan for {plan.project}/{plan.stack}: {len(plan.resources)} resources",
        "",
        f"{'TYPE':<{width_type}}  {'NAME':<{width_name}}  PARENT",
    ]
    lines += [f"{t:<{width_type}}  {n:<{width_name}}  {p}" for t, n, p in rows]
    remote = plan.remote_components()
    if remote:
        lines += ["", "Remote components (their children are not in this plan):"]
        lines += [f"  {r.type} '{r.name}'" for r in remote]
    if plan.invokes:
        lines += ["", "Invokes answered by the engine:"]
        lines += [f"  {i['token']} ({i['answer']})" for i in plan.invokes]
    if plan.warnings:
        lines += ["", "Warnings:"]
        lines += [f"  {w['kind']}: {w['message']}" for w in plan.warnings]
    if plan.outputs:
        lines += ["", "Outputs:"]
        lines += [f"  {key}: {_display(value)}" for key, value in sorted(plan.outputs.items())]
    return "\n".join(lines)
