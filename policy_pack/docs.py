"""Regenerate the policy table in `policy_pack/README.md` from the policies themselves.

    python -m policy_pack.docs

Only the text between the two markers is rewritten; `tests/policy` fails when it is stale.
Besides the policies, it writes the count per category and, from `coverage_catalog.json`
(every Pulumi AWSGuard rule, and every FSBP control of the families the pack covers),
which policies cover each rule, read from the policies' mapping tags, or why none does.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from pulumi_policy import Policy, StackValidationPolicy

from . import POLICIES
from .core.metadata import CATEGORY_TAG_PREFIX

README = Path(__file__).with_name("README.md")
CATALOG = Path(__file__).with_name("coverage_catalog.json")
# Catalog section -> mapping tag prefix and heading.
CATALOG_SOURCES = {"awsguard": "Pulumi AWSGuard rules", "fsbp": "AWS FSBP controls"}
BEGIN = "<!-- BEGIN GENERATED POLICY TABLE: python -m policy_pack.docs -->"
END = "<!-- END GENERATED POLICY TABLE -->"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _category(policy: Policy) -> str:
    return next(
        t[len(CATEGORY_TAG_PREFIX) :]
        for t in policy.tags or []
        if t.startswith(CATEGORY_TAG_PREFIX)
    )


def load_catalog() -> dict[str, dict[str, dict[str, Any]]]:
    loaded: dict[str, dict[str, dict[str, Any]]] = json.loads(CATALOG.read_text(encoding="utf-8"))
    return loaded


def covering(policies: list[Policy], source: str, rule: str) -> list[str]:
    """The policies whose mapping tags name `source:rule` (case-insensitive)."""
    tag = f"{source}:{rule}".lower()
    return [p.name for p in policies if tag in {t.lower() for t in p.tags or []}]


def _row(policy: Policy) -> str:
    tags = policy.tags or []
    category = _category(policy)
    mappings = ", ".join(f"`{t}`" for t in tags if not t.startswith(CATEGORY_TAG_PREFIX)) or "-"
    options = sorted(
        (policy.config_schema.properties if policy.config_schema else {}).keys() - {"exemptions"}
    )
    cells = [
        f"`{policy.name}`",
        category,
        policy.severity.value if policy.severity else "-",
        policy.enforcement_level.value if policy.enforcement_level else "advisory",
        "stack" if isinstance(policy, StackValidationPolicy) else "resource",
        mappings,
        ", ".join(f"`{o}`" for o in options) or "-",
        _cell(policy.description),
    ]
    return "| " + " | ".join(cells) + " |"


def table(policies: list[Policy] = POLICIES) -> str:
    header = [
        f"{len(policies)} policies.",
        "",
        "| ID | Category | Severity | Enforcement | Type | Mappings | Config | Description |",
        "|---|---|---|---|---|---|---|---|",
    ]
    counts = Counter(_category(policy) for policy in policies)
    per_category = [
        "",
        "| Category | Policies | Mandatory |",
        "|---|---|---|",
        *(
            f"| {category} | {count} | "
            f"{sum(1 for p in policies if _category(p) == category and _mandatory(p))} |"
            for category, count in sorted(counts.items())
        ),
    ]
    return "\n".join(
        header + [_row(policy) for policy in policies] + per_category + _coverage(policies)
    )


def _mandatory(policy: Policy) -> bool:
    level = policy.enforcement_level
    return level is not None and level.value == "mandatory"


def _coverage(policies: list[Policy]) -> list[str]:
    lines: list[str] = []
    for source, heading in CATALOG_SOURCES.items():
        entries = load_catalog()[source]
        covered = sum(1 for rule in entries if covering(policies, source, rule))
        lines += [
            "",
            f"### {heading}: {covered} of {len(entries)} covered",
            "",
            "| Rule | Family | Checks | Covered by |",
            "|---|---|---|---|",
        ]
        for rule, entry in sorted(entries.items(), key=lambda item: (item[1]["family"], item[0])):
            names = covering(policies, source, rule)
            cover = ", ".join(f"`{name}`" for name in names) or f"none: {entry['reason']}"
            lines.append(
                f"| `{rule}` | {entry['family']} | {_cell(entry['title'])} | {_cell(cover)} |"
            )
    return lines


def render(current: str) -> str:
    """`current` with the generated block replaced (or appended if it has no markers)."""
    block = f"{BEGIN}\n{table()}\n{END}"
    if BEGIN in current and END in current:
        head, rest = current.split(BEGIN, 1)
        return head + block + rest.split(END, 1)[1]
    return current.rstrip("\n") + "\n\n" + block + "\n"


def main() -> None:
    README.write_text(render(README.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"updated the policy table in {README}")


if __name__ == "__main__":
    main()
