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

import contextlib
import dataclasses
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from gate.checkov.runner import CheckovScan, WarmCheckov
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
from gate.crossguard.isolation import DEFAULT_POLICY_TIMEOUT_SECONDS, Progress
from gate.crossguard.results import UNKNOWN, VIOLATION, PolicyResult
from gate.crossguard.streaming import StreamingEvaluation
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


def _evaluation(
    pack_dirs: Sequence[Path],
    config: Mapping[str, PolicyConfig] | None,
    timeout: float,
    workers: int,
) -> StreamingEvaluation[list[LoadedPack], Plan, PolicyOutcome]:
    """Policy workers, started now: each loads the packs (in a process of its own, see
    gate.crossguard.isolation: a pack can never end the gate's process) while the first
    stacks plan, then evaluates each plan it is handed."""

    def load(progress: Progress) -> list[LoadedPack]:
        packs = [load_policy_pack(directory) for directory in pack_dirs]
        check_policy_names(config or {}, packs)
        return packs

    def evaluate(packs: list[LoadedPack], progress: Progress, plan: Plan) -> PolicyOutcome:
        return _evaluate_policies(plan, packs, config, progress)

    return StreamingEvaluation(
        prepare=load,
        evaluate=evaluate,
        label=lambda plan: plan.stack,
        workers=workers,
        timeout=timeout,
    )


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
    """Says `what`, with the time since this was made (the run's start: planning,
    evaluation and checkov overlap, so no phase has a time of its own)."""
    started = time.perf_counter()

    def done() -> None:
        if progress is not None:
            progress(f"{what} {time.perf_counter() - started:.1f}s after the start")

    return done


def run_check(options: CheckOptions) -> GateResult:
    """The whole gate. Raises (EngineError, PolicyPackError, CheckovError, ...) when the
    program, a pack or checkov is broken: a crash is never taken for "no findings".

    Plans are made up to `jobs` at once. Up to `jobs` policy workers, started with the
    run, load the packs once each and evaluate every plan as soon as it is made; checkov
    runs once over every plan of every program, in an interpreter that imported checkov
    while the stacks planned."""
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

    # The policy workers load the packs, and checkov's interpreter imports checkov, while
    # the stacks plan; each plan is evaluated as soon as it is made. The workers are
    # forked first, before this process starts any other (see IsolatedWorker).
    suppressions = {
        program: Suppressions.for_program(Path(program)) for program in options.programs
    }
    evaluation = _evaluation(
        options.policy_packs, config, options.policy_timeout, min(options.jobs, len(jobs))
    )
    warm_checkov = None
    checkov_scan = None
    try:
        warm_checkov = (
            WarmCheckov.start(parallel=options.jobs) if options.checkov and jobs else None
        )
        checkov_scan = CheckovScan(warm=warm_checkov) if options.checkov else None
        index_of = {job.name: index for index, job in enumerate(jobs)}
        evaluated = _timed(progress, f"policy packs evaluated on {len(jobs)} stack(s)")
        checkov_done = _timed(progress, f"checkov (started once) done on {len(jobs)} stack(s)")

        def hand_over(job: PlanJob, plan: Plan) -> None:
            # The packs and checkov start on each plan as soon as it is made.
            evaluation.put(index_of[job.name], plan)
            if checkov_scan is not None:
                checkov_scan.add(job.name, plan, suppressions[job.program])

        try:
            plans = build_plans(
                jobs,
                options.engine,
                parallel=options.jobs,
                warm=options.warm,
                on_event=on_event if progress is not None else None,
                on_plan=hand_over,
            )
        except BaseException:
            # The plan's error is the run's; the workers still end (and their errors wait).
            with contextlib.suppress(Exception):
                evaluation.results()
            raise
        # checkov's last scans run while the last plans are evaluated; both must finish,
        # and either one's failure fails the run.
        with ThreadPoolExecutor(max_workers=1) as background:
            checkov_run = None
            if checkov_scan is not None and plans:
                checkov_run = background.submit(checkov_scan.outcomes)
            policy_outcomes = evaluation.results()
            evaluated()
            outcomes = {}
            if checkov_run is not None:
                outcomes = checkov_run.result()
                checkov_done()
    finally:
        if checkov_scan is not None:
            checkov_scan.close()
        if warm_checkov is not None:
            warm_checkov.close()
    stacks: list[StackResult] = []
    for job, plan, (policy_findings, policy_passes) in zip(
        jobs, plans, policy_outcomes, strict=True
    ):
        findings, passes = list(policy_findings), list(policy_passes)
        findings += coverage_findings(plan, suppressions[job.program], today=None)
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
