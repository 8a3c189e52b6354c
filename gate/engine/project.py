"""Reading a Pulumi project directory: `Pulumi.yaml` and `Pulumi.<stack>.yaml`.

Config values are handed to the program exactly as the Pulumi CLI hands them over:
every key is namespaced (`project:key` or `aws:region`), scalars are strings and
structured values (lists and objects) are JSON text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml


class ProjectError(Exception):
    """The program directory, its project file or a stack file is unusable."""


# Secrets in stack files are ciphertext that only the real backend can decrypt. The gate
# hands the program this placeholder instead and marks the key secret, so the program
# sees a secret of the right shape and the plan records it as one.
SECRET_PLACEHOLDER = "gate-offline-secret-placeholder"
# Where a key's name says what the secret is, the placeholder takes that shape, so the
# program's own handling (a PEM it parses, a password rule) works as with the real value.
_SHAPED_PLACEHOLDERS = (
    (
        "privatekey",
        "-----BEGIN RSA PRIVATE KEY-----\nR0FURS1PRkZMSU5FLVBMQUNFSE9MREVS\n"
        "-----END RSA PRIVATE KEY-----\n",
    ),
    ("password", "Gate-Offline-Placeholder-1"),
)


def secret_placeholder(key: str) -> str:
    """The stand-in for the secret config value `key`: see SECRET_PLACEHOLDER."""
    name = key.rsplit(":", 1)[-1].replace("_", "").replace("-", "").lower()
    return next((value for hint, value in _SHAPED_PLACEHOLDERS if hint in name), SECRET_PLACEHOLDER)


@dataclass(frozen=True)
class Project:
    name: str
    directory: Path
    main: Path
    runtime: str
    default_config: dict[str, str] = field(default_factory=dict)
    # `runtime.options` of Pulumi.yaml: the environment `pulumi preview` would use.
    virtualenv: str | None = None
    toolchain: str | None = None

    def stack_names(self) -> list[str]:
        """Every stack that has a `Pulumi.<stack>.yaml` file, sorted."""
        prefix, suffix = "Pulumi.", ".yaml"
        return sorted(
            p.name[len(prefix) : -len(suffix)]
            for p in self.directory.glob("Pulumi.*.yaml")
            if p.is_file()
        )


@dataclass(frozen=True)
class StackConfig:
    stack: str
    values: dict[str, str]
    secret_keys: list[str]


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ProjectError(f"{path} does not exist") from exc
    except UnicodeDecodeError as exc:
        raise ProjectError(f"{path} is not UTF-8 text: {exc.reason} at byte {exc.start}") from exc
    except yaml.YAMLError as exc:
        raise ProjectError(f"{path} is not valid YAML: {exc}") from exc


def _config_text(value: Any) -> str:
    """Encode a config value the way the CLI passes it to a program."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return json.dumps(value, separators=(",", ":"))


def _namespaced(project_name: str, key: str) -> str:
    return key if ":" in key else f"{project_name}:{key}"


def load_project(directory: Path | str) -> Project:
    """Read `Pulumi.yaml` in `directory`; only Python programs can be planned."""
    directory = Path(directory).resolve()
    if not directory.is_dir():
        raise ProjectError(f"program directory {directory} does not exist")
    document = _read_yaml(directory / "Pulumi.yaml")
    if not isinstance(document, dict) or not isinstance(document.get("name"), str):
        raise ProjectError(f"{directory / 'Pulumi.yaml'} must be a mapping with a string 'name'")
    runtime = document.get("runtime")
    runtime_name = runtime.get("name") if isinstance(runtime, dict) else runtime
    if runtime_name != "python":
        raise ProjectError(
            f"{directory / 'Pulumi.yaml'}: runtime must be 'python' for the offline gate, "
            f"got {runtime_name!r}"
        )
    main_option = document.get("main")
    main = directory / main_option if isinstance(main_option, str) else directory
    if main.is_dir():
        main = main / "__main__.py"
    if not main.is_file():
        raise ProjectError(f"the program entry point {main} does not exist")

    options = (runtime.get("options") if isinstance(runtime, dict) else None) or {}
    if not isinstance(options, dict):
        raise ProjectError(f"{directory / 'Pulumi.yaml'}: runtime.options must be a mapping")
    virtualenv = options.get("virtualenv")
    toolchain = options.get("toolchain") or ("pip" if virtualenv else None)
    if toolchain not in (None, "pip", "poetry", "uv"):
        raise ProjectError(
            f"{directory / 'Pulumi.yaml'}: runtime.options.toolchain must be pip, poetry or "
            f"uv, got {toolchain!r}"
        )
    name = document["name"]
    defaults: dict[str, str] = {}
    for key, spec in (document.get("config") or {}).items():
        # Project-level config is either `key: value` or `key: {type, default, ...}`.
        if isinstance(spec, dict) and ("default" in spec or "value" in spec):
            default = spec.get("value", spec.get("default"))
            defaults[_namespaced(name, key)] = _config_text(default)
        elif not isinstance(spec, dict):
            defaults[_namespaced(name, key)] = _config_text(spec)
    return Project(
        name=name,
        directory=directory,
        main=main,
        runtime="python",
        default_config=defaults,
        virtualenv=str(virtualenv) if virtualenv else None,
        toolchain=toolchain,
    )


def _is_secure(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"secure"}


def _without_secure(value: Any, key: str) -> tuple[Any, bool]:
    """`value` with every nested `{secure: <ciphertext>}` replaced by a placeholder (the
    ciphertext never reaches the program or a message), and whether there was one."""
    if _is_secure(value):
        return secret_placeholder(key), True
    if isinstance(value, dict):
        pairs = [(k, _without_secure(v, f"{key}.{k}")) for k, v in value.items()]
        return {k: v for k, (v, _) in pairs}, any(found for _, (_, found) in pairs)
    if isinstance(value, list):
        items = [_without_secure(v, key) for v in value]
        return [v for v, _ in items], any(found for _, found in items)
    return value, False


def load_stack_config(
    project: Project, stack: str, overrides: dict[str, Any] | None = None
) -> StackConfig:
    """Merge project defaults, `Pulumi.<stack>.yaml` and `overrides` (later wins)."""
    stack_file = project.directory / f"Pulumi.{stack}.yaml"
    if not stack_file.is_file():
        available = ", ".join(project.stack_names()) or "none"
        raise ProjectError(
            f"stack {stack!r} has no file {stack_file.name} in {project.directory} "
            f"(stacks found: {available})"
        )
    document = _read_yaml(stack_file) or {}
    if not isinstance(document, dict):
        raise ProjectError(f"{stack_file} must be a mapping")
    raw_config = document.get("config") or {}
    if not isinstance(raw_config, dict):
        raise ProjectError(f"{stack_file}: 'config' must be a mapping")

    values = dict(project.default_config)
    secret_keys: list[str] = []
    merged = {**raw_config, **(overrides or {})}
    for key, value in merged.items():
        full_key = _namespaced(project.name, str(key))
        if _is_secure(value):
            values[full_key] = secret_placeholder(full_key)
            secret_keys.append(full_key)
            continue
        plain, had_secure = _without_secure(value, full_key)
        values[full_key] = _config_text(plain)
        if had_secure:
            # Pulumi treats a structured value with a secure part as secret as a whole.
            secret_keys.append(full_key)
    return StackConfig(stack=stack, values=values, secret_keys=sorted(secret_keys))
