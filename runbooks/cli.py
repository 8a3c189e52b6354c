"""`python -m runbooks <command> --stack <name>`: the runbooks' executable steps.

Exit codes: 0 done (or a dry run), 1 AWS or Pulumi refused, 2 bad flags or inputs.

Example:
    $ python -m runbooks dlq-inspect --stack dev
    $ python -m runbooks dlq-redrive --stack dev          # dry run: says what it would do
    $ python -m runbooks dlq-redrive --stack dev --yes    # does it
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from botocore.exceptions import BotoCoreError, ClientError  # type: ignore[import-untyped]

from runbooks import api_access, deployments, dlq, lint, processing, reprocess, results
from runbooks.catalog import RUNBOOKS_DIR
from runbooks.command import Command
from runbooks.targets import Runner, Targets, ToolError, UsageError, add_target_arguments

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2

COMMANDS: list[Command] = [
    *dlq.COMMANDS,
    *results.COMMANDS,
    *reprocess.COMMANDS,
    *processing.COMMANDS,
    *api_access.COMMANDS,
    *deployments.COMMANDS,
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m runbooks",
        description="Executable runbook steps. Mutating commands are dry runs without --yes.",
    )
    subcommands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        subparser = subcommands.add_parser(
            command.name, help=command.help, description=command.help
        )
        add_target_arguments(subparser, command.targets)
        command.configure(subparser)
        if command.mutating:
            subparser.add_argument(
                "--yes", action="store_true", help="apply the change (without it: a dry run)"
            )
        subparser.set_defaults(run=command.run)
    checker = subcommands.add_parser(
        "lint", help="check the runbooks: sections, links, escalation roles, commands"
    )
    checker.add_argument(
        "--dir", type=Path, default=RUNBOOKS_DIR, help="runbooks directory to check"
    )
    checker.set_defaults(run=None)
    return parser


def _lint(directory: Path) -> int:
    problems = lint.lint_directory(directory, build_parser())
    for problem in problems:
        print(problem)
    print(f"{len(problems)} problem(s) in {directory}")
    return EXIT_FAILED if problems else EXIT_OK


def main(argv: Sequence[str] | None = None, runner: Runner = subprocess.run) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        # argparse has printed the usage error (exit 2) or the help (exit 0).
        return int(exit_.code or 0)
    try:
        if args.run is None:
            return _lint(args.dir)
        return int(args.run(args, Targets.from_args(args, runner)))
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ToolError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except ClientError as exc:
        error = exc.response.get("Error", {})
        print(
            f"error: AWS refused {exc.operation_name}: {error.get('Code', '?')}: "
            f"{error.get('Message', '')}",
            file=sys.stderr,
        )
        return EXIT_FAILED
    except BotoCoreError as exc:
        print(f"error: AWS call failed: {exc}", file=sys.stderr)
        return EXIT_FAILED
