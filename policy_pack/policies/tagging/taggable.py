"""The resource types that take `tags`, as generated from the pulumi-aws SDK."""

from __future__ import annotations

import json
from pathlib import Path

_DATA_FILE = Path(__file__).with_name("taggable_types.json")


def _load() -> frozenset[str]:
    try:
        content = json.loads(_DATA_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise RuntimeError(
            f"cannot read {_DATA_FILE}: {error}; regenerate it with "
            "`python -m policy_pack.policies.tagging.generate`"
        ) from error
    return frozenset(content["types"])


TAGGABLE_TYPES = _load()
