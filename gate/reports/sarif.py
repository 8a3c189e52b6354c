"""SARIF 2.1.0 for GitHub code scanning: one rule per policy and check, one result per
finding, located at the program line that created the resource."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from gate.findings import Finding, GateResult, StackResult
from gate.reports._common import location, ordered

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
TOOL_NAME = "pulumi-offline-gate"
# GitHub ranks code scanning alerts by this rule property (0.1 to 10).
_SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0"}


def _level(finding: Finding) -> str:
    return "error" if finding.enforcement == "mandatory" else "warning"


def _rule(finding: Finding) -> dict[str, Any]:
    help_text = f"{finding.help}\n\nRemediation: {finding.remediation}".strip()
    rule: dict[str, Any] = {
        "id": finding.rule,
        "name": finding.rule,
        "shortDescription": {"text": finding.title or finding.rule},
        "fullDescription": {"text": finding.description or finding.title or finding.rule},
        "help": {"text": help_text, "markdown": _help_markdown(finding)},
        "defaultConfiguration": {"level": _level(finding)},
        "properties": {
            "tags": sorted({"security", finding.source, finding.category, *finding.tags}),
            "precision": "very-high",
            "security-severity": _SECURITY_SEVERITY.get(finding.severity, "5.5"),
        },
    }
    if finding.help.startswith("https://"):
        rule["helpUri"] = finding.help.split(" ", 1)[0]
    return rule


def _help_markdown(finding: Finding) -> str:
    lines = [f"**{finding.title or finding.rule}**", ""]
    if finding.description:
        lines += [finding.description, ""]
    if finding.help:
        lines += [finding.help, ""]
    if finding.remediation:
        lines += [f"**Remediation:** {finding.remediation}"]
    return "\n".join(lines).strip()


def _fingerprint(stack: str, finding: Finding) -> str:
    # Stable across runs and line moves, so code scanning tracks one alert per finding.
    return hashlib.sha256("|".join((stack, *finding.key)).encode("utf-8")).hexdigest()


def _result(stack: StackResult, finding: Finding, rule_index: int, root: Path) -> dict[str, Any]:
    where = location(stack, finding, root)
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": _level(finding),
        "message": {"text": f"[{stack.stack}] {finding.message}"},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": where.path, "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": max(where.line, 1)},
                },
                "logicalLocations": [{"fullyQualifiedName": finding.urn, "kind": "resource"}],
            }
        ],
        "partialFingerprints": {"gateFinding/v1": _fingerprint(stack.stack, finding)},
        "properties": {
            "stack": stack.stack,
            "urn": finding.urn,
            "resourceType": finding.resource_type,
            "category": finding.category,
            "severity": finding.severity,
            "enforcement": finding.enforcement,
            "source": finding.source,
        },
    }
    if finding.suppressed:
        result["suppressions"] = [
            {
                "kind": "external",
                "status": "accepted",
                "justification": finding.suppression_reason or "",
            }
        ]
    if finding.baselined:
        result["baselineState"] = "unchanged"
    return result


def sarif_document(result: GateResult, root: Path) -> dict[str, Any]:
    """The SARIF log as a JSON-ready dictionary: one run, every stack's findings."""
    rules: list[dict[str, Any]] = []
    rule_index: dict[str, int] = {}
    results = []
    for stack in result.stacks:
        for finding in ordered(stack.findings):
            if finding.rule not in rule_index:
                rule_index[finding.rule] = len(rules)
                rules.append(_rule(finding))
            results.append(_result(stack, finding, rule_index[finding.rule], root))
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": TOOL_NAME, "rules": rules}},
                "automationDetails": {"id": "compliance-gate/"},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def render_sarif(result: GateResult, root: Path) -> str:
    """The SARIF report text."""
    return json.dumps(sarif_document(result, root), indent=2) + "\n"
