"""The offline plan engine: run a Pulumi Python program with no CLI and no credentials.

Example:
    >>> from gate.engine.planner import build_plan
    >>> plan = build_plan(".", "dev")
    >>> [r.type for r in plan.resources][:1]
    ['pulumi:providers:aws']
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gate.engine.environment import resolve_environment
from gate.engine.plan import Plan
from gate.engine.process import run_bounded
from gate.engine.project import ProjectError, load_project, load_stack_config
from gate.engine.supplied import load_supplied

DEFAULT_TIMEOUT_SECONDS = 300
_GATE_ROOT = Path(__file__).resolve().parents[2]


class EngineError(Exception):
    """The program could not be planned: it raised, hung, or the call was wrong."""

    def __init__(self, message: str, details: str = "", program_traceback: str = "") -> None:
        super().__init__(message)
        # Everything (shown with --debug), and the program's own frames (always shown).
        self.details = details
        self.program_traceback = program_traceback


@dataclass(frozen=True)
class EngineOptions:
    """How programs are run: the flags of `gate plan` and `gate check` that concern them."""

    # An interpreter for every program, instead of each program's own environment.
    python: str | None = None
    # Create a program's missing environment (what `pulumi install` does).
    install: bool = False
    # A gate.yaml to use instead of the one beside each program.
    mocks_file: Path | None = None
    cache_dir: Path | None = None
    timeout: float = DEFAULT_TIMEOUT_SECONDS


def build_plan(
    program_dir: Path | str,
    stack: str,
    config_overrides: dict[str, Any] | None = None,
    timeout: float | None = None,
    options: EngineOptions | None = None,
) -> Plan:
    """Run the program for `stack` in its own environment, in a fresh interpreter, and
    return its recorded plan.

    `config_overrides` are merged over the stack file (keys without a namespace belong to
    the project), which lets tests plan variants without writing stack files.
    """
    options = options or EngineOptions()
    timeout = options.timeout if timeout is None else timeout
    try:
        project = load_project(program_dir)
        config = load_stack_config(project, stack, config_overrides)
        supplied = load_supplied(project.directory, stack, options.mocks_file)
        environment = resolve_environment(
            project, python=options.python, install=options.install, cache_dir=options.cache_dir
        )
    except ProjectError as exc:
        raise EngineError(str(exc)) from exc
    python = environment.python

    request = {
        "program_dir": str(project.directory),
        # An absolute entry point makes the SDK send each resource's source position.
        "main": str(project.main.resolve()),
        "project": project.name,
        "stack": stack,
        "config": config.values,
        "secret_keys": config.secret_keys,
        "region": config.values.get("aws:region", "us-east-1"),
        "supplied": supplied,
    }
    with tempfile.TemporaryDirectory(prefix="gate-plan-") as scratch:
        request_path = Path(scratch) / "request.json"
        output_path = Path(scratch) / "plan.json"
        request_path.write_text(json.dumps(request), encoding="utf-8")
        bootstrap = (
            "import sys; sys.path.insert(0, sys.argv.pop(1)); "
            "from gate.engine.runner import main; main()"
        )
        command = [python, "-c", bootstrap, str(_GATE_ROOT), str(request_path), str(output_path)]
        completed = run_bounded(command, cwd=project.directory, timeout=timeout)
        if not output_path.exists():
            if completed.timed_out:
                raise EngineError(
                    f"program {project.main} (stack {stack}) did not finish within "
                    f"{timeout:g}s (--timeout); it and every process it started were stopped",
                    details=completed.stderr,
                )
            raise EngineError(
                f"program {project.main} (stack {stack}) exited with code "
                f"{completed.returncode} without a result",
                details=completed.stderr,
            )
        result = json.loads(output_path.read_text(encoding="utf-8"))

    if "error" in result:
        raise EngineError(
            f"program {project.main} (stack {stack}) failed: {result['error']}",
            details=result.get("traceback", ""),
            program_traceback=result.get("program_traceback", ""),
        )
    result["environment"] = environment.to_dict()
    result["secret_keys"] = config.secret_keys
    return Plan.from_dict(result)
