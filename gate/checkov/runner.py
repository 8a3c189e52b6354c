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

import datetime
import json
import os
import subprocess
import tempfile
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
    checkov's start-up) while the stacks plan, then runs once with the arguments it is
    given (`gate.checkov.warm_driver`). Output, exit code and time limit are as a cold
    run's; close() ends it if it was never used."""

    def __init__(self, program: Path, python: str) -> None:
        self.program = program
        self._process = subprocess.Popen(
            [python, str(WARM_DRIVER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_offline_environment(),
        )

    @classmethod
    def start(cls, executable: Path | None = None) -> WarmCheckov | None:
        """Start it for checkov's console script; None when `executable` is not one
        (the scan then runs it cold) or cannot be started (the scan will say why)."""
        program = executable or default_executable()
        python = _console_script_python(program)
        if python is None:
            return None
        try:
            return cls(program, python)
        except OSError:
            return None

    def run(self, arguments: Sequence[str], timeout: float) -> tuple[int, str, str]:
        """checkov's exit code, stdout and stderr for `checkov <arguments>`."""
        command = json.dumps([str(self.program), *arguments]) + "\n"
        try:
            stdout, stderr = self._process.communicate(command, timeout=timeout)
        except subprocess.TimeoutExpired:
            self.close()
            raise
        return self._process.returncode, stdout, stderr

    def close(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        for stream in (self._process.stdin, self._process.stdout, self._process.stderr):
            if stream is not None:
                stream.close()


def run_checkov(
    directory: Path,
    framework: str,
    *,
    executable: Path | None = None,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
    warm: WarmCheckov | None = None,
) -> list[CheckResult]:
    """Run one checkov framework over a directory and return every passed and failed check
    (in `warm`, the interpreter started for it, when there is one)."""
    program = warm.program if warm is not None else executable or default_executable()
    if not program.exists():
        raise CheckovError(
            f"checkov is not installed at {program}; run `make venv` (or set GATE_CHECKOV)"
        )
    arguments = [
        "--directory",
        str(directory),
        "--framework",
        framework,
        "--skip-download",
        "--output",
        "json",
    ]
    try:
        if warm is not None:
            code, stdout, stderr = warm.run(arguments, timeout)
            completed = subprocess.CompletedProcess(arguments, code, stdout, stderr)
        else:
            completed = subprocess.run(
                [str(program), *arguments],
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
    # checkov exits 1 when a check failed; anything else is checkov failing.
    if completed.returncode not in (0, 1):
        raise CheckovError(
            f"checkov exited with code {completed.returncode}", details=completed.stderr[-4000:]
        )
    return parse_report(completed.stdout, stderr=completed.stderr)


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


def write_plans(tfplans: Sequence[TerraformPlan], directory: Path) -> list[str]:
    """One directory per plan, so checkov never links resources across stacks; returns
    the directory names, in order (plans of different programs may share a stack name)."""
    names = []
    for index, tfplan in enumerate(tfplans):
        name = f"{index:04d}-{tfplan.stack}"
        stack_dir = directory / name
        stack_dir.mkdir(parents=True, exist_ok=True)
        (stack_dir / PLAN_FILE).write_text(tfplan.to_json(), encoding="utf-8")
        names.append(name)
    return names


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
    """checkov's `terraform_plan` framework on every plan, in one checkov run (its start-up
    is paid once however many programs and stacks there are).

    Outcomes are keyed by `names` (default: each plan's stack name); `suppressions` is one
    for every plan or one per plan (each program has its own file).
    """
    keys = list(names) if names is not None else [plan.stack for plan in plans]
    if len(set(keys)) != len(keys):
        raise CheckovError(f"two plans share a name: {keys}")
    if suppressions is None or isinstance(suppressions, Suppressions):
        per_plan = [suppressions or Suppressions()] * len(plans)
    else:
        per_plan = list(suppressions)
    tfplans = [render_tfplan(plan) for plan in plans]
    with tempfile.TemporaryDirectory(prefix="gate-checkov-") as scratch:
        directories = write_plans(tfplans, Path(scratch))
        results = run_checkov(
            Path(scratch), "terraform_plan", executable=executable, timeout=timeout, warm=warm
        )
    by_directory: dict[str, list[CheckResult]] = {name: [] for name in directories}
    for result in results:
        directory = result.file_path.strip("/").split("/", 1)[0]
        if directory not in by_directory:
            raise CheckovError(f"checkov reported on an unexpected file {result.file_path}")
        by_directory[directory].append(result)
    day = today or datetime.date.today()
    return {
        key: to_outcome(plan, tfplan, by_directory[directory], plan_suppressions, day)
        for key, plan, tfplan, directory, plan_suppressions in zip(
            keys, plans, tfplans, directories, per_plan, strict=True
        )
    }


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
