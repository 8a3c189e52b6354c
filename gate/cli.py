"""`python -m gate`: the command-line entry point.

Exit codes: 0 passed, 1 mandatory findings, 2 the program or the call is broken.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from gate.check import REPOSITORY_ROOT, CheckOptions, run_check
from gate.checkov.runner import CheckovError
from gate.checkov.suppressions import SuppressionError
from gate.checkov.tfplan import render_tfplan
from gate.crossguard.evaluate import PolicyPackError
from gate.crossguard.isolation import DEFAULT_POLICY_TIMEOUT_SECONDS
from gate.engine.plan import render_text
from gate.engine.planner import DEFAULT_TIMEOUT_SECONDS, EngineError, EngineOptions, build_plan
from gate.engine.project import ProjectError, load_project
from gate.findings import BaselineError, GateResult, MergeError, merge_results
from gate.reports import FORMATS, render
from gate.reports.json_report import result_from_report

DEFAULT_PACK = REPOSITORY_ROOT / "policy_pack"
# The template's own exemptions and per-environment settings live beside the pack.
DEFAULT_PACK_CONFIG = DEFAULT_PACK / "config.json"
BROKEN = (
    EngineError,
    ProjectError,
    PolicyPackError,
    CheckovError,
    SuppressionError,
    BaselineError,
    MergeError,
    OSError,
)

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_BROKEN = 2


def _stacks(args: argparse.Namespace, program: str) -> list[str]:
    if args.all_stacks and args.stack:
        raise ProjectError("pass --stack NAME or --all-stacks, not both")
    if args.all_stacks:
        stacks = load_project(program).stack_names()
        if not stacks:
            raise ProjectError(f"no Pulumi.<stack>.yaml files in {program}")
        return stacks
    if not args.stack:
        raise ProjectError("name a stack with --stack NAME, or pass --all-stacks")
    return list(args.stack)


def _add_stack_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--stack", action="append", metavar="NAME", help="stack to plan (repeatable)"
    )
    parser.add_argument(
        "--all-stacks", action="store_true", help="every Pulumi.<stack>.yaml in the program"
    )
    parser.add_argument(
        "--program",
        action="append",
        metavar="DIR",
        help="Pulumi program directory (repeatable; default .)",
    )


def _add_common_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--debug", action="store_true", help="show full tracebacks with error messages"
    )


def _check_output(path: Path | None) -> None:
    """Before any work: the report must be writable where --output says."""
    if path is None:
        return
    if path.is_dir():
        raise ProjectError(f"--output {path}: is a directory, expected a file path")
    if path.exists() and not os.access(path, os.W_OK):
        raise ProjectError(f"--output {path}: the file is not writable")
    ancestor = path.parent
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if not ancestor.is_dir() or not os.access(ancestor, os.W_OK | os.X_OK):
        raise ProjectError(
            f"--output {path}: cannot create it, {ancestor} is not a writable folder"
        )


def _add_engine_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--python",
        metavar="PATH",
        help="run every program with this interpreter instead of its own environment",
    )
    parser.add_argument(
        "--install",
        action="store_true",
        help="create a program's missing environment from its requirements.txt "
        "(what `pulumi install` does)",
    )
    parser.add_argument(
        "--mocks",
        type=Path,
        metavar="FILE",
        help="values to answer invokes, outputs and StackReferences with "
        "(default: gate.yaml beside each program)",
    )
    parser.add_argument(
        "--env-cache",
        type=Path,
        metavar="DIR",
        help="where --install keeps environments it creates outside a program's folder "
        "(default: $XDG_CACHE_HOME/pulumi-offline-gate)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT_SECONDS,
        metavar="SECONDS",
        help=f"per program and stack (default {DEFAULT_TIMEOUT_SECONDS:.0f})",
    )


def _engine_options(args: argparse.Namespace) -> EngineOptions:
    if args.timeout <= 0:
        raise ProjectError(f"--timeout: expected a number of seconds above 0, got {args.timeout}")
    return EngineOptions(
        python=args.python,
        install=args.install,
        mocks_file=args.mocks,
        cache_dir=args.env_cache,
        timeout=args.timeout,
    )


def _programs(args: argparse.Namespace) -> list[str]:
    return list(args.program or ["."])


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m gate",
        description="Offline compliance gate for Pulumi Python programs.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    plan = commands.add_parser(
        "plan", help="run the program under the mock engine and print the plan"
    )
    _add_stack_arguments(plan)
    _add_engine_arguments(plan)
    _add_common_arguments(plan)
    plan.add_argument(
        "--format",
        choices=["text", "json", "tfplan"],
        default="text",
        help="tfplan: the plan as Terraform plan JSON, as checkov reads it",
    )

    check = commands.add_parser(
        "check", help="plan, then evaluate the policy packs and checkov, and report"
    )
    _add_stack_arguments(check)
    _add_engine_arguments(check)
    _add_common_arguments(check)
    check.add_argument(
        "--policy-timeout",
        type=float,
        default=DEFAULT_POLICY_TIMEOUT_SECONDS,
        metavar="SECONDS",
        help="per stack, for the policy packs together; they run in a process of their own "
        f"(default {DEFAULT_POLICY_TIMEOUT_SECONDS:g})",
    )
    check.add_argument(
        "--policy-pack",
        action="append",
        type=Path,
        metavar="DIR",
        help=f"CrossGuard policy pack directory (repeatable; default {DEFAULT_PACK.name})",
    )
    check.add_argument(
        "--policy-pack-config",
        type=Path,
        metavar="FILE",
        help="policy config JSON, as for `pulumi preview` (default with the default pack: "
        f"{DEFAULT_PACK.name}/{DEFAULT_PACK_CONFIG.name})",
    )
    check.add_argument("--no-checkov", action="store_true", help="skip checkov")
    check.add_argument("--format", choices=FORMATS, default="text")
    check.add_argument("--output", type=Path, metavar="FILE", help="write the report here")
    check.add_argument(
        "--baseline",
        type=Path,
        metavar="FILE",
        help="a previous JSON report: only findings not in it fail",
    )
    check.add_argument(
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        metavar="N",
        help="plan up to N stacks at once (default: the number of cores)",
    )
    check.add_argument(
        "--cold",
        action="store_true",
        help="plan every stack in a fresh interpreter, without the warm engine",
    )
    check.add_argument(
        "--shard",
        metavar="K/N",
        help="evaluate only shard K of N of the (program, stack) pairs; merge the shards' "
        "JSON reports with `gate report --from a.json --from b.json ...`",
    )
    progress = check.add_mutually_exclusive_group()
    progress.add_argument(
        "--progress",
        action="store_true",
        default=None,
        help="show each stack as it is planned, with its time (default: on a terminal, outside CI)",
    )
    progress.add_argument("--no-progress", dest="progress", action="store_false")

    report = commands.add_parser(
        "report",
        help="render saved JSON reports (from `check --format json`) in a format; several "
        "shard reports are merged into one result",
    )
    report.add_argument(
        "--from",
        dest="sources",
        type=Path,
        required=True,
        action="append",
        metavar="FILE",
        help="a JSON report; repeat it for the reports of every shard of a run",
    )
    report.add_argument("--format", choices=FORMATS, default="text")
    report.add_argument("--output", type=Path, metavar="FILE", help="write the report here")
    _add_common_arguments(report)
    return parser


def _run_plan(args: argparse.Namespace) -> int:
    plans = [
        build_plan(program, stack, options=_engine_options(args))
        for program in _programs(args)
        for stack in _stacks(args, program)
    ]
    if args.format == "tfplan":
        documents = [json.loads(render_tfplan(plan).to_json()) for plan in plans]
        print(json.dumps(documents[0] if len(documents) == 1 else documents, indent=2))
    elif args.format == "json":
        documents = [plan.redacted_dict() for plan in plans]
        print(json.dumps(documents[0] if len(documents) == 1 else documents, indent=2))
    else:
        print("\n\n".join(render_text(plan) for plan in plans))
    return EXIT_OK


def _write(report: str, output: Path | None) -> None:
    if output is None:
        print(report)
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(report if report.endswith("\n") else report + "\n", encoding="utf-8")


def _read_report(source: Path) -> GateResult:
    try:
        return result_from_report(json.loads(source.read_text(encoding="utf-8")))
    except (ValueError, KeyError, TypeError) as exc:
        raise ProjectError(f"--from {source} is not a gate JSON report: {exc}") from exc


def _run_report(args: argparse.Namespace) -> int:
    """Re-render a JSON report, so CI runs the gate once and publishes every format; the
    reports of every shard of a run are merged into the result the whole run gives."""
    _check_output(args.output)
    results = [_read_report(source) for source in args.sources]
    if len(results) == 1 and results[0].shard is None:
        result = results[0]
    else:
        result = merge_results(results)
    _write(render(result, args.format, REPOSITORY_ROOT), args.output)
    return result.exit_code


def _shard(value: str | None) -> tuple[int, int] | None:
    if value is None:
        return None
    parts = value.split("/")
    if len(parts) == 2 and all(part.isdigit() for part in parts):
        index, count = int(parts[0]), int(parts[1])
        if 1 <= index <= count:
            return index, count
    raise ProjectError(f"--shard: expected K/N with 1 <= K <= N (such as 2/4), got {value!r}")


def _progress(args: argparse.Namespace) -> Callable[[str], None] | None:
    wanted = args.progress
    if wanted is None:
        wanted = sys.stderr.isatty() and not os.environ.get("CI")
    if not wanted:
        return None

    def say(line: str) -> None:
        # One write per line: plans finish on several threads at once.
        sys.stderr.write(f"gate: {line}\n")
        sys.stderr.flush()

    return say


def _run_check(args: argparse.Namespace) -> int:
    _check_output(args.output)
    if args.policy_timeout <= 0:
        raise ProjectError(
            f"--policy-timeout: expected a number of seconds above 0, got {args.policy_timeout}"
        )
    packs = args.policy_pack or [DEFAULT_PACK]
    pack_config = args.policy_pack_config
    if pack_config is None and args.policy_pack is None and DEFAULT_PACK_CONFIG.is_file():
        pack_config = DEFAULT_PACK_CONFIG
    if args.all_stacks == bool(args.stack):
        raise ProjectError("name stacks with --stack NAME (repeatable), or pass --all-stacks")
    if args.jobs < 1:
        raise ProjectError(f"--jobs: expected a number of stacks at least 1, got {args.jobs}")
    shard = _shard(args.shard)
    for path, flag in [(p, "--policy-pack") for p in packs] + [(args.baseline, "--baseline")]:
        if path is not None and not Path(path).exists():
            raise ProjectError(f"{flag} {path} does not exist")
    options = CheckOptions(
        programs=[Path(p) for p in _programs(args)],
        stacks=None if args.all_stacks else list(args.stack),
        policy_packs=[Path(p) for p in packs],
        policy_pack_config=pack_config,
        checkov=not args.no_checkov,
        baseline=args.baseline,
        engine=_engine_options(args),
        policy_timeout=args.policy_timeout,
        jobs=args.jobs,
        warm=not args.cold,
        shard=shard,
        progress=_progress(args),
    )
    result = run_check(options)
    _write(render(result, args.format, REPOSITORY_ROOT), args.output)
    if args.output is not None and args.format != "text":
        print(render(result, "text", REPOSITORY_ROOT))
    return result.exit_code


def main(argv: Sequence[str] | None = None) -> int:
    """Exit 0 only when everything ran to the end and passed; every failure is one clear
    message and exit 2 (a traceback only with --debug, or the program's own frames)."""
    args = _build_parser().parse_args(argv)
    debug = bool(getattr(args, "debug", False))
    try:
        if args.command == "plan":
            return _run_plan(args)
        if args.command == "check":
            return _run_check(args)
        if args.command == "report":
            return _run_report(args)
    except BROKEN as exc:
        print(f"gate: error: {exc}", file=sys.stderr)
        details = getattr(exc, "details", "")
        program_traceback = getattr(exc, "program_traceback", "")
        if debug and details:
            print(details.rstrip(), file=sys.stderr)
        elif program_traceback:
            print(program_traceback.rstrip(), file=sys.stderr)
        return EXIT_BROKEN
    except Exception as exc:  # noqa: BLE001 - a gate bug must never look like a pass or a finding
        print(f"gate: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        if debug:
            traceback.print_exc()
        else:
            print("gate: run again with --debug for the traceback", file=sys.stderr)
        return EXIT_BROKEN
    return EXIT_BROKEN
