"""Generate the mocks' shape tables from the installed provider SDKs.

    python -m gate.engine.generate           # rewrite gate/engine/generated/*.json
    python -m gate.engine.generate --check   # exit 1 when a table is stale

Each table holds, for one provider package at one version, the output shape of every
resource and every invoke result (see `gate.engine.sdk_types`). The engine uses a table
only when the program's installed package has exactly that version, and describes the
SDK live otherwise, so a stale table costs speed, never correctness; the staleness test
keeps them current for the pinned SDKs all the same.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from gate.engine.sdk_types import GENERATED_DIR, PackageSchema, describe_package

# pulumi-aws, and the common providers a program mixes in (requirements-dev.txt pins them).
PACKAGES = (
    "pulumi_aws",
    "pulumi_random",
    "pulumi_tls",
    "pulumi_command",
    "pulumi_docker",
    "pulumi_archive",
)


def render(schema: PackageSchema) -> str:
    """JSON with one entry per line, so a change to one type is a one-line diff."""
    data = schema.to_dict()
    lines = ["{"]
    lines.append(f'"package": {json.dumps(data["package"])},')
    lines.append(f'"version": {json.dumps(data["version"])},')
    sections = ("resources", "functions", "types")
    for index, section in enumerate(sections):
        entries = data[section]
        lines.append(f'"{section}": {{')
        items = list(entries.items())
        for position, (key, value) in enumerate(items):
            comma = "," if position < len(items) - 1 else ""
            lines.append(f"{json.dumps(key)}: {json.dumps(value, separators=(',', ':'))}{comma}")
        lines.append("}" + ("," if index < len(sections) - 1 else ""))
    lines.append("}")
    return "\n".join(lines) + "\n"


def table_path(package: str, directory: Path = GENERATED_DIR) -> Path:
    return directory / f"{package}.json"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale tables")
    args = parser.parse_args(argv)
    stale = []
    GENERATED_DIR.mkdir(parents=True, exist_ok=True)
    for package in PACKAGES:
        text = render(describe_package(package))
        path = table_path(package)
        current = path.read_text(encoding="utf-8") if path.is_file() else ""
        if text == current:
            continue
        if args.check:
            stale.append(path.name)
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path}")
    if stale:
        print(f"stale: {', '.join(stale)}; run `python -m gate.engine.generate`", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
