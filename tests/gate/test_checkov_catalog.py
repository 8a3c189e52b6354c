"""checkov findings take their category from checkov's own metadata, dumped from the
pinned checkov into a committed catalogue that a test keeps current."""

import json

import pytest

from gate.categories import CATEGORIES
from gate.checkov.catalog import CATALOG, CATEGORY_MAP, category_of_check, dump, load_catalog


@pytest.mark.parametrize(
    ("check_id", "category"),
    [
        # Security-group checks the old keyword table called "other".
        ("CKV_AWS_24", "exposure"),
        ("CKV_AWS_25", "exposure"),
        ("CKV_AWS_260", "exposure"),
        ("CKV_AWS_382", "exposure"),
        # Checks whose names say "tag" but are not about tagging.
        ("CKV_AWS_51", "other"),
        ("CKV2_AWS_60", "other"),
        ("CKV_AWS_145", "encryption"),
        ("CKV_AWS_21", "resilience"),
        ("CKV2_AWS_64", "iam"),
        # Tracing is a category of its own here; checkov files X-Ray under logging.
        ("CKV_AWS_50", "tracing"),
    ],
)
def test_a_check_s_category_comes_from_checkov_s_metadata(check_id, category):
    assert category_of_check(check_id) == category


def test_every_checkov_category_maps_onto_a_gate_category():
    used = {c for entry in load_catalog()["checks"].values() for c in entry["categories"]}
    assert used <= set(CATEGORY_MAP)
    assert set(CATEGORY_MAP.values()) <= set(CATEGORIES)


def test_a_check_the_catalogue_does_not_know_is_other():
    assert category_of_check("CKV_AWS_99999") == "other"


@pytest.mark.slow
def test_the_catalogue_is_current_for_the_pinned_checkov():
    # Regenerate with: python -m gate.checkov.catalog
    assert json.loads(CATALOG.read_text(encoding="utf-8")) == dump()
