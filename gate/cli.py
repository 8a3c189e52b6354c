"""`python -m gate`: the command-line entry point.

Exit codes: 0 passed, 1 mandatory findings, 2 the program or the call is broken.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from gate.engine import EngineError, build_plan
from gate.plan import render_text
from gate.project import ProjectError, load_project

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_BROKEN = 2


def _stacks(args: argparse.Namespace) -> list[str]:
    if args.all_stacks:
        stacks = load_project(args.program).stack_names()
        if not stacks:
            raise ProjectError(f"no Pulumi.<stack>.yaml files in {args.program}")
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
        "--program", default=".", metavar="DIR", help="Pulumi program directory (default .)"
    )


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
    plan.add_argument("--format", choices=["text", "json"], default="text")
    return parser


def _run_plan(args: argparse.Namespace) -> int:
    plans = [build_plan(args.program, stack) for stack in _stacks(args)]
    if args.format == "json":
        documents = [plan.to_dict() for plan in plans]
        print(json.dumps(documents[0] if len(documents) == 1 else documents, indent=2))
    else:
        print("\n\n".join(render_text(plan) for plan in plans))
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    args = _build_parser().parse_args(argv)
    try:
        if args.command == "plan":
            return _run_plan(args)
    except (EngineError, ProjectError) as exc:
        print(f"gate: error: {exc}", file=sys.stderr)
        details = getattr(exc, "details", "")
        if details:
            print(details.rstrip(), file=sys.stderr)
        return EXIT_BROKEN
    return EXIT_BROKEN
