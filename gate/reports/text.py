"""The report for people at a terminal: each stack, its findings and assumptions, and a
verdict."""

from __future__ import annotations

from pathlib import Path

from gate.findings import GateResult
from gate.reports._common import (
    ASSUMPTIONS_HEADING,
    assumption_line,
    location,
    ordered,
    state_of,
)

_LABELS = {
    "blocking": "FAIL",
    "advisory": "WARN",
    "suppressed": "SUPPRESSED",
    "baselined": "BASELINE",
}


def render_text(result: GateResult, root: Path) -> str:
    """The text report."""
    lines: list[str] = []
    for stack in result.stacks:
        states = [state_of(f) for f in stack.findings]
        lines.append(
            f"Stack {stack.stack}: {stack.resources} resources, "
            f"{len(stack.findings)} findings ({states.count('blocking')} blocking) - "
            f"{'PASSED' if stack.passed else 'FAILED'}"
        )
        for finding in ordered(stack.findings):
            where = location(stack, finding, root)
            state = state_of(finding)
            lines.append(
                f"  {_LABELS[state]:<10} {finding.source} {finding.rule} [{finding.category}] "
                f"at {where.path}:{where.line}"
            )
            lines.append(f"             {finding.message}")
            if state == "suppressed":
                lines.append(f"             suppressed: {finding.suppression_reason}")
        if stack.assumptions:
            lines.append(f"  {ASSUMPTIONS_HEADING}:")
            for assumption in stack.assumptions:
                # A message over several lines stays indented under its kind.
                lines.append("    " + assumption_line(assumption).replace("\n", "\n      "))
        lines.append("")
    blocking = sum(1 for f in result.findings if f.blocking)
    verdict = "PASSED" if result.passed else f"FAILED ({blocking} blocking findings)"
    lines.append(f"Compliance gate on {len(result.stacks)} stack(s): {verdict}")
    return "\n".join(lines) + "\n"
