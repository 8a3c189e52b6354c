"""The one way a runbook tool changes anything: say exactly what, then act only on --yes.

Example:
    >>> if confirmed(["disable event source mapping 1234"], yes=False):
    ...     pass  # never reached in a dry run
    Will change:
      - disable event source mapping 1234
    Dry run: nothing was changed. Re-run with --yes to apply.
"""

from __future__ import annotations

from collections.abc import Sequence

DRY_RUN_NOTICE = "Dry run: nothing was changed. Re-run with --yes to apply."


def confirmed(changes: Sequence[str], *, yes: bool) -> bool:
    """Print the planned changes; True only when the caller passed --yes."""
    print("Will change:")
    for change in changes:
        print(f"  - {change}")
    if not yes:
        print(DRY_RUN_NOTICE)
        return False
    return True
