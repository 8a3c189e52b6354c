"""Which Markdown files in `runbooks/` are runbooks, and who a runbook may escalate to.

An alarm's runbook is `runbooks/<slug>.md` (the alarm's `runbook` tag). A runbook that
answers no single alarm is listed in `GENERAL_RUNBOOKS`; the tests fail on any other.
"""

from __future__ import annotations

from pathlib import Path

RUNBOOKS_DIR = Path(__file__).resolve().parent
TEMPLATE = "TEMPLATE.md"
# Markdown files here that are not runbooks.
NOT_RUNBOOKS = frozenset({"README.md", TEMPLATE})

# Procedures that several alarms' runbooks share, and events that page without an alarm
# of their own (a rolled-back deploy is a CodeDeploy notification to the alerts topic).
GENERAL_RUNBOOKS = frozenset(
    {
        "deployment-rolled-back",
        "general-redrive-after-fix",
        "general-reprocess-failed-results",
    }
)

# Escalation names roles, never people: people change, the rota resolves the role.
ESCALATION_ROLES = (
    "on-call data platform engineer",
    "platform team lead",
    "security on-call",
    "incident commander",
    "cloud account administrator",
    "client application owner",
    "AWS Support",
)


def runbook_files(directory: Path = RUNBOOKS_DIR) -> list[Path]:
    """Every runbook in `directory`: its Markdown files minus README and TEMPLATE."""
    return sorted(path for path in directory.glob("*.md") if path.name not in NOT_RUNBOOKS)
