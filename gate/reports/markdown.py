"""The pull-request summary in Markdown: counts by category, the findings to fix, the
suppressions with their reasons, and what the offline engine assumed on each stack."""

from __future__ import annotations

from pathlib import Path

from gate.findings import GateResult
from gate.reports._common import (
    ASSUMPTIONS_HEADING,
    STATES,
    counts_by_category,
    location,
    ordered,
    resource_label,
    state_of,
)

# A job summary is capped at 1 MiB; long lists are cut with a count of the rest.
MAX_ROWS = 50


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(result: GateResult, root: Path) -> str:
    """The Markdown summary text."""
    verdict = "passed" if result.passed else "failed"
    lines = [f"## Compliance gate: {verdict}", ""]
    lines += ["| Stack | Resources | Blocking | Advisory | Suppressed | Result |"]
    lines += ["|---|---:|---:|---:|---:|---|"]
    for stack in result.stacks:
        states = [state_of(f) for f in stack.findings]
        lines.append(
            f"| {_cell(stack.stack)} | {stack.resources} | {states.count('blocking')} "
            f"| {states.count('advisory')} | {states.count('suppressed')} "
            f"| {'passed' if stack.passed else 'failed'} |"
        )

    counts = counts_by_category(result)
    if counts:
        lines += ["", "### Findings by category", ""]
        lines += ["| Category | " + " | ".join(s.capitalize() for s in STATES) + " |"]
        lines += ["|---|" + "---:|" * len(STATES)]
        for category, by_state in counts.items():
            lines.append(f"| {category} | " + " | ".join(str(by_state[s]) for s in STATES) + " |")

    open_rows = [
        (stack, f)
        for stack in result.stacks
        for f in ordered(stack.findings)
        if state_of(f) in ("blocking", "advisory")
    ]
    if open_rows:
        lines += ["", "### Unsuppressed findings", ""]
        lines += ["| Stack | Enforcement | Rule | Resource | Location | Message |"]
        lines += ["|---|---|---|---|---|---|"]
        for stack, finding in open_rows[:MAX_ROWS]:
            where = location(stack, finding, root)
            lines.append(
                f"| {_cell(stack.stack)} | {finding.enforcement} | `{finding.rule}` "
                f"| {_cell(resource_label(finding))} | `{where.path}:{where.line}` "
                f"| {_cell(finding.message)} |"
            )
        if len(open_rows) > MAX_ROWS:
            lines += ["", f"...and {len(open_rows) - MAX_ROWS} more."]

    suppressed = [
        (stack, f) for stack in result.stacks for f in ordered(stack.findings) if f.suppressed
    ]
    if suppressed:
        lines += ["", "### Suppressions", ""]
        lines += ["| Stack | Rule | Resource | Reason |", "|---|---|---|---|"]
        for stack, finding in suppressed[:MAX_ROWS]:
            lines.append(
                f"| {_cell(stack.stack)} | `{finding.rule}` | {_cell(resource_label(finding))} "
                f"| {_cell(finding.suppression_reason or '')} |"
            )
        if len(suppressed) > MAX_ROWS:
            lines += ["", f"...and {len(suppressed) - MAX_ROWS} more."]

    assumed = [(stack, a) for stack in result.stacks for a in stack.assumptions]
    if assumed:
        lines += ["", f"### {ASSUMPTIONS_HEADING}", ""]
        lines += ["| Stack | Kind | Assumption |", "|---|---|---|"]
        for stack, assumption in assumed[:MAX_ROWS]:
            lines.append(
                f"| {_cell(stack.stack)} | `{_cell(assumption.kind)}` "
                f"| {_cell(assumption.message)} |"
            )
        if len(assumed) > MAX_ROWS:
            lines += ["", f"...and {len(assumed) - MAX_ROWS} more."]
    return "\n".join(lines) + "\n"
