"""Regenerate the policy table in `policy_pack/README.md` from the policies themselves.

    python -m policy_pack.docs

Only the text between the two markers is rewritten; `tests/policy` fails when it is stale.
"""

from __future__ import annotations

from pathlib import Path

from pulumi_policy import Policy, StackValidationPolicy

from . import POLICIES
from .core.metadata import CATEGORY_TAG_PREFIX

README = Path(__file__).with_name("README.md")
BEGIN = "<!-- BEGIN GENERATED POLICY TABLE: python -m policy_pack.docs -->"
END = "<!-- END GENERATED POLICY TABLE -->"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _row(policy: Policy) -> str:
    tags = policy.tags or []
    category = next(
        t[len(CATEGORY_TAG_PREFIX) :] for t in tags if t.startswith(CATEGORY_TAG_PREFIX)
    )
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
    return "\n".join(header + [_row(policy) for policy in policies])


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
