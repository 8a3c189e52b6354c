"""Which Python a program runs with: its own environment, as `pulumi preview` would use.

The Pulumi CLI reads `runtime.options` in `Pulumi.yaml`:
- `virtualenv: <dir>`: a pip virtual environment, relative to the program directory;
- `toolchain: poetry`: the environment poetry keeps for the project;
- `toolchain: uv`: the project's `.venv` (or `virtualenv`), made by `uv sync`.
With none of these, the program runs with whatever `python` is on the path; the gate
uses its own interpreter when that has what `requirements.txt` asks for.

`--install` does what `pulumi install` does for a missing environment. A program folder
the gate may not write to (a read-only checkout) gets its environment in the gate's cache
instead, keyed by the content of `requirements.txt`, and the plan says so.

Example:
    >>> from gate.engine.project import load_project
    >>> resolve_environment(load_project("tests/fixtures/programs/tiny")).origin
    'the gate interpreter (it has every package requirements.txt asks for)'
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement

from gate.engine.project import Project, ProjectError

_INSTALL_TIMEOUT_SECONDS = 1800
# Left in an environment whose requirements pip could not resolve together.
UNRESOLVABLE_NOTE = "unresolvable.txt"
# Python tools the gate installs for itself (poetry, uv), pinned, from the registry.
TOOL_PINS = {"poetry": "poetry==2.5.1", "uv": "uv==0.13.8"}


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "pulumi-offline-gate"


@dataclass(frozen=True)
class Environment:
    """An interpreter to run the program with, and a sentence saying where it came from."""

    python: str
    origin: str

    def __post_init__(self) -> None:
        note = Path(self.python).parent.parent / UNRESOLVABLE_NOTE
        if note.is_file():
            text = note.read_text(encoding="utf-8").strip()
            object.__setattr__(self, "origin", f"{self.origin}; {text}")

    def to_dict(self) -> dict[str, str]:
        return {"python": self.python, "origin": self.origin}


def _interpreter(env_dir: Path) -> Path:
    if os.name == "nt":  # pragma: no cover - CI and the gate run on POSIX
        return env_dir / "Scripts" / "python.exe"
    return env_dir / "bin" / "python"


def _writable(directory: Path) -> bool:
    """Writable by mode bits, not only by access: root can write anywhere, but a
    checkout whose folders carry no write bit is meant to stay untouched."""
    try:
        mode = directory.stat().st_mode
    except OSError:
        return False
    return bool(mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)) and os.access(
        directory, os.W_OK
    )


def _run(command: list[str], cwd: Path, what: str) -> None:
    try:
        completed = subprocess.run(
            command,
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=_INSTALL_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ProjectError(f"{what} failed: {exc}") from exc
    if completed.returncode != 0:
        tail = (completed.stderr or completed.stdout)[-2000:]
        raise ProjectError(f"{what} failed (exit {completed.returncode}):\n{tail}")


def requirements_of(project: Project) -> list[Requirement]:
    """The requirements in the program's `requirements.txt` (none when it has none)."""
    path = project.directory / "requirements.txt"
    return requirements_of_file(path) if path.is_file() else []


def requirements_of_file(path: Path) -> list[Requirement]:
    requirements = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        try:
            requirements.append(Requirement(line))
        except InvalidRequirement as exc:
            raise ProjectError(f"{path}:{number}: not a requirement: {line!r} ({exc})") from exc
    return requirements


def unmet_requirements(requirements: list[Requirement]) -> list[str]:
    """The requirements the gate's own interpreter does not satisfy, as text."""
    unmet = []
    for requirement in requirements:
        if requirement.marker is not None and not requirement.marker.evaluate():
            continue
        try:
            installed = metadata.version(requirement.name)
        except metadata.PackageNotFoundError:
            unmet.append(f"{requirement} (not installed)")
            continue
        if requirement.specifier and not requirement.specifier.contains(
            installed, prereleases=True
        ):
            unmet.append(f"{requirement} (installed: {installed})")
    return unmet


_INSTALLING = ".gate-installing"


def _ready(env_dir: Path) -> bool:
    """The environment exists and no install of the gate's into it was interrupted."""
    return _interpreter(env_dir).exists() and not (env_dir / _INSTALLING).exists()


def _create_pip_env(env_dir: Path, requirements: Path | None, base_python: str) -> None:
    """What `pulumi install` does: a venv, then `pip install -r requirements.txt`."""
    shutil.rmtree(env_dir, ignore_errors=True)
    env_dir.parent.mkdir(parents=True, exist_ok=True)
    _run([base_python, "-m", "venv", str(env_dir)], env_dir.parent, f"creating {env_dir}")
    marker = env_dir / _INSTALLING
    marker.touch()
    python = str(_interpreter(env_dir))
    quiet = ["--quiet", "--disable-pip-version-check"]
    _run([python, "-m", "pip", "install", *quiet, "--upgrade", "pip"], env_dir, "upgrading pip")
    if requirements is not None:
        try:
            _run(
                [python, "-m", "pip", "install", *quiet, "-r", str(requirements)],
                requirements.parent,
                f"installing {requirements} into {env_dir}",
            )
        except ProjectError as exc:
            if "ResolutionImpossible" not in str(exc):
                raise
            _install_in_turn(python, requirements, env_dir)
    marker.unlink()


def _install_in_turn(python: str, requirements: Path, env_dir: Path) -> None:
    """Requirements that pip cannot resolve together (`pulumi install` fails on them
    too) are installed one at a time, each later one winning; the environment keeps a
    note of it, which the plan shows as an assumption."""
    quiet = ["--quiet", "--disable-pip-version-check"]
    lines = []
    for requirement in requirements_of_file(requirements):
        _run(
            [python, "-m", "pip", "install", *quiet, str(requirement)],
            requirements.parent,
            f"installing {requirement} into {env_dir}",
        )
        lines.append(str(requirement))
    (env_dir / UNRESOLVABLE_NOTE).write_text(
        f"pip cannot resolve {requirements} as a whole (ResolutionImpossible); its "
        f"requirements were installed one at a time, each later one winning: "
        f"{', '.join(lines)}\n",
        encoding="utf-8",
    )


def _cached_env_dir(project: Project, cache_dir: Path) -> Path:
    """Keyed by what decides the environment's content: requirements.txt, the Python
    version, and pip's own constraints (PIP_CONSTRAINT) when the caller sets them."""
    requirements = project.directory / "requirements.txt"
    content = requirements.read_bytes() if requirements.is_file() else b""
    for constraint in os.environ.get("PIP_CONSTRAINT", "").split():
        path = Path(constraint)
        content += b"\0" + (path.read_bytes() if path.is_file() else constraint.encode())
    key = hashlib.sha256(content + sys.version.encode()).hexdigest()[:16]
    return cache_dir / "envs" / key


def _tool(name: str, cache_dir: Path) -> str:
    """poetry or uv: from the PATH, else installed once into the gate's cache."""
    found = shutil.which(name)
    if found:
        return found
    tool_env = cache_dir / "tools" / name
    executable = tool_env / "bin" / name
    if not executable.exists():
        shutil.rmtree(tool_env, ignore_errors=True)
        tool_env.parent.mkdir(parents=True, exist_ok=True)
        _run([sys.executable, "-m", "venv", str(tool_env)], cache_dir, f"creating {tool_env}")
        _run(
            [str(_interpreter(tool_env)), "-m", "pip", "install", "--quiet", TOOL_PINS[name]],
            cache_dir,
            f"installing {TOOL_PINS[name]}",
        )
    return str(executable)


def _poetry_env_path(poetry: str, project: Project) -> str | None:
    query = subprocess.run(
        [poetry, "env", "info", "--path"],
        cwd=project.directory,
        capture_output=True,
        text=True,
        env={**os.environ, "POETRY_VIRTUALENVS_IN_PROJECT": "false"},
        check=False,
    )
    path = query.stdout.strip()
    return path if query.returncode == 0 and path else None


def _poetry_environment(project: Project, install: bool, cache_dir: Path) -> Environment:
    poetry = shutil.which("poetry")
    if poetry is None and not install:
        raise ProjectError(
            f"{project.directory / 'Pulumi.yaml'} uses toolchain 'poetry', which is not on "
            "the PATH; install poetry, or run the gate with --install"
        )
    poetry = poetry or _tool("poetry", cache_dir)
    path = _poetry_env_path(poetry, project)
    if path is None:
        if not install:
            raise ProjectError(
                f"the poetry environment of {project.directory} does not exist; create it "
                "with `poetry install` in that folder, or run the gate with --install"
            )
        # What `pulumi install` runs for a poetry project (a lock file is made if missing).
        _run([poetry, "install", "--no-root"], project.directory, "poetry install")
        path = _poetry_env_path(poetry, project)
        if path is None:
            raise ProjectError(f"poetry install in {project.directory} made no environment")
    return Environment(str(_interpreter(Path(path))), f"the poetry environment {path}")


def _uv_environment(project: Project, install: bool, cache_dir: Path) -> Environment:
    env_dir = project.directory / (project.virtualenv or ".venv")
    if _ready(env_dir):
        return Environment(str(_interpreter(env_dir)), f"the uv environment {env_dir}")
    if not install:
        raise ProjectError(
            f"the uv environment {env_dir} does not exist; create it with `uv sync` in "
            f"{project.directory}, or run the gate with --install"
        )
    uv = _tool("uv", cache_dir)
    _run(
        [uv, "sync", "--python", sys.executable],
        project.directory,
        "uv sync",
    )
    return Environment(str(_interpreter(env_dir)), f"the uv environment {env_dir} (installed)")


def resolve_environment(
    project: Project,
    python: str | None = None,
    install: bool = False,
    cache_dir: Path | None = None,
) -> Environment:
    """The interpreter to run `project` with. Raises ProjectError, naming what is
    missing and how to create it, when that environment does not exist."""
    cache_dir = cache_dir or default_cache_dir()
    if python is not None:
        resolved = shutil.which(python) or python
        if not Path(resolved).is_file():
            raise ProjectError(f"--python {python}: no such interpreter")
        return Environment(resolved, f"--python {python}")
    if project.toolchain == "poetry":
        return _poetry_environment(project, install, cache_dir)
    if project.toolchain == "uv":
        return _uv_environment(project, install, cache_dir)
    requirements_file = project.directory / "requirements.txt"
    requirements = requirements_file if requirements_file.is_file() else None
    if project.virtualenv:
        env_dir = (project.directory / project.virtualenv).resolve()
        if _ready(env_dir):
            return Environment(str(_interpreter(env_dir)), f"the virtualenv {env_dir}")
        if not install:
            raise ProjectError(
                f"{project.directory / 'Pulumi.yaml'} names the virtualenv "
                f"{project.virtualenv!r}, and {env_dir} does not exist; create it with "
                f"`python3 -m venv {env_dir} && {_interpreter(env_dir)} -m pip install -r "
                f"{requirements_file}` (what `pulumi install` does), or run the gate with "
                "--install"
            )
        if _writable(env_dir.parent):
            _create_pip_env(env_dir, requirements, sys.executable)
            return Environment(str(_interpreter(env_dir)), f"the virtualenv {env_dir} (installed)")
        cached = _cached_env_dir(project, cache_dir)
        if not _ready(cached):
            _create_pip_env(cached, requirements, sys.executable)
        return Environment(
            str(_interpreter(cached)),
            f"{cached}, the gate's cached environment for this requirements.txt "
            f"(the program's folder is read-only, so its virtualenv "
            f"{project.virtualenv!r} was not created)",
        )
    unmet = unmet_requirements(requirements_of(project))
    if not unmet:
        return Environment(
            sys.executable, "the gate interpreter (it has every package requirements.txt asks for)"
        )
    if not install:
        raise ProjectError(
            f"{project.directory} names no environment in Pulumi.yaml, and the gate's "
            f"interpreter lacks what its requirements.txt asks for: {'; '.join(unmet)}; "
            "run the gate with --install (or --python PATH)"
        )
    cached = _cached_env_dir(project, cache_dir)
    if not _ready(cached):
        _create_pip_env(cached, requirements, sys.executable)
    return Environment(
        str(_interpreter(cached)),
        f"{cached}, the gate's cached environment for this requirements.txt",
    )
