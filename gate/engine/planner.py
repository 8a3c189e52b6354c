"""The offline plan engine: run a Pulumi Python program with no CLI and no credentials.

Example:
    >>> from gate.engine.planner import build_plan
    >>> plan = build_plan(".", "dev")
    >>> [r.type for r in plan.resources][:1]
    ['pulumi:providers:aws']
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gate.engine.environment import Environment, default_cache_dir, resolve_environment
from gate.engine.plan import Plan
from gate.engine.process import Completed, run_bounded
from gate.engine.project import Project, ProjectError, load_project, load_stack_config
from gate.engine.supplied import load_supplied
from gate.engine.warm import WarmEngine, WarmEngineError

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


@dataclass(frozen=True)
class PlanJob:
    """One (program, stack) to plan, with optional config overrides."""

    program: Path
    stack: str
    config_overrides: dict[str, Any] | None = None
    # How reports and progress name the pair (`bootstrap/shared`); the stack by default.
    label: str = ""

    @property
    def name(self) -> str:
        return self.label or self.stack


@dataclass(frozen=True)
class _Prepared:
    """A plan's request, ready to run in the program's interpreter."""

    project: Project
    stack: str
    environment: Environment
    request: dict[str, Any]
    secret_keys: list[str]


def _prepare(
    program_dir: Path | str,
    stack: str,
    config_overrides: dict[str, Any] | None,
    options: EngineOptions,
) -> _Prepared:
    try:
        project = load_project(program_dir)
        config = load_stack_config(project, stack, config_overrides)
        supplied = load_supplied(project.directory, stack, options.mocks_file)
        environment = resolve_environment(
            project, python=options.python, install=options.install, cache_dir=options.cache_dir
        )
    except ProjectError as exc:
        raise EngineError(str(exc)) from exc
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
    return _Prepared(project, stack, environment, request, list(config.secret_keys))


def _finish(
    prepared: _Prepared, completed: Completed, output_path: Path, timeout: float
) -> dict[str, Any]:
    """The child's result, or the EngineError that says why there is none."""
    main, stack = prepared.project.main, prepared.stack
    if not output_path.exists():
        if completed.timed_out:
            raise EngineError(
                f"program {main} (stack {stack}) did not finish within "
                f"{timeout:g}s (--timeout); it and every process it started were stopped",
                details=completed.stderr,
            )
        raise EngineError(
            f"program {main} (stack {stack}) exited with code "
            f"{completed.returncode} without a result",
            details=completed.stderr,
        )
    result: dict[str, Any] = json.loads(output_path.read_text(encoding="utf-8"))
    if "error" in result:
        raise EngineError(
            f"program {main} (stack {stack}) failed: {result['error']}",
            details=result.get("traceback", ""),
            program_traceback=result.get("program_traceback", ""),
        )
    return result


def _to_plan(prepared: _Prepared, result: dict[str, Any]) -> Plan:
    result.pop("sdk_modules", None)
    result["environment"] = prepared.environment.to_dict()
    result["secret_keys"] = prepared.secret_keys
    return Plan.from_dict(result)


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
    return _plan_cold(_prepare(program_dir, stack, config_overrides, options), timeout)


def _plan_cold(prepared: _Prepared, timeout: float) -> Plan:
    """The plan, made in a fresh interpreter of the program's environment."""
    bootstrap = (
        "import sys; sys.path.insert(0, sys.argv.pop(1)); "
        "from gate.engine.runner import main; main()"
    )
    with _request_files(prepared) as (request_path, output_path):
        command = [prepared.environment.python, "-c", bootstrap, str(_GATE_ROOT)]
        command += [str(request_path), str(output_path)]
        completed = run_bounded(command, cwd=prepared.project.directory, timeout=timeout)
        result = _finish(prepared, completed, output_path, timeout)
    return _to_plan(prepared, result)


@contextlib.contextmanager
def _request_files(prepared: _Prepared) -> Iterator[tuple[Path, Path]]:
    """The request, written for the child, and where the child writes its result."""
    with tempfile.TemporaryDirectory(prefix="gate-plan-") as scratch:
        request_path = Path(scratch) / "request.json"
        request_path.write_text(json.dumps(prepared.request), encoding="utf-8")
        yield request_path, Path(scratch) / "plan.json"


# Called with (job, "start" or "done", seconds so far) as plans start and finish.
PlanEvents = Callable[[PlanJob, str, float], None]
# Called with each plan as soon as it is made (from the planning thread).
PlanReady = Callable[[PlanJob, Plan], None]


def build_plans(
    jobs: Sequence[PlanJob],
    options: EngineOptions | None = None,
    *,
    parallel: int = 1,
    warm: bool = True,
    on_event: PlanEvents | None = None,
    on_plan: PlanReady | None = None,
) -> list[Plan]:
    """Plan every job, up to `parallel` at once, in input order.

    With `warm`, each interpreter's plans run in children of one warm engine
    (`gate.engine.warm`), which imports the SDK once instead of once per stack; the plans
    are the same as cold ones. Every job runs to its end; then the first failure, in
    input order, is raised: a plan that could not be made is never skipped.
    `on_plan(job, plan)` gets each plan as soon as it is made, so that its evaluation
    can start while other stacks still plan.
    """
    options = options or EngineOptions()
    if parallel < 1:
        raise EngineError(f"--jobs: expected at least 1, got {parallel}")
    prepared = [_prepare(j.program, j.stack, j.config_overrides, options) for j in jobs]
    engines = _WarmEngines(options) if warm else None
    times = _PlanTimes(options)

    def plan_and_time(index: int) -> Plan:
        started = time.perf_counter()
        plan = _plan_one(jobs[index], prepared[index], options, engines, on_event, on_plan)
        times.record(prepared[index], time.perf_counter() - started)
        return plan

    try:
        with ThreadPoolExecutor(max_workers=parallel) as pool:
            # The longest plans start first, so that the run does not end waiting on a
            # long plan that started last; the plans still come back in input order.
            futures = {index: pool.submit(plan_and_time, index) for index in times.order(prepared)}
            outcomes = [
                futures[index].exception() or futures[index].result() for index in range(len(jobs))
            ]
    finally:
        if engines is not None:
            engines.close()
        times.save()
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            raise outcome
    return [outcome for outcome in outcomes if isinstance(outcome, Plan)]


def _plan_one(
    job: PlanJob,
    prepared: _Prepared,
    options: EngineOptions,
    engines: _WarmEngines | None,
    on_event: PlanEvents | None,
    on_plan: PlanReady | None = None,
) -> Plan:
    started = time.perf_counter()
    if on_event is not None:
        on_event(job, "start", 0.0)
    engine = engines.for_python(prepared) if engines is not None else None
    if engine is None or engines is None:
        plan = _plan_cold(prepared, options.timeout)
    else:
        with _request_files(prepared) as (request_path, output_path):
            try:
                completed = engine.run(
                    request_path, output_path, prepared.project.directory, options.timeout
                )
            except WarmEngineError as exc:
                raise EngineError(
                    f"program {prepared.project.main} (stack {prepared.stack}): {exc}",
                    details=exc.details,
                ) from exc
            result = _finish(prepared, completed, output_path, options.timeout)
        engines.learn(prepared, result.get("sdk_modules", []))
        plan = _to_plan(prepared, result)
    if on_event is not None:
        on_event(job, "done", time.perf_counter() - started)
    if on_plan is not None:
        on_plan(job, plan)
    return plan


def _replace_cache_file(path: Path, text: str) -> None:
    """Write a cache file whole or not at all: several gate runs may share the cache, so
    it is replaced atomically; a cache that cannot be written only costs speed."""
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
        partial.write_text(text)
        os.replace(partial, path)


class _PlanTimes:
    """How long each (program, stack) took to plan in the last run (in the cache folder):
    with `--jobs` above 1, the longest start first. A pair never timed starts first,
    in input order, as it may be the longest."""

    def __init__(self, options: EngineOptions) -> None:
        self._path = (options.cache_dir or default_cache_dir()) / "plan-times.json"
        self._seconds: dict[str, float] = {}
        with contextlib.suppress(OSError, ValueError, AttributeError):
            loaded = json.loads(self._path.read_text())
            self._seconds = {str(k): float(v) for k, v in loaded.items()}
        self._lock = threading.Lock()

    @staticmethod
    def _key(prepared: _Prepared) -> str:
        return f"{prepared.project.directory.resolve()}::{prepared.stack}"

    def order(self, prepared: Sequence[_Prepared]) -> list[int]:
        def last_time(index: int) -> float:
            return self._seconds.get(self._key(prepared[index]), float("inf"))

        return sorted(range(len(prepared)), key=lambda index: -last_time(index))

    def record(self, prepared: _Prepared, seconds: float) -> None:
        with self._lock:
            self._seconds[self._key(prepared)] = round(seconds, 3)

    def save(self) -> None:
        _replace_cache_file(self._path, json.dumps(self._seconds, sort_keys=True))


class _WarmEngines:
    """One warm engine per interpreter, started on first use. Before each program's first
    plan, it imports the SDK modules that program's plans imported last time (kept in the
    cache folder per interpreter and program): only what this run's programs use, never
    the union of every program the interpreter ever planned."""

    def __init__(self, options: EngineOptions) -> None:
        self._cache = (options.cache_dir or default_cache_dir()) / "warm"
        self._engines: dict[str, WarmEngine | None] = {}
        # What each (interpreter, program) cache file holds, read once per run.
        self._known: dict[tuple[str, Path], set[str]] = {}
        self._lock = threading.Lock()

    def _learned_file(self, python: str, program: Path) -> Path:
        key = f"{Path(python).resolve()}\0{program.resolve()}"
        return self._cache / f"{hashlib.sha256(key.encode()).hexdigest()[:16]}.json"

    def for_python(self, prepared: _Prepared) -> WarmEngine | None:
        python, program = prepared.environment.python, prepared.project.directory
        with self._lock:
            if python not in self._engines:
                try:
                    self._engines[python] = WarmEngine(python, program)
                except WarmEngineError:
                    # This interpreter cannot host one: its plans run cold, the same way.
                    self._engines[python] = None
            engine = self._engines[python]
            if (python, program) not in self._known:
                known: set[str] = set()
                with contextlib.suppress(OSError, ValueError):
                    known = set(json.loads(self._learned_file(python, program).read_text()))
                if engine is not None:
                    engine.preload(sorted(known))
                self._known[(python, program)] = known
            return engine

    def learn(self, prepared: _Prepared, modules: list[str]) -> None:
        python, program = prepared.environment.python, prepared.project.directory
        engine = self._engines.get(python)
        if engine is None or not modules:
            return
        with self._lock:
            known = self._known[(python, program)]
            if set(modules) <= known:
                return
            # Only what is new: the engine preloads between forks, which a plan waits for.
            engine.preload(sorted(set(modules) - known))
            known.update(modules)
            _replace_cache_file(self._learned_file(python, program), json.dumps(sorted(known)))

    def close(self) -> None:
        for engine in self._engines.values():
            if engine is not None:
                engine.close()
