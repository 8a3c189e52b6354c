"""Load any Python CrossGuard policy pack in-process, without its gRPC server.

`PolicyPack(...)` validates its arguments, then builds the analyzer servicer, starts a
gRPC server and blocks forever. `load_policy_pack` runs the pack's own `__main__.py`
(with the pack directory as cwd and first on `sys.path`, as the Pulumi CLI does) while
the servicer class is replaced by a recorder: the SDK's own argument checks still run,
then the recorder captures what the pack declared and stops the constructor before any
server exists.

Example:
    >>> from gate.crossguard.loader import load_policy_pack
    >>> pack = load_policy_pack("policy_pack")
    >>> pack.name
    'serverless-platform-policies'
"""

from __future__ import annotations

import os
import runpy
import sys
import traceback
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi_policy.policy as sdk
from pulumi_policy import EnforcementLevel, Policy


class PolicyPackError(Exception):
    """The pack could not be loaded, configured or run: the gate must exit 2."""

    def __init__(self, message: str, details: str = "") -> None:
        super().__init__(message)
        self.details = details


@dataclass(frozen=True)
class LoadedPack:
    """What a pack's `PolicyPack(...)` call declared."""

    name: str
    directory: Path
    policies: tuple[Policy, ...]
    # The pack-wide default; a policy's own level wins over it.
    enforcement_level: EnforcementLevel
    initial_config: Mapping[str, Any] = field(default_factory=dict)
    # The version the SDK gives the analyzer (the CLI prefers PulumiPolicy.yaml's).
    version: str = "0.0.1"
    description: str | None = None
    display_name: str | None = None
    provider: str | None = None
    tags: tuple[str, ...] = ()

    def policy(self, name: str) -> Policy:
        for policy in self.policies:
            if policy.name == name:
                return policy
        raise KeyError(f"policy pack {self.name} has no policy named {name!r}")


class _Captured(BaseException):
    """Stops the PolicyPack constructor; a BaseException so a pack's `except Exception`
    cannot swallow it."""

    def __init__(self, arguments: dict[str, Any]) -> None:
        super().__init__()
        self.arguments = arguments


def _recording_servicer(
    name: str,
    version: str,
    policies: list[Policy],
    enforcement_level: EnforcementLevel,
    initial_config: Mapping[str, Any] | None = None,
    description: str | None = None,
    display_name: str | None = None,
    readme: str | None = None,
    provider: str | None = None,
    tags: list[str] | None = None,
    repository: str | None = None,
) -> None:
    raise _Captured(
        {
            "name": name,
            "version": version,
            "policies": tuple(policies),
            "enforcement_level": enforcement_level,
            "initial_config": dict(initial_config or {}),
            "description": description,
            "display_name": display_name,
            "provider": provider,
            "tags": tuple(tags or ()),
        }
    )


@contextmanager
def _as_the_cli_runs_it(directory: Path) -> Iterator[None]:
    """cwd and sys.path[0] = the pack, the servicer intercepted; all restored after.

    Modules imported from inside the pack directory are dropped from `sys.modules`
    afterwards, so two packs with same-named helper modules do not see each other's.
    """
    before = set(sys.modules)
    saved_cwd, saved_path = os.getcwd(), list(sys.path)
    saved_servicer = sdk._PolicyAnalyzerServicer
    sdk._PolicyAnalyzerServicer = _recording_servicer  # type: ignore[assignment,misc]
    os.chdir(directory)
    sys.path.insert(0, str(directory))
    try:
        yield
    finally:
        sdk._PolicyAnalyzerServicer = saved_servicer  # type: ignore[misc]
        os.chdir(saved_cwd)
        sys.path[:] = saved_path
        for module_name in set(sys.modules) - before:
            module_file = getattr(sys.modules[module_name], "__file__", None) or ""
            if Path(module_file).resolve().is_relative_to(directory):
                del sys.modules[module_name]


def load_policy_pack(directory: Path | str) -> LoadedPack:
    """Run `<directory>/__main__.py` and return the pack it declares."""
    directory = Path(directory).resolve()
    main = directory / "__main__.py"
    if not main.is_file():
        raise PolicyPackError(f"{directory} is not a Python policy pack: it has no __main__.py")
    try:
        with _as_the_cli_runs_it(directory):
            runpy.run_path(str(main), run_name="__main__")
    except _Captured as captured:
        arguments = captured.arguments
    except SystemExit as exc:
        raise PolicyPackError(
            f"policy pack {directory} exited (code {exc.code}) while loading"
        ) from exc
    except Exception as exc:
        raise PolicyPackError(
            f"policy pack {directory} failed to load: {type(exc).__name__}: {exc}",
            details=traceback.format_exc(),
        ) from exc
    else:
        raise PolicyPackError(
            f"policy pack {directory}: __main__.py never constructed a PolicyPack"
        )
    return LoadedPack(directory=directory, **arguments)
