"""Generated files stay in step with their sources."""

import json
import sys

import pytest

import policy_pack
from policy_pack import docs
from policy_pack.policies.tagging import generate
from tests.policy.conftest import PACK_DIR


def test_readme_policy_table_is_current() -> None:
    current = docs.README.read_text(encoding="utf-8")
    assert current == docs.render(current), "stale policy table: run `python -m policy_pack.docs`"


def test_readme_table_lists_every_policy() -> None:
    block = docs.README.read_text(encoding="utf-8").split(docs.BEGIN, 1)[1].split(docs.END, 1)[0]
    table = block.split("| Category | Policies |", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    assert len(rows) == len(policy_pack.POLICIES) >= 45


@pytest.mark.slow
def test_taggable_types_match_the_installed_sdk() -> None:
    # Imports every pulumi_aws module (a few seconds): the file must say what the SDK says.
    stored = json.loads(generate.DATA_FILE.read_text(encoding="utf-8"))
    assert stored == generate.collect(), (
        f"stale {generate.DATA_FILE.name}: run `{generate.COMMAND}`"
    )


def test_pack_directory_shadows_no_standard_module() -> None:
    # The CLI puts the pack directory first on sys.path; a `logging/` there breaks pulumi.
    entries = {path.stem for path in PACK_DIR.iterdir() if not path.name.startswith((".", "_"))}
    assert not entries & set(sys.stdlib_module_names)


def test_every_awsguard_rule_and_fsbp_control_is_covered_or_says_why_not() -> None:
    from policy_pack import POLICIES

    catalog = docs.load_catalog()
    assert set(catalog) == set(docs.CATALOG_SOURCES)
    silent = [
        f"{source}:{rule}"
        for source, entries in catalog.items()
        for rule, entry in entries.items()
        if not docs.covering(POLICIES, source, rule) and not entry.get("reason", "").strip()
    ]
    assert not silent, f"neither covered by a policy's mapping nor given a reason: {silent}"
    families = {entry["family"] for entries in catalog.values() for entry in entries.values()}
    # The families a fork adds (issue 15) are all in the catalog.
    assert {"ec2", "rds", "ecr", "ecs", "eks", "elb", "cloudfront", "secretsmanager"} <= families
