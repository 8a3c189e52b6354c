"""Gate benchmark: what the gate costs over checkov alone, over planning one stack, and
how it scales to a monorepo and across shards. Every figure is measured side by side in
one run, on this machine, with the median of `--repeat` runs, and the peak memory (the
largest resident set of any process the command started).

- full gate on the template's 5 stacks (`make gate`) against checkov alone, run once over
  the same 5 plans written as Terraform plan JSON (checkov's best case: one start-up);
- the gate with `--no-checkov` on the 5 stacks against planning `prod` alone;
- a synthetic monorepo of 50 stacks (10 small programs of 41 resources, 5 stacks each): the
  time per stack, and each of 4 shards against the whole.

Run with `make bench`. Targets (issue 17): full gate <= 1.5x checkov alone; --no-checkov
<= 1.5x planning prod alone; each of 4 shards about a quarter of the whole's work
beyond the start-up every run pays (measured by a run on one stack).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECKOV = ROOT / ".venv-checkov" / "bin" / "checkov"
PROGRAMS = (ROOT, ROOT / "bootstrap")
MONOREPO_PROGRAMS = 10
MONOREPO_STACKS = 5
# Each synthetic stack: a key and this many encrypted queues with a TLS-only policy each,
# so that a stack costs what a small service's stack does (and shards show their share).
MONOREPO_QUEUES = 20
MONOREPO_PROGRAM = """import json

import pulumi
import pulumi_aws as aws

key = aws.kms.Key("key", enable_key_rotation=True, tags={"Owner": "bench"})
for index in range(QUEUES):
    queue = aws.sqs.Queue(f"queue-{index}", kms_master_key_id=key.arn, tags={"Owner": "bench"})
    aws.sqs.QueuePolicy(
        f"queue-{index}-policy",
        queue_url=queue.url,
        policy=queue.arn.apply(
            lambda arn: json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Deny",
                            "Principal": "*",
                            "Action": "sqs:*",
                            "Resource": arn,
                            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                        }
                    ],
                }
            )
        ),
    )
""".replace("QUEUES", str(MONOREPO_QUEUES))
SHARDS = 4


@dataclass
class Figure:
    seconds: float
    peak_mib: float


def _run(command: Sequence[str], cwd: Path = ROOT, env: dict[str, str] | None = None) -> Figure:
    """Wall time, and the peak resident set of the largest process the command started
    (this process's children's maximum, reset by running each command in a fresh child)."""
    probe = (
        "import resource, subprocess, sys, time\n"
        "start = time.perf_counter()\n"
        "done = subprocess.run(sys.argv[2:], cwd=sys.argv[1], capture_output=True, text=True)\n"
        "elapsed = time.perf_counter() - start\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print(done.returncode, elapsed, peak)\n"
        "sys.stderr.write(done.stderr[-2000:] if done.returncode not in (0, 1) else '')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, str(cwd), *command],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    code, elapsed, peak_kib = result.stdout.split()
    if int(code) not in (0, 1):
        raise SystemExit(f"{' '.join(command)} exited {code}:\n{result.stderr}")
    return Figure(float(elapsed), int(peak_kib) / 1024)


def _gate(
    *flags: str, programs: Sequence[Path] = PROGRAMS, cwd: Path = ROOT, all_stacks: bool = True
) -> Figure:
    command = [sys.executable, "-m", "gate", "check", "--format", "json"]
    command += ["--all-stacks"] if all_stacks else []
    for program in programs:
        command += ["--program", str(program)]
    command += ["--no-progress", *flags]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return _run(command, cwd=cwd, env=env)


def _plan_prod() -> Figure:
    return _run([sys.executable, "-m", "gate", "plan", "--stack", "prod", "--format", "json"])


def _write_plans(scratch: Path) -> Path:
    """The 5 stacks' plans as Terraform plan JSON, one folder each (as the gate writes)."""
    plans = scratch / "plans"
    for program in PROGRAMS:
        for stack_file in sorted(program.glob("Pulumi.*.yaml")):
            stack = stack_file.name[len("Pulumi.") : -len(".yaml")]
            folder = plans / f"{program.name}-{stack}"
            folder.mkdir(parents=True)
            with (folder / "tfplan.json").open("w") as out:
                command = [sys.executable, "-m", "gate", "plan", "--format", "tfplan"]
                command += ["--program", str(program), "--stack", stack]
                subprocess.run(command, cwd=ROOT, stdout=out, check=True)
    return plans


def _checkov_alone(plans: Path) -> Figure:
    env = {**os.environ, "BC_SKIP_MAPPING": "TRUE"}
    command = [str(CHECKOV), "--framework", "terraform_plan", "-d", str(plans)]
    return _run([*command, "--skip-download", "-o", "json", "--quiet"], env=env)


def _monorepo(scratch: Path) -> list[Path]:
    """10 programs of 5 stacks each: 50 (program, stack) pairs of 41 resources."""
    programs = []
    for index in range(MONOREPO_PROGRAMS):
        program = scratch / "monorepo" / f"service-{index:02d}"
        program.mkdir(parents=True)
        (program / "Pulumi.yaml").write_text(f"name: service-{index:02d}\nruntime: python\n")
        (program / "__main__.py").write_text(MONOREPO_PROGRAM)
        for stack in range(MONOREPO_STACKS):
            (program / f"Pulumi.env{stack}.yaml").write_text("config:\n  aws:region: eu-west-1\n")
        programs.append(program)
    return programs


def _median(runs: list[Figure]) -> Figure:
    return Figure(statistics.median(r.seconds for r in runs), max(r.peak_mib for r in runs))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="gate-bench-") as folder:
        scratch = Path(folder)
        plans = _write_plans(scratch)
        monorepo = _monorepo(scratch)
        figures: dict[str, list[Figure]] = {}
        for _ in range(args.repeat):
            # Side by side in each round, so machine load falls on all of them alike.
            figures.setdefault("full gate, 5 stacks", []).append(_gate())
            figures.setdefault("checkov alone, same 5 plans", []).append(_checkov_alone(plans))
            figures.setdefault("gate --no-checkov, 5 stacks", []).append(_gate("--no-checkov"))
            figures.setdefault("planning prod alone", []).append(_plan_prod())
            figures.setdefault("gate --no-checkov --cold --jobs 1, 5 stacks", []).append(
                _gate("--no-checkov", "--cold", "--jobs", "1")
            )
        monorepo_whole = _gate("--no-checkov", programs=monorepo, cwd=scratch)
        # One stack alone: what every run pays before its first stack (the start-up).
        one_stack = _gate(
            "--no-checkov", "--stack", "env0", programs=monorepo[:1], cwd=scratch, all_stacks=False
        )
        shards = [
            _gate("--no-checkov", "--shard", f"{k}/{SHARDS}", programs=monorepo, cwd=scratch)
            for k in range(1, SHARDS + 1)
        ]
    medians = {label: _median(runs) for label, runs in figures.items()}
    print(f"machine: {cores} cores; each figure the median of {args.repeat} runs\n")
    for label, figure in medians.items():
        print(f"{label:48} {figure.seconds:6.1f} s   peak {figure.peak_mib:6.0f} MiB")
    gate, checkov = medians["full gate, 5 stacks"], medians["checkov alone, same 5 plans"]
    planning, prod = medians["gate --no-checkov, 5 stacks"], medians["planning prod alone"]
    print(f"\nfull gate / checkov alone:               {gate.seconds / checkov.seconds:.2f}x")
    print(f"--no-checkov 5 stacks / prod alone:      {planning.seconds / prod.seconds:.2f}x")
    pairs = MONOREPO_PROGRAMS * MONOREPO_STACKS
    print(
        f"\nmonorepo, {pairs} stacks, --no-checkov: {monorepo_whole.seconds:.1f} s "
        f"({monorepo_whole.seconds / pairs:.2f} s per stack), peak "
        f"{monorepo_whole.peak_mib:.0f} MiB"
    )
    # Each run pays a start-up (interpreter, warm engine, packs) before its first stack;
    # the rest grows with the stacks. A shard's work beyond that start-up is its share.
    per_stack = (monorepo_whole.seconds - one_stack.seconds) / (pairs - 1)
    start_up = max(one_stack.seconds - per_stack, 0.0)
    print(f"  one stack alone: {one_stack.seconds:.1f} s, so a run's start-up is {start_up:.1f} s")
    for index, shard in enumerate(shards, start=1):
        share = shard.seconds / monorepo_whole.seconds
        work_share = (shard.seconds - start_up) / (monorepo_whole.seconds - start_up)
        print(
            f"  shard {index}/{SHARDS}: {shard.seconds:.1f} s ({share:.0%} of the whole; "
            f"{work_share:.0%} of its work beyond start-up), peak {shard.peak_mib:.0f} MiB"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
