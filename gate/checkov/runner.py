"""checkov on the offline plan: run it as a program, offline, and map results to URNs.

checkov pins old versions of many libraries, so it lives in its own virtual
environment (`.venv-checkov`) and is never imported here. It runs with
`BC_SKIP_MAPPING=TRUE` and `--skip-download` and without a platform key, so it never
reaches the network. A crash, a timeout or output that is not checkov's JSON report
raises `CheckovError`: the gate never takes a broken run for "no findings".

Example:
    >>> from gate.engine.planner import build_plan
    >>> outcomes = scan_plans([build_plan("tests/fixtures/programs/tiny", "test")])
    >>> [f.rule for f in outcomes["test"].findings]  # the key has no key policy
    ['CKV2_AWS_64']
"""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import queue
import subprocess
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from gate.checkov.catalog import category_of_check
from gate.checkov.suppressions import Suppressions
from gate.checkov.tfplan import TerraformPlan, render_tfplan
from gate.engine.plan import Plan, PlannedResource
from gate.findings import (
    Finding,
    PassedCheck,
    SourceLocation,
    default_severity,
)

DEFAULT_TIMEOUT_SECONDS = 600
PLAN_FILE = "tfplan.json"
WARM_DRIVER = Path(__file__).with_name("warm_driver.py")
_REPO_ROOT = Path(__file__).resolve().parents[2]
# Environment variables that would let checkov talk to the Prisma Cloud platform.
_PROVIDER_PREFIX = "aws."
_PLATFORM_VARIABLES = ("BC_API_KEY", "PRISMA_API_URL", "BC_API_URL", "CKV_API_KEY")

REMEDIATION = (
    "Change the resource so that it satisfies the check. If the check does not apply, "
    "add an entry with its reason to checkov-suppressions.yaml."
)


class CheckovError(Exception):
    """checkov could not be run or did not produce a report."""

    def __init__(self, message: str, details: str = "") -> None:
        super().__init__(message)
        self.details = details


@dataclass(frozen=True)
class CheckResult:
    """One checkov check on one Terraform resource, as checkov reports it."""

    check_id: str
    check_name: str
    outcome: Literal["passed", "failed"]
    address: str
    # The scanned file, relative to the scanned directory, with a leading slash.
    file_path: str
    guideline: str | None = None
    severity: str | None = None


@dataclass(frozen=True)
class CheckovOutcome:
    """checkov's verdict on one stack, in the gate's terms."""

    stack: str
    findings: list[Finding] = field(default_factory=list)
    passes: list[PassedCheck] = field(default_factory=list)


def default_executable() -> Path:
    """`$GATE_CHECKOV`, else the repository's `.venv-checkov/bin/checkov`."""
    configured = os.environ.get("GATE_CHECKOV")
    return Path(configured) if configured else _REPO_ROOT / ".venv-checkov" / "bin" / "checkov"


def _offline_environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _PLATFORM_VARIABLES}
    env["BC_SKIP_MAPPING"] = "TRUE"
    env.setdefault("LOG_LEVEL", "WARNING")
    return env


def _console_script_python(program: Path) -> str | None:
    """The interpreter of checkov's console script as pip writes it (`#!<python>`, then
    `from checkov.main import Checkov`); None for anything else (a wrapper, a binary, a
    stand-in), which is then run as it is."""
    try:
        with program.open("rb") as script:
            head = script.read(4096).decode("utf-8", "replace")
    except OSError:
        return None
    first_line, _, rest = head.partition("\n")
    interpreter = first_line[2:].strip()
    if not first_line.startswith("#!") or " " in interpreter:
        return None
    if not Path(interpreter).name.startswith("python") or "from checkov.main import" not in rest:
        return None
    return interpreter


class WarmCheckov:
    """checkov's interpreter, started when the gate run starts: it imports checkov (most of
    checkov's start-up) while the stacks plan, then scans each plan as soon as it is
    submitted, in a child forked for that scan (`gate.checkov.warm_driver`). Each scan's
    output and exit code are a cold run's; close() ends it."""

    def __init__(self, program: Path, python: str, parallel: int = 1) -> None:
        self.program = program
        self._process = subprocess.Popen(
            [python, str(WARM_DRIVER), str(parallel)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=_offline_environment(),
        )
        self._submitted = 0
        self._answers: queue.Queue[str | None] = queue.Queue()
        # Answers are read as they come, so that collect() can wait with a deadline.
        threading.Thread(target=self._read_answers, daemon=True).start()

    def _read_answers(self) -> None:
        stdout = self._process.stdout
        if stdout is not None:
            for line in stdout:
                self._answers.put(line)
        self._answers.put(None)

    @classmethod
    def start(cls, executable: Path | None = None, parallel: int = 1) -> WarmCheckov | None:
        """Start it for checkov's console script, scanning up to `parallel` plans at once;
        None when `executable` is not one (the scan then runs it cold) or cannot be
        started (the scan will say why)."""
        program = executable or default_executable()
        python = _console_script_python(program)
        if python is None:
            return None
        try:
            return cls(program, python, parallel)
        except OSError:
            return None

    def submit(self, arguments: Sequence[str], stdout: Path, stderr: Path) -> int:
        """Ask for `checkov <arguments>`, its output written to `stdout` and `stderr`;
        returns the scan's id."""
        scan_id = self._submitted
        self._submitted += 1
        request = {
            "id": scan_id,
            "argv": [str(self.program), *arguments],
            "stdout": str(stdout),
            "stderr": str(stderr),
        }
        stdin = self._process.stdin
        try:
            if stdin is None:
                raise OSError("checkov's input is closed")
            stdin.write(json.dumps(request) + "\n")
            stdin.flush()
        except OSError as exc:
            raise CheckovError(f"checkov could not be given its plans: {exc}") from exc
        return scan_id

    def collect(self, timeout: float) -> dict[int, int]:
        """Every submitted scan's exit code, once all have ended, within `timeout`."""
        deadline = time.monotonic() + timeout
        codes: dict[int, int] = {}
        while len(codes) < self._submitted:
            remaining = deadline - time.monotonic()
            try:
                line = self._answers.get(timeout=max(remaining, 0.001))
            except queue.Empty:
                self.close()
                raise subprocess.TimeoutExpired("checkov", timeout) from None
            if line is None:
                raise CheckovError(
                    f"checkov's interpreter exited with code {self._process.wait()} "
                    f"after {len(codes)} of {self._submitted} scans"
                )
            answer = json.loads(line)
            codes[int(answer["id"])] = int(answer["code"])
        return codes

    def close(self) -> None:
        if self._process.stdin is not None:
            with contextlib.suppress(OSError):
                self._process.stdin.close()
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()


class CheckovScan:
    """checkov's `terraform_plan` framework on plans handed over one by one (`add`), each
    in a folder of its own so that checkov never links resources across stacks.

    With a warm checkov each plan is scanned as soon as it is added, while other stacks
    still plan; otherwise every plan is scanned in one cold run when `outcomes` is asked
    for. Either way checkov's start-up is paid once per gate run."""

    def __init__(
        self,
        *,
        executable: Path | None = None,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
        today: datetime.date | None = None,
        warm: WarmCheckov | None = None,
    ) -> None:
        self._executable = executable
        self._timeout = timeout
        self._today = today
        self._warm = warm
        self._scratch = tempfile.TemporaryDirectory(prefix="gate-checkov-")
        # checkov scans `plans`; a warm scan's output goes to `output`, never where it scans.
        self._plans = Path(self._scratch.name) / "plans"
        self._outputs = Path(self._scratch.name) / "output"
        self._plans.mkdir()
        self._outputs.mkdir()
        self._lock = threading.Lock()
        # name -> (plan, rendered plan, its folder, suppressions, warm scan id)
        self._added: dict[str, tuple[Plan, TerraformPlan, str, Suppressions, int | None]] = {}

    def add(self, name: str, plan: Plan, suppressions: Suppressions) -> None:
        """Hand over a plan (thread-safe: the planner's threads call it)."""
        tfplan = render_tfplan(plan)
        with self._lock:
            if name in self._added:
                raise CheckovError(f"two plans share a name: {name}")
            folder = f"{len(self._added):04d}-{plan.stack}"
            directory = self._plans / folder
            write_plan(tfplan, directory)
            scan_id = None
            if self._warm is not None:
                stdout, stderr = self._output_files(folder)
                scan_id = self._warm.submit(_arguments(directory, "terraform_plan"), stdout, stderr)
            self._added[name] = (plan, tfplan, folder, suppressions, scan_id)

    def outcomes(self) -> dict[str, CheckovOutcome]:
        """Each added plan's outcome, by name. Raises CheckovError when checkov crashed,
        ran out of time or printed something other than its report."""
        try:
            results = self._warm_results() if self._warm is not None else self._cold_results()
            day = self._today or datetime.date.today()
            return {
                name: to_outcome(plan, tfplan, results[folder], suppressions, day)
                for name, (plan, tfplan, folder, suppressions, _) in self._added.items()
            }
        finally:
            self.close()

    def _output_files(self, folder: str) -> tuple[Path, Path]:
        return self._outputs / f"{folder}.json", self._outputs / f"{folder}.stderr"

    def close(self) -> None:
        """Remove the written plans (outcomes() does it too)."""
        self._scratch.cleanup()

    def _warm_results(self) -> dict[str, list[CheckResult]]:
        assert self._warm is not None
        try:
            codes = self._warm.collect(self._timeout)
        except subprocess.TimeoutExpired as exc:
            raise CheckovError(f"checkov did not finish within {self._timeout:.0f}s") from exc
        results: dict[str, list[CheckResult]] = {}
        for _, _, folder, _, scan_id in self._added.values():
            assert scan_id is not None
            stdout, stderr = (
                path.read_text(encoding="utf-8") for path in self._output_files(folder)
            )
            results[folder] = _report(codes[scan_id], stdout, stderr)
            for result in results[folder]:
                if result.file_path.strip("/") != PLAN_FILE:
                    raise CheckovError(f"checkov reported on an unexpected file {result.file_path}")
        return results

    def _cold_results(self) -> dict[str, list[CheckResult]]:
        results = run_checkov(
            self._plans,
            "terraform_plan",
            executable=self._executable,
            timeout=self._timeout,
        )
        by_folder: dict[str, list[CheckResult]] = {entry[2]: [] for entry in self._added.values()}
        for result in results:
            folder = result.file_path.strip("/").split("/", 1)[0]
            if folder not in by_folder:
                raise CheckovError(f"checkov reported on an unexpected file {result.file_path}")
            by_folder[folder].append(result)
        return by_folder


def _arguments(directory: Path, framework: str) -> list[str]:
    return [
        "--directory",
        str(directory),
        "--framework",
        framework,
        "--skip-download",
        "--output",
        "json",
    ]


def _report(code: int, stdout: str, stderr: str) -> list[CheckResult]:
    # checkov exits 1 when a check failed; anything else is checkov failing.
    if code not in (0, 1):
        raise CheckovError(f"checkov exited with code {code}", details=stderr[-4000:])
    return parse_report(stdout, stderr=stderr)


def run_checkov(
    directory: Path,
    framework: str,
    *,
    executable: Path | None = None,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
) -> list[CheckResult]:
    """Run one checkov framework over a directory and return every passed and failed check."""
    program = executable or default_executable()
    if not program.exists():
        raise CheckovError(
            f"checkov is not installed at {program}; run `make venv` (or set GATE_CHECKOV)"
        )
    try:
        completed = subprocess.run(
            [str(program), *_arguments(directory, framework)],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=_offline_environment(),
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise CheckovError(f"checkov did not finish within {timeout:.0f}s") from exc
    except OSError as exc:
        raise CheckovError(f"checkov could not be started: {exc}") from exc
    return _report(completed.returncode, completed.stdout, completed.stderr)


def parse_report(stdout: str, stderr: str = "") -> list[CheckResult]:
    """The check results in checkov's `-o json` output (one report or a list of them)."""
    try:
        document = json.loads(stdout)
    except json.JSONDecodeError as exc:
        raise CheckovError(
            f"checkov printed something other than its JSON report: {stdout[:200]!r}",
            details=stderr[-4000:],
        ) from exc
    reports = document if isinstance(document, list) else [document]
    results: list[CheckResult] = []
    for report in reports:
        if not isinstance(report, dict):
            raise CheckovError(f"unexpected checkov report: {str(report)[:200]}")
        if "results" not in report:
            # With nothing to scan checkov prints only a summary of zeros.
            if {"passed", "failed"} <= report.keys():
                continue
            raise CheckovError(f"unexpected checkov report: {str(report)[:200]}")
        if report.get("summary", {}).get("parsing_errors"):
            raise CheckovError(
                f"checkov could not parse {report['summary']['parsing_errors']} file(s)",
                details=stderr[-4000:],
            )
        checks = report["results"]
        results.extend(_check_result(raw, "passed") for raw in checks.get("passed_checks", []))
        results.extend(_check_result(raw, "failed") for raw in checks.get("failed_checks", []))
    return results


def _check_result(raw: dict[str, Any], outcome: Literal["passed", "failed"]) -> CheckResult:
    return CheckResult(
        check_id=raw["check_id"],
        check_name=raw.get("check_name") or raw["check_id"],
        outcome=outcome,
        address=raw.get("resource_address") or raw["resource"],
        file_path=raw.get("file_path", ""),
        guideline=raw.get("guideline"),
        severity=raw.get("severity"),
    )


def write_plan(tfplan: TerraformPlan, directory: Path) -> None:
    """A plan in a folder of its own, as checkov reads it: checkov links resources within
    a folder, never across folders, so stacks never mix."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / PLAN_FILE).write_text(tfplan.to_json(), encoding="utf-8")


def scan_plans(
    plans: Sequence[Plan],
    *,
    suppressions: Suppressions | Sequence[Suppressions] | None = None,
    names: Sequence[str] | None = None,
    executable: Path | None = None,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
    today: datetime.date | None = None,
    warm: WarmCheckov | None = None,
) -> dict[str, CheckovOutcome]:
    """checkov's `terraform_plan` framework on every plan, with one checkov start-up
    however many programs and stacks there are (see CheckovScan).

    Outcomes are keyed by `names` (default: each plan's stack name); `suppressions` is one
    for every plan or one per plan (each program has its own file).
    """
    keys = list(names) if names is not None else [plan.stack for plan in plans]
    if suppressions is None or isinstance(suppressions, Suppressions):
        per_plan = [suppressions or Suppressions()] * len(plans)
    else:
        per_plan = list(suppressions)
    scan = CheckovScan(executable=executable, timeout=timeout, today=today, warm=warm)
    for key, plan, plan_suppressions in zip(keys, plans, per_plan, strict=True):
        scan.add(key, plan, plan_suppressions)
    return scan.outcomes()


def to_outcome(
    plan: Plan,
    tfplan: TerraformPlan,
    results: Sequence[CheckResult],
    suppressions: Suppressions,
    today: datetime.date,
) -> CheckovOutcome:
    """Map checkov's results on one stack back to Pulumi resources."""
    resources = plan.by_urn()
    outcome = CheckovOutcome(stack=plan.stack)
    for result in results:
        if result.address.startswith(_PROVIDER_PREFIX):
            # The rendered provider block holds only the region, so its checks (hard-coded
            # credentials) can only pass, and no Pulumi resource stands behind it.
            if result.outcome == "failed":
                raise CheckovError(
                    f"checkov failed {result.check_id} on the rendered provider block"
                )
            continue
        urn = tfplan.urn_of(result.address)
        if urn is None:
            raise CheckovError(
                f"checkov reported on {result.address}, which is not in stack {plan.stack}"
            )
        resource = resources[urn]
        if result.outcome == "passed":
            outcome.passes.append(
                PassedCheck("checkov", result.check_id, resource.type, urn, result.check_name)
            )
        else:
            outcome.findings.append(_finding(result, resource, plan.stack, suppressions, today))
    return outcome


def _finding(
    result: CheckResult,
    resource: PlannedResource,
    stack: str,
    suppressions: Suppressions,
    today: datetime.date,
) -> Finding:
    category = category_of_check(result.check_id)
    message = f"{resource.type} '{resource.name}' fails {result.check_id}: {result.check_name}"
    reason, note = suppressions.verdict(result.check_id, resource.urn, stack, today)
    return Finding(
        source="checkov",
        rule=result.check_id,
        category=category,
        severity=(result.severity or default_severity(category)).lower(),
        enforcement="mandatory",
        resource_type=resource.type,
        urn=resource.urn,
        message=message + note,
        suppressed=reason is not None,
        suppression_reason=reason,
        source_location=SourceLocation.of(resource.source_position),
        title=result.check_name,
        description=f"checkov {result.check_id}: {result.check_name}.",
        help=result.guideline
        or f"https://www.checkov.io/5.Policy%20Index/all.html ({result.check_id})",
        remediation=REMEDIATION,
        tags=("checkov", category),
    )
