"""The pack, loaded once, and a way to run it on fixture resources as the runtime would."""

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from gate.crossguard.evaluate import (
    LoadedPack,
    PolicyResult,
    evaluate_plan,
    load_policy_pack,
    parse_policy_config,
)
from tests.policy.support import Spec, plan_of

ROOT = Path(__file__).resolve().parent.parent.parent
PACK_DIR = ROOT / "policy_pack"

Evaluate = Callable[..., list[PolicyResult]]


@pytest.fixture(scope="session")
def pack() -> LoadedPack:
    return load_policy_pack(PACK_DIR)


@pytest.fixture
def evaluate(pack: LoadedPack) -> Evaluate:
    """`evaluate(specs, config={...}, inputs={name: inputs})` → every result of the pack."""

    def run(
        specs: Sequence[Spec],
        config: Mapping[str, Any] | None = None,
        inputs: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> list[PolicyResult]:
        return evaluate_plan(plan_of(specs, inputs), pack, parse_policy_config(config or {}))

    return run
