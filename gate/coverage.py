"""What the gate could not see offline, and what it had to make up.

A multi-language (remote) component is built by its provider plugin, which the offline
engine does not have: its children never reach the plan, so no policy and no checkov
check ever looks at them. Each such component is a finding (`gate-unexpanded-component`,
category `coverage`, mandatory), which a team may accept through the suppressions file
with a reason, like any other finding. Everything the engine answered on its own
(invokes, missing StackReference outputs, invented outputs that reached inputs, the
environment it ran the program in) becomes an assumption in every report.

Example:
    >>> from gate.engine.plan import Plan
    >>> coverage_findings(Plan("p", "dev", []), Suppressions(), today=None)
    []
"""

from __future__ import annotations

import datetime
import json

from gate.categories import COVERAGE
from gate.checkov.suppressions import Suppressions
from gate.engine.plan import Plan
from gate.findings import Assumption, Finding, SourceLocation

UNEXPANDED_COMPONENT = "gate-unexpanded-component"
_MAX_ARGUMENT_TEXT = 160


def coverage_findings(
    plan: Plan, suppressions: Suppressions, today: datetime.date | None
) -> list[Finding]:
    """One mandatory finding per remote component whose children the gate never saw."""
    today = today or datetime.date.today()
    findings = []
    for component in plan.remote_components():
        message = (
            f"{component.type} '{component.name}' is a multi-language component: its "
            "children are built by its provider plugin, which the offline gate cannot "
            "run, so none of them was checked by the policy pack or checkov"
        )
        reason, note = suppressions.verdict(UNEXPANDED_COMPONENT, component.urn, plan.stack, today)
        findings.append(
            Finding(
                source="gate",
                rule=UNEXPANDED_COMPONENT,
                category=COVERAGE,
                severity="high",
                enforcement="mandatory",
                resource_type=component.type,
                urn=component.urn,
                message=message + note,
                suppressed=reason is not None,
                suppression_reason=reason,
                source_location=SourceLocation.of(component.source_position),
                title="Component not expanded offline",
                description="A multi-language component whose children the gate cannot see.",
                help="Run `pulumi preview --policy-pack policy_pack` with the Pulumi CLI and "
                "credentials to check its children, or build the resources directly.",
                remediation=(
                    "Check the component's children with the real CLI, then accept this "
                    f"finding in checkov-suppressions.yaml (check: {UNEXPANDED_COMPONENT}) "
                    "with the reason; or replace the component with the resources it creates."
                ),
                tags=("gate", COVERAGE),
            )
        )
    return findings


def _arguments(args: dict[str, object]) -> str:
    text = json.dumps(args, sort_keys=True, separators=(",", ":"))
    if len(text) > _MAX_ARGUMENT_TEXT:
        text = text[: _MAX_ARGUMENT_TEXT - 1] + "…"
    return text


def plan_assumptions(plan: Plan) -> list[Assumption]:
    """What the engine made up for this plan, for a reviewer to see."""
    assumptions = []
    if plan.environment:
        assumptions.append(
            Assumption("environment", f"the program ran with {plan.environment['origin']}")
        )
    how = {
        "supplied": "answered from gate.yaml",
        "special": "answered by the gate's rule for this look-up",
        "derived": "answered with values made from its result type alone",
    }
    for invoke in plan.invokes:
        assumptions.append(
            Assumption(
                "invoke",
                f"{invoke['token']}({_arguments(invoke.get('args') or {})}) "
                f"{how.get(invoke.get('answer', ''), invoke.get('answer', ''))}",
            )
        )
    for account in plan.caller_accounts:
        assumptions.append(
            Assumption(
                "caller-account",
                f"account {account} is the caller identity the engine answered; policies "
                "treat it as the stack's own account (trusted_account_ids)",
            )
        )
    for warning in plan.warnings:
        assumptions.append(Assumption(warning.get("kind", "warning"), warning["message"]))
    mocked = [(r, mark) for r in plan.resources for mark in r.mocked_inputs]
    if mocked:
        resources = len({r.urn for r, _ in mocked})
        assumptions.append(
            Assumption(
                "mocked-inputs",
                f"{len(mocked)} inputs of {resources} resources carry values the engine "
                "invented for other resources' outputs (ids, ARNs, names); `gate plan "
                "--format json` lists each under mocked_inputs",
            )
        )
    return assumptions
