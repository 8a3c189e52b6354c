"""The JSON report: `{"passed", "stacks": [{"stack", "resources", "passed", "findings"}]}`.

A JSON report is also what `--baseline` reads back.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from gate.findings import GateResult
from gate.reports._common import ordered


def report_document(result: GateResult, root: Path) -> dict[str, Any]:
    """The report as a JSON-ready dictionary."""
    stacks = []
    for stack in result.stacks:
        findings = []
        for finding in ordered(stack.findings):
            data = finding.to_dict()
            if finding.source_location:
                data["source_location"] = dataclasses.asdict(
                    finding.source_location.relative_to(root)
                )
            findings.append(data)
        stacks.append(
            {
                "stack": stack.stack,
                "resources": stack.resources,
                "passed": stack.passed,
                "findings": findings,
            }
        )
    return {"passed": result.passed, "stacks": stacks}


def render_json(result: GateResult, root: Path) -> str:
    """The JSON report text."""
    return json.dumps(report_document(result, root), indent=2) + "\n"
