"""Regenerate `taggable_types.json` from the installed pulumi-aws SDK.

    python -m policy_pack.policies.tagging.generate

A type is taggable when its resource class takes a `tags` input. The pack itself never
imports pulumi_aws (it is not a dependency of the pack, and importing all of it takes
seconds); it reads the generated file. `tests/policy` fails when the file is stale.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import inspect
import json
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).with_name("taggable_types.json")
COMMAND = "python -m policy_pack.policies.tagging.generate"


def _registered_classes() -> dict[str, tuple[str, str]]:
    """Type token → (module, class name), from the registry pulumi_aws fills on import
    (the same one the SDK uses to rehydrate resources by type)."""
    import pulumi.runtime.rpc as rpc
    import pulumi_aws  # noqa: F401  (registers its resource modules)

    classes: dict[str, tuple[str, str]] = {}
    for key, modules in rpc._RESOURCE_MODULES.items():
        if not key.startswith("aws:"):
            continue
        for module in modules:
            info: dict[str, Any] = module.mod_info  # type: ignore[attr-defined]
            for token, class_name in info["classes"].items():
                classes[token] = (info["fqn"], class_name)
    return classes


def collect() -> dict[str, Any]:
    """The file's content for the installed SDK."""
    taggable = []
    for token, (module_name, class_name) in sorted(_registered_classes().items()):
        resource_class = getattr(importlib.import_module(module_name), class_name)
        if "tags" in inspect.signature(resource_class._internal_init).parameters:
            taggable.append(token)
    return {
        "generated_by": COMMAND,
        "pulumi_aws": importlib.metadata.version("pulumi-aws"),
        "types": taggable,
    }


def render(content: dict[str, Any]) -> str:
    return json.dumps(content, indent=1) + "\n"


def main() -> None:
    content = collect()
    DATA_FILE.write_text(render(content), encoding="utf-8")
    print(f"wrote {len(content['types'])} taggable types to {DATA_FILE}")


if __name__ == "__main__":
    main()
