"""JUnit XML: a test suite per stack, a test case per rule and resource.

Unsuppressed findings are failures (their `type` says mandatory or advisory), suppressed
and baselined findings are skipped with the reason, and passed checks pass. What the
offline engine assumed on the stack is the suite's `<system-out>`.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from gate.findings import GateResult, StackResult
from gate.reports._common import (
    ASSUMPTIONS_HEADING,
    assumption_line,
    location,
    ordered,
    resource_label,
    state_of,
)


def _suite(stack: StackResult, root: Path) -> ET.Element:
    suite = ET.Element("testsuite", name=f"stack {stack.stack}")
    failures = skipped = 0
    for finding in ordered(stack.findings):
        where = location(stack, finding, root)
        case = ET.SubElement(
            suite,
            "testcase",
            classname=f"{stack.stack}.{finding.source}.{finding.rule}",
            name=f"{finding.rule} {resource_label(finding)}",
            file=where.path,
            line=str(where.line),
        )
        state = state_of(finding)
        if state == "suppressed":
            skipped += 1
            ET.SubElement(case, "skipped", message=f"suppressed: {finding.suppression_reason}")
        elif state == "baselined":
            skipped += 1
            ET.SubElement(case, "skipped", message="already in the baseline")
        else:
            failures += 1
            failure = ET.SubElement(
                case, "failure", message=finding.message, type=finding.enforcement
            )
            failure.text = "\n".join(
                line
                for line in (
                    finding.urn,
                    f"{where.path}:{where.line}",
                    finding.remediation and f"Remediation: {finding.remediation}",
                )
                if line
            )
    for check in sorted(stack.passes, key=lambda p: (p.source, p.rule, p.urn)):
        ET.SubElement(
            suite,
            "testcase",
            classname=f"{stack.stack}.{check.source}.{check.rule}",
            name=f"{check.rule} {check.resource_type} '{check.urn.rsplit('::', 1)[-1]}'",
        )
    if stack.assumptions:
        # After the test cases, where the JUnit schema puts a suite's output.
        output = ET.SubElement(suite, "system-out")
        output.text = "\n".join(
            [f"{ASSUMPTIONS_HEADING}:", *(assumption_line(a) for a in stack.assumptions)]
        )
    suite.set("tests", str(len(stack.findings) + len(stack.passes)))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suite.set("skipped", str(skipped))
    return suite


def render_junit(result: GateResult, root: Path) -> str:
    """The JUnit XML report text."""
    suites = ET.Element("testsuites", name="compliance gate")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for stack in result.stacks:
        suite = _suite(stack, root)
        suites.append(suite)
        for key in totals:
            totals[key] += int(suite.get(key, "0"))
    for key, value in totals.items():
        suites.set(key, str(value))
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"
