"""SARIF 2.1.0 for GitHub code scanning: one rule per policy and check, one result per
finding, located at the program line that created the resource.

Findings of every source (policy, checkov, and the gate's own coverage findings) are
rules of the one driver; `properties.source` and a rule tag say which. What the offline
engine assumed is a tool execution notification of the run's invocation (level `note`,
`descriptor.id` the kind, `properties.stack` the stack), each kind described once in
`tool.driver.notifications`.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from gate.findings import Assumption, Finding, GateResult, StackResult
from gate.reports._common import location, ordered

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
TOOL_NAME = "pulumi-offline-gate"
# GitHub ranks code scanning alerts by this rule property (0.1 to 10).
_SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0"}
# What each kind of assumption the engine records means; other kinds show their name.
_ASSUMPTION_KINDS = {
    "environment": "The interpreter the program ran with.",
    "invoke": "An invoke the offline engine answered, and how (supplied, special, derived).",
    "stack-reference-output": "A StackReference output nobody supplied.",
    "mocked-inputs": "Resource inputs carrying values the offline engine invented.",
}


def _level(finding: Finding) -> str:
    return "error" if finding.enforcement == "mandatory" else "warning"


def _rule(finding: Finding) -> dict[str, Any]:
    # A rule without help or remediation (the gate's own may have neither) shows its title.
    help_text = "\n\n".join(
        part
        for part in (finding.help, finding.remediation and f"Remediation: {finding.remediation}")
        if part
    ) or (finding.title or finding.rule)
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


def _notification(stack: StackResult, assumption: Assumption, index: int) -> dict[str, Any]:
    return {
        "level": "note",
        "descriptor": {"id": assumption.kind, "index": index},
        "message": {"text": f"[{stack.stack}] {assumption.message}"},
        "properties": {"stack": stack.stack, "kind": assumption.kind},
    }


def _notification_descriptor(kind: str) -> dict[str, Any]:
    return {
        "id": kind,
        "name": kind,
        "shortDescription": {"text": _ASSUMPTION_KINDS.get(kind, f"An assumption of kind {kind}.")},
        "defaultConfiguration": {"level": "note"},
    }


def sarif_document(result: GateResult, root: Path) -> dict[str, Any]:
    """The SARIF log as a JSON-ready dictionary: one run, every stack's findings and
    assumptions."""
    rules: list[dict[str, Any]] = []
    rule_index: dict[str, int] = {}
    results = []
    descriptors: list[dict[str, Any]] = []
    descriptor_index: dict[str, int] = {}
    notifications = []
    for stack in result.stacks:
        for finding in ordered(stack.findings):
            if finding.rule not in rule_index:
                rule_index[finding.rule] = len(rules)
                rules.append(_rule(finding))
            results.append(_result(stack, finding, rule_index[finding.rule], root))
        for assumption in stack.assumptions:
            if assumption.kind not in descriptor_index:
                descriptor_index[assumption.kind] = len(descriptors)
                descriptors.append(_notification_descriptor(assumption.kind))
            notifications.append(
                _notification(stack, assumption, descriptor_index[assumption.kind])
            )
    driver: dict[str, Any] = {"name": TOOL_NAME, "rules": rules}
    if descriptors:
        driver["notifications"] = descriptors
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": driver},
                # A report is only written when every stack was evaluated to the end.
                "invocations": [
                    {"executionSuccessful": True, "toolExecutionNotifications": notifications}
                ],
                "automationDetails": {"id": "compliance-gate/"},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def render_sarif(result: GateResult, root: Path) -> str:
    """The SARIF report text."""
    return json.dumps(sarif_document(result, root), indent=2) + "\n"
