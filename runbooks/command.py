"""What a runbook command is: its name, the resources it needs, its flags and its action."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass

from runbooks.targets import Targets


@dataclass(frozen=True)
class Command:
    """One `python -m runbooks <name>` command.

    `targets` names the resources it acts on (see `runbooks.targets.TARGETS`); a
    mutating command gets `--yes` and is a dry run without it.
    """

    name: str
    help: str
    targets: tuple[str, ...]
    run: Callable[[argparse.Namespace, Targets], int]
    configure: Callable[[argparse.ArgumentParser], None] = lambda parser: None
    mutating: bool = False


def bounded_int(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: an integer in [low, high]; argparse names the flag on error."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected an integer, got {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"expected {low}..{high}, got {value}")
        return value

    return parse
