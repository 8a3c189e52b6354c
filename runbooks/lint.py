"""Lint the runbooks, so a runbook that someone follows at 3 a.m. is complete and correct.

Each runbook has the sections of `TEMPLATE.md` in its order, every relative link
resolves, escalation names roles (never people), and every command in a code block
is one that exists: `python -m runbooks ...` lines parse with the real CLI parser, and
`aws <service> <operation> --option ...` lines name a real operation and its options
(from the botocore service models the AWS CLI is built on).

Example:
    >>> from runbooks.catalog import RUNBOOKS_DIR
    >>> from runbooks.cli import build_parser
    >>> lint_directory(RUNBOOKS_DIR, build_parser())
    []
"""

from __future__ import annotations

import argparse
import contextlib
import io
import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import botocore.session  # type: ignore[import-untyped]
from botocore import xform_name

from runbooks.catalog import ESCALATION_ROLES, TEMPLATE, runbook_files

ESCALATION_SECTION = "## Escalation"
TOOL_PREFIX = "python -m runbooks"

_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_MENTION = re.compile(r"(?<![\w.`/])@[A-Za-z][\w-]*")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
_LIST_ITEM = re.compile(r"^\s*(?:[-*]|\d+\.)\s+")
_AWS_COMMAND = re.compile(r"(?<![\w-])aws\s+([a-z0-9-]+)\s+([a-z0-9-]+)")

# The AWS CLI's own names for services whose botocore model has another name.
_CLI_SERVICES = {"s3api": "s3", "deploy": "codedeploy"}
# Commands the AWS CLI adds on top of the service models, with their options.
_CLI_CUSTOM_COMMANDS: dict[tuple[str, str], frozenset[str]] = {
    ("logs", "tail"): frozenset(
        {"since", "follow", "filter-pattern", "format", "log-stream-names"}
    ),
    ("s3", "ls"): frozenset({"recursive", "human-readable", "summarize"}),
}
_CLI_GLOBAL_OPTIONS = frozenset(
    {
        "query",
        "output",
        "region",
        "profile",
        "no-paginate",
        "no-cli-pager",
        "max-items",
        "starting-token",
        "page-size",
        "cli-binary-format",
        "cli-input-json",
    }
)


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def required_sections(template: Path) -> list[str]:
    """The `## ` headings of the template, in order: every runbook has them."""
    lines = template.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.startswith("## ")]


def lint_directory(directory: Path, parser: argparse.ArgumentParser) -> list[Problem]:
    sections = required_sections(directory / TEMPLATE)
    problems: list[Problem] = []
    for path in [directory / TEMPLATE, directory / "README.md", *runbook_files(directory)]:
        if path.is_file():
            problems += lint_links(path) + lint_commands(path, parser)
    for path in runbook_files(directory):
        problems += lint_sections(path, sections) + lint_escalation(path)
    return problems


def lint_sections(path: Path, required: list[str]) -> list[Problem]:
    lines = path.read_text(encoding="utf-8").splitlines()
    problems = []
    if not lines or not lines[0].startswith("# "):
        problems.append(Problem(path, 1, "expected a '# ' title on the first line"))
    headings = [line.strip() for line in lines if line.startswith("## ")]
    missing = [section for section in required if section not in headings]
    for section in missing:
        problems.append(Problem(path, 1, f"missing section '{section}' (see {TEMPLATE})"))
    present = [heading for heading in headings if heading in required]
    if not missing and present != required:
        problems.append(
            Problem(path, 1, f"sections out of order: expected {required}, got {present}")
        )
    return problems


def lint_links(path: Path) -> list[Problem]:
    problems = []
    for number, line in _prose_lines(path):
        for target in _LINK.findall(line):
            if _SCHEME.match(target) or target.startswith("#"):
                continue
            relative = target.split("#", 1)[0]
            if not (path.parent / relative).exists():
                problems.append(Problem(path, number, f"link target '{target}' does not exist"))
    return problems


def lint_escalation(path: Path) -> list[Problem]:
    """Escalation items each name an allowed role; nothing anywhere names a person."""
    problems = []
    for number, line in _prose_lines(path):
        for found in _MENTION.findall(line) + _EMAIL.findall(line):
            problems.append(
                Problem(path, number, f"'{found}' names a person or mailbox: name a role instead")
            )
    roles = [role.lower() for role in ESCALATION_ROLES]
    for number, item in _escalation_items(path):
        if not any(role in item.lower() for role in roles):
            problems.append(
                Problem(
                    path,
                    number,
                    f"escalation step names none of the roles {', '.join(ESCALATION_ROLES)}: "
                    f"{item!r}",
                )
            )
    return problems


def _escalation_items(path: Path) -> Iterator[tuple[int, str]]:
    """The list items of the Escalation section, each with its continuation lines."""
    in_section = False
    item: list[str] = []
    start = 0
    for number, line in _prose_lines(path):
        starts_item = in_section and _LIST_ITEM.match(line) is not None
        continues = in_section and item and line.startswith(" ") and line.strip()
        if item and not continues:
            yield start, " ".join(item)
            item = []
        if line.startswith("## "):
            in_section = line.strip() == ESCALATION_SECTION
        elif starts_item:
            start, item = number, [line.strip()]
        elif continues:
            item.append(line.strip())
    if item:
        yield start, " ".join(item)


def lint_commands(path: Path, parser: argparse.ArgumentParser) -> list[Problem]:
    problems = []
    for number, command in _code_commands(path):
        if command.startswith(TOOL_PREFIX):
            message = _tool_command_error(parser, command)
            if message:
                problems.append(Problem(path, number, f"`{command}`: {message}"))
        for match in _AWS_COMMAND.finditer(command):
            message = _aws_command_error(command[match.start() :])
            if message:
                problems.append(Problem(path, number, f"`{command}`: {message}"))
    return problems


def _prose_lines(path: Path) -> Iterator[tuple[int, str]]:
    """Lines outside fenced code blocks, with inline code removed."""
    fenced = False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        if not fenced:
            yield number, re.sub(r"`[^`]*`", "``", line)


def _code_commands(path: Path) -> Iterator[tuple[int, str]]:
    """Shell commands in fenced code blocks, continuation lines joined."""
    fenced = False
    pending: list[str] = []
    start = 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        if not fenced:
            continue
        if not pending:
            start = number
        stripped = line.strip()
        if stripped.endswith("\\"):
            pending.append(stripped[:-1].strip())
            continue
        pending.append(stripped)
        command = " ".join(part for part in pending if part)
        pending = []
        if command and not command.startswith("#"):
            yield start, command


def _shell_words(command: str) -> list[str]:
    """The words of one simple command: up to a pipe, `;`, `&&`, `)` or a comment."""
    lexer = shlex.shlex(command, posix=True, punctuation_chars="|;&()")
    lexer.whitespace_split = True
    words = []
    for word in lexer:
        if word and set(word) <= set("|;&()"):
            break
        words.append(word)
    return words


def _tool_command_error(parser: argparse.ArgumentParser, command: str) -> str:
    words = _shell_words(command)[len(TOOL_PREFIX.split()) :]
    errors = io.StringIO()
    with contextlib.redirect_stderr(errors), contextlib.redirect_stdout(io.StringIO()):
        try:
            parser.parse_args(words)
        except SystemExit:
            return errors.getvalue().strip().splitlines()[-1] if errors.getvalue() else "invalid"
    return ""


@cache
def _botocore_session() -> botocore.session.Session:
    return botocore.session.get_session()


def _aws_command_error(command: str) -> str:
    words = _shell_words(command)
    if len(words) < 3:
        return "expected `aws <service> <operation>`"
    service, operation = _CLI_SERVICES.get(words[1], words[1]), words[2]
    options = {word[2:].split("=", 1)[0] for word in words[3:] if word.startswith("--")}
    custom = _CLI_CUSTOM_COMMANDS.get((words[1], operation))
    if custom is not None:
        allowed = set(custom)
    else:
        session = _botocore_session()
        if service not in session.get_available_services():
            return f"unknown AWS CLI service '{words[1]}'"
        model = session.get_service_model(service)
        operations = {xform_name(name, "-"): name for name in model.operation_names}
        if operation == "wait":
            return ""
        if operation not in operations:
            return f"'aws {words[1]}' has no operation '{operation}'"
        shape = model.operation_model(operations[operation]).input_shape
        allowed = {xform_name(member, "-") for member in (shape.members if shape else {})}
    allowed |= _CLI_GLOBAL_OPTIONS
    # Boolean options also come as --no-<name>.
    unknown = sorted(o for o in options if not {o, o.removeprefix("no-")} & allowed)
    return f"unknown option(s) {', '.join('--' + o for o in unknown)}" if unknown else ""
