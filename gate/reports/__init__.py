"""Reports of a gate run: text for people; JSON, SARIF, JUnit and Markdown for machines.

Every renderer takes the `GateResult` and the repository root (paths in the reports
are relative to it, as GitHub code scanning wants) and returns the document as text.

Example:
    >>> from pathlib import Path
    >>> from gate.findings import GateResult, StackResult
    >>> print(render(GateResult([StackResult("dev", resources=3)]), "json", Path(".")))
    {
      "passed": true,
    ...
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from gate.findings import GateResult
from gate.reports.json_report import render_json
from gate.reports.junit import render_junit
from gate.reports.markdown import render_markdown
from gate.reports.sarif import render_sarif
from gate.reports.text import render_text

Renderer = Callable[[GateResult, Path], str]

RENDERERS: dict[str, Renderer] = {
    "text": render_text,
    "json": render_json,
    "sarif": render_sarif,
    "junit": render_junit,
    "markdown": render_markdown,
}
FORMATS = tuple(RENDERERS)


def render(result: GateResult, report_format: str, root: Path) -> str:
    """The report in one of `FORMATS`."""
    try:
        renderer = RENDERERS[report_format]
    except KeyError:
        raise ValueError(
            f"unknown report format {report_format!r}; expected one of {', '.join(FORMATS)}"
        ) from None
    return renderer(result, root)


__all__ = [
    "FORMATS",
    "render",
    "render_json",
    "render_junit",
    "render_markdown",
    "render_sarif",
    "render_text",
]
