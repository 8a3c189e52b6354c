"""The finding categories, read from the policy pack's own definition.

The pack must stay self-contained (it is published on its own), so it owns the list; the
gate loads that one file by path rather than importing the pack package, which would
import every policy.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

_DEFINITION = Path(__file__).resolve().parents[1] / "policy_pack" / "core" / "categories.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("_gate_pack_categories", _DEFINITION)
    if spec is None or spec.loader is None:  # pragma: no cover - the file ships with the gate
        raise ImportError(f"cannot load the finding categories from {_DEFINITION}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_categories = _load()
CATEGORIES: tuple[str, ...] = _categories.CATEGORIES
POLICY_CATEGORIES: tuple[str, ...] = _categories.POLICY_CATEGORIES
COVERAGE: str = _categories.COVERAGE
OTHER: str = _categories.OTHER
