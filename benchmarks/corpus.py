"""`make corpus`: the full gate on every public program of `../shared/corpus`.

Each program runs with `--install` in its own environment (created once, then reused
from the gate's cache), stack `ci`, with the values in `benchmarks/corpus-mocks/` where a
program needs some (StackReference outputs). One line per program: exit code, resources,
remote components, invokes answered (and how), warnings, findings by source. It fails
(exit 1) when any program stops the gate (exit 2), which is what the corpus measures.

    python benchmarks/corpus.py [--corpus DIR] [--only NAME ...] [--no-checkov]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "programs"
MOCKS = Path(__file__).resolve().parent / "corpus-mocks"
# pip constraints for a program whose requirements.txt no longer installs a working
# environment (an open-ended requirement that now resolves to a breaking release); pip
# reads them from PIP_CONSTRAINT, as it would for any user.
CONSTRAINTS = Path(__file__).resolve().parent / "corpus-constraints"


def _summary(report: dict, plan: dict | None) -> str:
    stacks = report.get("stacks") or []
    findings = [f for stack in stacks for f in stack.get("findings", [])]
    by_source = Counter(f["source"] for f in findings if not f.get("suppressed"))
    unexpanded = sum(1 for f in findings if f["rule"] == "gate-unexpanded-component")
    resources = sum(stack.get("resources", 0) for stack in stacks)
    parts = [f"resources={resources}", f"unexpanded={unexpanded}"]
    if plan is not None:
        answers = Counter(i["answer"] for i in plan.get("invokes", []))
        parts.append("invokes=" + (",".join(f"{k}:{answers[k]}" for k in sorted(answers)) or "0"))
        parts.append(f"warnings={len(plan.get('warnings', []))}")
    parts.append("findings=" + (",".join(f"{k}:{by_source[k]}" for k in sorted(by_source)) or "0"))
    return " ".join(parts)


def run_program(program: Path, checkov: bool) -> tuple[int, str, float]:
    started = time.monotonic()
    mocks = MOCKS / f"{program.name}.yaml"
    common = ["--stack", "ci", "--program", str(program), "--install"]
    if mocks.is_file():
        common += ["--mocks", str(mocks)]
    with tempfile.TemporaryDirectory(prefix="gate-corpus-") as scratch:
        report_path = Path(scratch) / "report.json"
        command = [sys.executable, "-m", "gate", "check", *common, "--format", "json"]
        command += ["--output", str(report_path)] + ([] if checkov else ["--no-checkov"])
        environment = dict(os.environ)
        constraints = CONSTRAINTS / f"{program.name}.txt"
        if constraints.is_file():
            environment["PIP_CONSTRAINT"] = str(constraints)
        completed = subprocess.run(
            command, cwd=ROOT, capture_output=True, text=True, check=False, env=environment
        )
        if completed.returncode == 2 or not report_path.is_file():
            error = (completed.stderr.strip().splitlines() or ["no output"])[0]
            return completed.returncode, error[:300], time.monotonic() - started
        report = json.loads(report_path.read_text(encoding="utf-8"))
        plan_run = subprocess.run(
            [sys.executable, "-m", "gate", "plan", *common, "--format", "json"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
            env=environment,
        )
        plan = json.loads(plan_run.stdout) if plan_run.returncode == 0 else None
    return completed.returncode, _summary(report, plan), time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--only", action="append", metavar="NAME")
    parser.add_argument("--no-checkov", action="store_true")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"corpus: {args.corpus} does not exist", file=sys.stderr)
        return 2
    programs = sorted(p for p in args.corpus.iterdir() if (p / "Pulumi.yaml").is_file())
    if args.only:
        programs = [p for p in programs if p.name in args.only]
    broken = 0
    for program in programs:
        code, summary, seconds = run_program(program, checkov=not args.no_checkov)
        broken += code == 2
        print(f"{program.name:<55} exit={code} {seconds:6.1f}s {summary}", flush=True)
    planned = len(programs) - broken
    print(f"\n{planned} of {len(programs)} programs planned (exit 0 or 1)")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
