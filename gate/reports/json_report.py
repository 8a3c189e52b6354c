"""The JSON report: `{"passed", "stacks": [{"stack", "resources", "passed", "findings",
"assumptions"}]}`, each assumption `{"kind", "message"}`.

A JSON report is also what `--baseline` reads back, and what `gate report` renders in
the other formats (each stack also carries its passed checks and its stack file).
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from gate.findings import Assumption, Finding, GateResult, PassedCheck, Shard, StackResult
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
                "assumptions": [assumption.to_dict() for assumption in stack.assumptions],
                "passes": [dataclasses.asdict(check) for check in stack.passes],
                "stack_file": stack.stack_file,
            }
        )
    document: dict[str, Any] = {"passed": result.passed, "stacks": stacks}
    if result.shard is not None:
        document["shard"] = result.shard.to_dict()
    return document


def result_from_report(document: Any) -> GateResult:
    """The GateResult a JSON report was rendered from (paths stay as written)."""
    if not isinstance(document, dict) or not isinstance(document.get("stacks"), list):
        raise ValueError("a gate JSON report has a 'stacks' list")
    stacks = []
    for stack in document["stacks"]:
        stacks.append(
            StackResult(
                stack=stack["stack"],
                resources=int(stack["resources"]),
                findings=[Finding.from_dict(f) for f in stack.get("findings", [])],
                passes=[PassedCheck(**p) for p in stack.get("passes", [])],
                stack_file=stack.get("stack_file"),
                # Reports written before assumptions were recorded have none.
                assumptions=[Assumption.from_dict(a) for a in stack.get("assumptions", [])],
            )
        )
    shard = Shard.from_dict(document["shard"]) if document.get("shard") else None
    return GateResult(stacks, shard)


def render_json(result: GateResult, root: Path) -> str:
    """The JSON report text."""
    return json.dumps(report_document(result, root), indent=2) + "\n"
