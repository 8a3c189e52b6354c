"""Gate benchmark: wall time of the full gate on every stack, the same without checkov,
and checkov alone on the same Terraform plan files.

Run with `make bench`; each figure is the median of `--repeat` runs (default 3).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECKOV = ROOT / ".venv-checkov" / "bin" / "checkov"
PROGRAMS = (ROOT, ROOT / "bootstrap")


def _stacks(program: Path) -> list[str]:
    return sorted(p.name[len("Pulumi.") : -len(".yaml")] for p in program.glob("Pulumi.*.yaml"))


def _timed(command: Sequence[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False, env=env)
    elapsed = time.perf_counter() - start
    if result.returncode not in (0, 1):
        raise SystemExit(
            f"{' '.join(command)} exited {result.returncode}:\n{result.stderr[-2000:]}"
        )
    return elapsed


def _gate(no_checkov: bool) -> float:
    total = 0.0
    for program in PROGRAMS:
        command = [
            sys.executable,
            "-m",
            "gate",
            "check",
            "--all-stacks",
            "--program",
            str(program),
            "--format",
            "json",
        ]
        if no_checkov:
            command.append("--no-checkov")
        total += _timed(command)
    return total


def _checkov_alone(scratch: Path) -> float:
    files = []
    for program in PROGRAMS:
        for stack in _stacks(program):
            path = scratch / f"{program.name}-{stack}.tfplan.json"
            with path.open("w") as out:
                plan = [sys.executable, "-m", "gate", "plan", "--format", "tfplan"]
                plan += ["--program", str(program), "--stack", stack]
                subprocess.run(plan, cwd=ROOT, stdout=out, check=True)
            files.append(path)
    env = {**os.environ, "BC_SKIP_MAPPING": "TRUE"}
    total = 0.0
    for path in files:
        command = [str(CHECKOV), "--framework", "terraform_plan", "-f", str(path)]
        total += _timed([*command, "--skip-download", "-o", "json", "--quiet"], env=env)
    return total


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    stacks = sum(len(_stacks(p)) for p in PROGRAMS)
    with tempfile.TemporaryDirectory() as scratch:
        figures = {
            "gate, all stacks": [_gate(no_checkov=False) for _ in range(args.repeat)],
            "gate, all stacks, --no-checkov": [_gate(no_checkov=True) for _ in range(args.repeat)],
            "checkov alone on the same plans": [
                _checkov_alone(Path(scratch)) for _ in range(args.repeat)
            ],
        }
    for label, runs in figures.items():
        median = statistics.median(runs)
        print(f"{label} ({stacks} stacks): median {median:.1f} s over {len(runs)} runs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
