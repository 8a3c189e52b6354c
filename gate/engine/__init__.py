"""Stage 1, the engine: run a Pulumi Python program offline and record its plan.

Modules that run inside the program's own interpreter (`runner`, `mocks`, `sdk_types`,
`values`) import only the standard library and the Pulumi SDK, so nothing here may import
a gate dependency at package import time. The parent-side API is re-exported lazily.
"""

from __future__ import annotations

from typing import Any

_LAZY = {"build_plan": "gate.engine.planner", "EngineError": "gate.engine.planner"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(name)
