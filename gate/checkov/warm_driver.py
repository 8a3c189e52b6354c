"""checkov, imported before it is needed (run by checkov's own interpreter, never the gate's).

The gate starts this as soon as a run begins: importing checkov is most of its start-up
(about 3.5 s of 4), and here it happens while the stacks plan. When the plans are
written, the gate sends one line, the JSON list `[program, *arguments]`, and this runs
exactly what checkov's console script runs with those arguments; its output and exit code
are checkov's. End of input without a line: the run needed no scan, and nothing runs.

It imports only the standard library and checkov: it runs in checkov's environment.
"""

import os
import sys

# Python put this file's folder first on the path, and it holds gate modules named as
# modules checkov imports (`schema`, ...). checkov's console script has its own folder
# there, the environment's bin folder: put that first instead, before importing more.
sys.path[0] = os.path.dirname(sys.executable)

import json  # noqa: E402 - only once the path is checkov's
import warnings  # noqa: E402

with warnings.catch_warnings():
    # As checkov's console script: its modules' SyntaxWarnings are not the user's.
    warnings.simplefilter("ignore", category=SyntaxWarning)
    from checkov.main import Checkov  # type: ignore[import-not-found]


def main() -> int:
    line = sys.stdin.readline()
    if not line.strip():
        return 0
    command = json.loads(line)
    # checkov reads sys.argv for its default config paths; its own argv default was
    # fixed when it was imported, so both are set.
    sys.argv = [str(part) for part in command]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=SyntaxWarning)
        return int(Checkov(argv=sys.argv[1:]).run() or 0)


if __name__ == "__main__":
    sys.exit(main())
