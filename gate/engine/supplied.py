"""Values the user supplies instead of the engine's inventions: `gate.yaml`.

A file `gate.yaml` beside the program's `Pulumi.yaml` (or the file `--mocks` names) pins
invoke answers, resource outputs and `StackReference` outputs. Top-level entries hold for
every stack; `stacks.<name>` adds entries for one stack, and those win:

```yaml
invokes:
  - token: aws:ec2/getAmi:getAmi
    args: {owners: ["099720109477"]}     # optional: matches calls with these arguments
    result: {id: ami-0abcdef1234567890, architecture: x86_64}
resources:
  - type: aws:lb/loadBalancer:LoadBalancer
    name: web                            # optional: else every resource of the type
    outputs: {dnsName: web-123.eu-west-1.elb.amazonaws.com}
stackReferences:
  acme/network/prod: {vpcId: vpc-0123456789abcdef0}
stacks:
  prod:
    stackReferences:
      acme/network/prod: {vpcId: vpc-0fedcba9876543210}
```

Example:
    >>> parse_supplied({"stackReferences": {"a/b/c": {"x": 1}}}, "dev", "gate.yaml")
    {'invokes': [], 'resources': [], 'stackReferences': {'a/b/c': {'x': 1}}}
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from gate.engine.project import ProjectError

FILE_NAME = "gate.yaml"
_SECTIONS = ("invokes", "resources", "stackReferences")


def _fail(source: str, where: str, expected: str, got: Any) -> ProjectError:
    return ProjectError(f"{source}: '{where}': expected {expected}, got {got!r}")


def _section(document: dict[str, Any], source: str, prefix: str) -> dict[str, Any]:
    unknown = sorted(set(document) - set(_SECTIONS) - ({"stacks"} if not prefix else set()))
    if unknown:
        allowed = ", ".join((*_SECTIONS, "stacks") if not prefix else _SECTIONS)
        raise ProjectError(
            f"{source}: unknown key(s) {unknown} under {prefix or 'the top'}; expected {allowed}"
        )
    invokes = document.get("invokes") or []
    if not isinstance(invokes, list):
        raise _fail(source, f"{prefix}invokes", "a list", invokes)
    for index, entry in enumerate(invokes):
        where = f"{prefix}invokes[{index}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("token"), str):
            raise _fail(source, where, "a mapping with a string 'token'", entry)
        if not isinstance(entry.get("result"), dict):
            raise _fail(
                source, f"{where}.result", "a mapping of result properties", entry.get("result")
            )
        if not isinstance(entry.get("args", {}), dict):
            raise _fail(source, f"{where}.args", "a mapping of arguments", entry.get("args"))
    resources = document.get("resources") or []
    if not isinstance(resources, list):
        raise _fail(source, f"{prefix}resources", "a list", resources)
    for index, entry in enumerate(resources):
        where = f"{prefix}resources[{index}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("type"), str):
            raise _fail(source, where, "a mapping with a string 'type'", entry)
        if not isinstance(entry.get("outputs"), dict):
            raise _fail(
                source, f"{where}.outputs", "a mapping of output properties", entry.get("outputs")
            )
    references = document.get("stackReferences") or {}
    if not isinstance(references, dict) or not all(
        isinstance(v, dict) for v in references.values()
    ):
        raise _fail(
            source,
            f"{prefix}stackReferences",
            "a mapping of stack name to a mapping of outputs",
            references,
        )
    return {"invokes": invokes, "resources": resources, "stackReferences": references}


def parse_supplied(document: Any, stack: str, source: str) -> dict[str, Any]:
    """The supplied values for `stack`, validated, with the stack's own entries first."""
    if document is None:
        document = {}
    if not isinstance(document, dict):
        raise _fail(source, "the top", "a mapping", document)
    common = _section(document, source, "")
    stacks = document.get("stacks") or {}
    if not isinstance(stacks, dict):
        raise _fail(source, "stacks", "a mapping of stack name to entries", stacks)
    own_document = stacks.get(stack) or {}
    if not isinstance(own_document, dict):
        raise _fail(source, f"stacks.{stack}", "a mapping", own_document)
    own = _section(own_document, source, f"stacks.{stack}.")
    references = dict(common["stackReferences"])
    for name, outputs in own["stackReferences"].items():
        references[name] = {**references.get(name, {}), **outputs}
    return {
        # The first matching invoke answers, so the stack's own come first; resource
        # outputs are applied in order, so the stack's own come last.
        "invokes": own["invokes"] + common["invokes"],
        "resources": common["resources"] + own["resources"],
        "stackReferences": references,
    }


def load_supplied(program_dir: Path, stack: str, mocks_file: Path | None) -> dict[str, Any]:
    """Read `--mocks FILE`, else `gate.yaml` beside the program, else nothing."""
    path = mocks_file if mocks_file is not None else program_dir / FILE_NAME
    if not path.is_file():
        if mocks_file is not None:
            raise ProjectError(f"--mocks {mocks_file} does not exist")
        return parse_supplied({}, stack, str(path))
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ProjectError(f"{path} is not valid YAML: {exc}") from exc
    return parse_supplied(document, stack, str(path))
