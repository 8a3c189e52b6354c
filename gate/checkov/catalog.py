"""checkov's own catalogue of its AWS checks: id, name, categories, resource types.

checkov declares each check's categories on the check itself (`categories` on a
resource check class, `category` in a graph check's metadata). The gate takes a finding's
category from there, not from words in the check's name. The catalogue is dumped once
from the pinned checkov (in its own environment, which the gate never imports) into
`gate/checkov/generated/checkov-checks.json`, and a test keeps it current:

    python -m gate.checkov.catalog           # rewrite the catalogue
    python -m gate.checkov.catalog --check   # exit 1 when it is stale

Example:
    >>> category_of_check("CKV_AWS_24")   # security group open to SSH
    'exposure'
    >>> category_of_check("CKV_AWS_51")   # ECR image tags immutable: general security
    'other'
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

CATALOG = Path(__file__).resolve().parent / "generated" / "checkov-checks.json"

# checkov's categories (CheckCategories, and the graph checks' `category`) -> the gate's.
CATEGORY_MAP = {
    "ENCRYPTION": "encryption",
    "IAM": "iam",
    "LOGGING": "logging",
    "NETWORKING": "exposure",
    "API_SECURITY": "exposure",
    "APPLICATION_SECURITY": "exposure",
    "SECRETS": "iam",
    "BACKUP_AND_RECOVERY": "resilience",
    "CONVENTION": "tagging",
    "GENERAL_SECURITY": "other",
    "SUPPLY_CHAIN": "other",
    "KUBERNETES": "other",
    "AI_AND_ML": "other",
}
# Where checkov's category and the gate's split differ: tracing is its own category here,
# and checkov files X-Ray under logging. Each entry names the check it is about.
CATEGORY_OVERRIDES = {
    "CKV_AWS_50": "tracing",  # Lambda X-Ray tracing
    "CKV_AWS_73": "tracing",  # API Gateway stage X-Ray tracing
    "CKV_AWS_284": "tracing",  # Step Functions X-Ray tracing
}

# Runs inside checkov's own environment: every Terraform resource and graph check that
# applies to an `aws_*` type, with what checkov says about it.
_DUMP = r"""
import json, os, sys
os.environ["BC_SKIP_MAPPING"] = "TRUE"
import checkov
from checkov.version import version
from checkov.terraform.checks.resource.registry import resource_registry
from checkov.common.checks_infra.registry import get_graph_checks_registry
checks = {}
for checks_of_type in resource_registry.checks.values():
    for check in checks_of_type:
        resources = sorted(r for r in check.supported_resources if r.startswith("aws_"))
        if resources:
            checks[check.id] = {
                "name": check.name,
                "kind": "resource",
                "categories": sorted(c.name for c in check.categories),
                "resources": resources,
            }
graph = get_graph_checks_registry("terraform")
graph.load_checks()
for check in graph.checks:
    resources = set(check.resource_types or [])
    for sub in getattr(check, "sub_checks", None) or []:
        resources |= set(sub.resource_types or [])
    resources = sorted(r for r in resources if r.startswith("aws_"))
    if resources:
        category = check.category or "GENERAL_SECURITY"
        checks[check.id] = {
            "name": check.name,
            "kind": "graph",
            "categories": [category.upper()],
            "resources": resources,
        }
json.dump({"checkov": version, "checks": dict(sorted(checks.items()))}, sys.stdout,
          indent=1, sort_keys=True)
"""


def _checkov_python() -> Path:
    """The interpreter of checkov's environment, beside its `checkov` executable."""
    from gate.checkov.runner import default_executable

    return default_executable().parent / "python"


def dump() -> dict[str, Any]:
    """The catalogue, from the installed checkov."""
    completed = subprocess.run(
        [str(_checkov_python()), "-c", _DUMP],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "BC_SKIP_MAPPING": "TRUE"},
    )
    if completed.returncode != 0:
        raise RuntimeError(f"dumping checkov's checks failed:\n{completed.stderr[-2000:]}")
    catalogue: dict[str, Any] = json.loads(completed.stdout)
    return catalogue


@cache
def load_catalog() -> dict[str, Any]:
    catalogue: dict[str, Any] = json.loads(CATALOG.read_text(encoding="utf-8"))
    return catalogue


def category_of_check(check_id: str) -> str:
    """The gate's category for a checkov check, from checkov's own metadata."""
    if check_id in CATEGORY_OVERRIDES:
        return CATEGORY_OVERRIDES[check_id]
    entry = load_catalog()["checks"].get(check_id)
    if entry is None:
        return "other"
    mapped = [CATEGORY_MAP.get(category, "other") for category in entry["categories"]]
    specific = [category for category in mapped if category != "other"]
    return (specific or mapped or ["other"])[0]


# A graph check whose resource list is "every type" (an open CORS policy anywhere) says
# nothing about which types checkov targets.
_EVERY_TYPE = 500


def supported_resource_types() -> set[str]:
    """Every `aws_*` type some checkov check (resource or graph) targets."""
    return {
        resource
        for entry in load_catalog()["checks"].values()
        if len(entry["resources"]) < _EVERY_TYPE
        for resource in entry["resources"]
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report a stale catalogue")
    args = parser.parse_args(argv)
    text = json.dumps(dump(), indent=1, sort_keys=True) + "\n"
    current = CATALOG.read_text(encoding="utf-8") if CATALOG.is_file() else ""
    if text == current:
        return 0
    if args.check:
        print(f"{CATALOG} is stale: run `python -m gate.checkov.catalog`", file=sys.stderr)
        return 1
    CATALOG.parent.mkdir(parents=True, exist_ok=True)
    CATALOG.write_text(text, encoding="utf-8")
    print(f"wrote {CATALOG}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
