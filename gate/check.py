"""`gate check`: plan every stack, evaluate the policy packs and checkov, collect findings.

Example:
    >>> from pathlib import Path
    >>> config = Path("policy_pack/config.json")
    >>> result = run_check(
    ...     CheckOptions(programs=[Path(".")], stacks=["dev"], policy_pack_config=config)
    ... )
    >>> result.exit_code
    0
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from gate.checkov.runner import scan_plans
from gate.checkov.suppressions import Suppressions
from gate.coverage import coverage_findings, plan_assumptions
from gate.crossguard.config import check_policy_names
from gate.crossguard.evaluate import (
    LoadedPack,
    PolicyConfig,
    evaluate_plan,
    load_policy_config,
    load_policy_pack,
    passed_checks,
)
from gate.crossguard.isolation import DEFAULT_POLICY_TIMEOUT_SECONDS, Progress, run_isolated
from gate.crossguard.results import UNKNOWN, VIOLATION, PolicyResult
from gate.engine.plan import Plan, PlannedResource
from gate.engine.planner import EngineOptions, PlanJob, build_plans
from gate.engine.project import ProjectError, load_project
from gate.findings import (
    Finding,
    GateResult,
    PassedCheck,
    Shard,
    SourceLocation,
    StackResult,
    apply_baseline,
    default_severity,
    read_baseline,
    shard_of,
)
from gate.secrets import plan_secrets, redact_text

REPOSITORY_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class CheckOptions:
    """What `gate check` runs: the flags of the command, typed."""

    programs: Sequence[Path]
    # None: every `Pulumi.<stack>.yaml` of each program.
    stacks: Sequence[str] | None = None
    policy_packs: Sequence[Path] = field(default_factory=lambda: [REPOSITORY_ROOT / "policy_pack"])
    policy_pack_config: Path | None = None
    checkov: bool = True
    baseline: Path | None = None
    engine: EngineOptions = field(default_factory=EngineOptions)
    # Per stack, for all packs together; a pack that runs longer is stopped (exit 2).
    policy_timeout: float = DEFAULT_POLICY_TIMEOUT_SECONDS
    root: Path = REPOSITORY_ROOT
    # Plans made at once; the warm engine imports the SDK once per interpreter.
    jobs: int = 1
    warm: bool = True
    # (K, N): evaluate only shard K of N of the (program, stack) pairs.
    shard: tuple[int, int] | None = None
    # Told what runs, and how long it took (`gate check --progress`).
    progress: Callable[[str], None] | None = None


def _stack_urn(plan: Plan) -> str:
    return (
        f"urn:pulumi:{plan.stack}::{plan.project}::pulumi:pulumi:Stack::{plan.project}-{plan.stack}"
    )


def _policy_finding(
    result: PolicyResult, plan: Plan, resources: Mapping[str, PlannedResource]
) -> Finding:
    """A CrossGuard result as a gate finding, located where the program created it."""
    resource = resources.get(result.urn) if result.urn else None
    position = resource.source_position if resource else None
    metadata = result.metadata
    advisory_unknown = result.kind == UNKNOWN
    return Finding(
        source="policy",
        rule=result.policy,
        category=result.category,
        severity=(result.severity or default_severity(result.category)).lower(),
        # A policy that cannot decide (unknown values) never blocks, as under the CLI.
        enforcement="advisory" if advisory_unknown else result.enforcement,  # type: ignore[arg-type]
        resource_type=result.resource_type or "pulumi:pulumi:Stack",
        urn=result.urn or _stack_urn(plan),
        message=result.message or metadata.description,
        suppressed=result.suppressed,
        suppression_reason=result.suppression_reason,
        source_location=SourceLocation.of(position),
        title=metadata.display_name or metadata.name,
        description=metadata.description,
        help=metadata.url or metadata.description,
        remediation=metadata.remediation_steps or "",
        tags=tuple(metadata.tags),
    )


PolicyOutcome = tuple[list[Finding], list[PassedCheck]]


def _evaluate_policies(
    plan: Plan,
    packs: Sequence[LoadedPack],
    config: Mapping[str, PolicyConfig] | None,
    progress: Progress | None = None,
) -> PolicyOutcome:
    findings: list[Finding] = []
    passes: list[PassedCheck] = []
    resources = plan.by_urn()
    for pack in packs:
        on_policy = progress.policy if progress is not None else None
        results = evaluate_plan(plan, pack, config, on_policy=on_policy)
        findings += [
            _policy_finding(r, plan, resources) for r in results if r.kind in (VIOLATION, UNKNOWN)
        ]
        passes += [
            PassedCheck(
                "policy", p.policy, p.resource_type, p.urn, p.metadata.display_name or p.policy
            )
            for p in passed_checks(plan, pack, results, config)
        ]
    return findings, passes


def _label(program: Path, stack: str, root: Path) -> str:
    """`dev` for the repository's own program, `bootstrap/shared` for another one."""
    try:
        relative = program.resolve().relative_to(root.resolve())
    except ValueError:
        return f"{program}/{stack}"
    return stack if relative == Path(".") else f"{relative.as_posix()}/{stack}"


def _stack_file(program: Path, stack: str, root: Path) -> str:
    path = program.resolve() / f"Pulumi.{stack}.yaml"
    try:
        return path.relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _evaluate_isolated(
    plans: Sequence[Plan],
    pack_dirs: Sequence[Path],
    config: Mapping[str, PolicyConfig] | None,
    timeout: float,
) -> list[PolicyOutcome]:
    """Load the packs and evaluate them on every plan in a worker process of their own
    (see gate.crossguard.isolation): a pack can never end the gate's process."""

    def work(progress: Progress) -> list[PolicyOutcome]:
        progress.stack(plans[0].stack if plans else "")
        packs = [load_policy_pack(directory) for directory in pack_dirs]
        check_policy_names(config or {}, packs)
        outcomes = []
        for plan in plans:
            progress.stack(plan.stack)
            outcomes.append(_evaluate_policies(plan, packs, config, progress))
        return outcomes

    return run_isolated(work, timeout=timeout)


def _evaluate_in_parallel(
    plans: Sequence[Plan],
    pack_dirs: Sequence[Path],
    config: Mapping[str, PolicyConfig] | None,
    timeout: float,
    jobs: int,
) -> list[PolicyOutcome]:
    """`_evaluate_isolated` on up to `jobs` groups of plans at once, each group in a worker
    of its own; the outcomes come back in the plans' order."""
    if not plans:
        return []
    groups = min(jobs, len(plans))
    if groups == 1:
        return _evaluate_isolated(plans, pack_dirs, config, timeout)
    chunks = [list(range(index, len(plans), groups)) for index in range(groups)]
    with ThreadPoolExecutor(max_workers=groups) as pool:
        futures = [
            pool.submit(_evaluate_isolated, [plans[i] for i in chunk], pack_dirs, config, timeout)
            for chunk in chunks
        ]
        results = [future.result() for future in futures]
    outcomes: list[PolicyOutcome | None] = [None] * len(plans)
    for chunk, chunk_outcomes in zip(chunks, results, strict=True):
        for index, outcome in zip(chunk, chunk_outcomes, strict=True):
            outcomes[index] = outcome
    return [outcome for outcome in outcomes if outcome is not None]


def _jobs(options: CheckOptions) -> list[PlanJob]:
    """Every (program, stack) of the run, labelled, in the order the run takes them."""
    jobs = []
    for program in options.programs:
        names = list(options.stacks) if options.stacks else load_project(program).stack_names()
        if not names:
            raise ProjectError(f"no Pulumi.<stack>.yaml files in {program}")
        for name in names:
            jobs.append(
                PlanJob(Path(program), name, label=_label(Path(program), name, options.root))
            )
    return jobs


def _timed(progress: Callable[[str], None] | None, what: str) -> Callable[[], None]:
    started = time.perf_counter()

    def done() -> None:
        if progress is not None:
            progress(f"{what} in {time.perf_counter() - started:.1f}s")

    return done


def run_check(options: CheckOptions) -> GateResult:
    """The whole gate. Raises (EngineError, PolicyPackError, CheckovError, ...) when the
    program, a pack or checkov is broken: a crash is never taken for "no findings".

    Plans are made up to `jobs` at once, and the packs evaluated in up to `jobs` workers
    (each loads them once); checkov runs once over every plan of every program, while the
    packs evaluate."""
    config = load_policy_config(options.policy_pack_config) if options.policy_pack_config else None
    jobs = _jobs(options)
    shard = None
    if options.shard is not None:
        index, count = options.shard
        all_labels = [job.name for job in jobs]
        shard = Shard(index, count, tuple(all_labels))
        chosen = set(shard_of(all_labels, index, count))
        jobs = [job for job in jobs if job.name in chosen]
    progress = options.progress

    def on_event(job: PlanJob, phase: str, seconds: float) -> None:
        if progress is not None:
            done = f"planned {job.name} in {seconds:.1f}s"
            progress(f"planning {job.name}" if phase == "start" else done)

    plans = build_plans(
        jobs,
        options.engine,
        parallel=options.jobs,
        warm=options.warm,
        on_event=on_event if progress is not None else None,
    )
    suppressions = {
        program: Suppressions.for_program(Path(program)) for program in options.programs
    }
    plan_suppressions = [suppressions[job.program] for job in jobs]
    # checkov (one process) runs while the policy packs are evaluated; both must finish,
    # and either one's failure fails the run.
    with ThreadPoolExecutor(max_workers=1) as background:
        checkov_run = None
        if options.checkov and plans:
            checkov_done = _timed(progress, f"ran checkov once on {len(plans)} stack(s)")
            names = [job.name for job in jobs]
            checkov_run = background.submit(
                scan_plans, plans, suppressions=plan_suppressions, names=names
            )
        done = _timed(progress, f"evaluated the policy packs on {len(plans)} stack(s)")
        policy_outcomes = _evaluate_in_parallel(
            plans, options.policy_packs, config, options.policy_timeout, options.jobs
        )
        done()
        outcomes = {}
        if checkov_run is not None:
            outcomes = checkov_run.result()
            checkov_done()
    stacks: list[StackResult] = []
    for job, plan, (policy_findings, policy_passes), plan_suppression in zip(
        jobs, plans, policy_outcomes, plan_suppressions, strict=True
    ):
        findings, passes = list(policy_findings), list(policy_passes)
        findings += coverage_findings(plan, plan_suppression, today=None)
        if job.name in outcomes:
            findings += outcomes[job.name].findings
            passes += outcomes[job.name].passes
        secrets = plan_secrets(plan)
        stacks.append(
            StackResult(
                stack=job.name,
                resources=len(plan.resources),
                # A policy's message may quote a value; a secret one is never shown.
                findings=[
                    dataclasses.replace(f, message=redact_text(f.message, secrets))
                    for f in findings
                ],
                passes=passes,
                stack_file=_stack_file(job.program, plan.stack, options.root),
                assumptions=[
                    dataclasses.replace(a, message=redact_text(a.message, secrets))
                    for a in plan_assumptions(plan)
                ],
            )
        )
    result = GateResult(stacks, shard)
    if options.baseline is not None:
        result = apply_baseline(result, read_baseline(options.baseline))
    return result
