"""What several reports share: finding states, labels, ordering, locations and the
heading of the assumptions."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from gate.findings import (
    CATEGORIES,
    Assumption,
    Finding,
    GateResult,
    SourceLocation,
    StackResult,
)

STATES = ("blocking", "advisory", "suppressed", "baselined")
# Each report lists a stack's assumptions after its findings, under this heading.
ASSUMPTIONS_HEADING = "Assumptions"


def state_of(finding: Finding) -> str:
    """Blocking, advisory, suppressed or baselined: what the finding means for the gate."""
    if finding.suppressed:
        return "suppressed"
    if finding.baselined:
        return "baselined"
    return "blocking" if finding.enforcement == "mandatory" else "advisory"


def assumption_line(assumption: Assumption) -> str:
    """`kind: message`, how the text reports list an assumption."""
    return f"{assumption.kind}: {assumption.message}"


def resource_label(finding: Finding) -> str:
    """`aws:s3/bucket:Bucket 'logs'`: the type and the logical name from the URN."""
    return f"{finding.resource_type} '{finding.urn.rsplit('::', 1)[-1]}'"


def ordered(findings: list[Finding]) -> list[Finding]:
    """Blocking first, then by source, rule and resource, so reports read the same twice."""
    return sorted(findings, key=lambda f: (STATES.index(state_of(f)), f.source, f.rule, f.urn))


def location(stack: StackResult, finding: Finding, root: Path) -> SourceLocation:
    """Where the finding points, relative to the repository root."""
    return stack.location_of(finding).relative_to(root)


def counts_by_category(result: GateResult) -> dict[str, Counter[str]]:
    """Category -> how many findings are in each state, for categories that have any."""
    counts: dict[str, Counter[str]] = {}
    for finding in result.findings:
        counts.setdefault(finding.category, Counter())[state_of(finding)] += 1
    return {c: counts[c] for c in CATEGORIES if c in counts}
