"""The one way a runbook tool changes anything: say exactly what, then act only on --yes;
and, after changing a resource the stack owns, say how to reconcile it with Pulumi.

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
# The `drift` workflow's daily `pulumi refresh --preview-only --expect-no-changes`.
DRIFT_CHECK = "The daily drift check (issue `Drift: <stack>`)"
REFRESHING_DEPLOY = "`pulumi up --refresh` (or `pulumi refresh` before `pulumi up`)"


def confirmed(changes: Sequence[str], *, yes: bool) -> bool:
    """Print the planned changes; True only when the caller passed --yes."""
    print("Will change:")
    for change in changes:
        print(f"  - {change}")
    if not yes:
        print(DRY_RUN_NOTICE)
        return False
    return True


def print_reconciliation(drift: str, ways: Sequence[str], refresh_undoes: str) -> None:
    """After a deliberate change to a resource the stack's program owns: the drift that
    `DRIFT_CHECK` now reports, each way to make the stack and the account agree, and what
    a refreshing deploy would undo meanwhile (a plain `pulumi up` compares the program
    with Pulumi's state, not with the account, so it leaves the change in place).

    Example:
        >>> print_reconciliation("rateLimit 5", ["revert: a", "or keep: b"], "restores 50")
        Drift: rateLimit 5.
        The daily drift check (issue `Drift: <stack>`) reports it until you
          - revert: a
          - or keep: b
        Until then, `pulumi up --refresh` (or `pulumi refresh` before `pulumi up`) restores 50.
    """
    print(f"Drift: {drift}.")
    print(f"{DRIFT_CHECK} reports it until you")
    for way in ways:
        print(f"  - {way}")
    print(f"Until then, {REFRESHING_DEPLOY} {refresh_undoes}.")
