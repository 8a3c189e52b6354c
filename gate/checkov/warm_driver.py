"""checkov, imported before it is needed (run by checkov's own interpreter, never the gate's).

The gate starts this as soon as a run begins: importing checkov is most of its start-up
(about 3.5 s of 4), and here it happens while the stacks plan. Then, as each plan is
written, the gate sends one line of JSON:

    {"id": n, "argv": [program, *arguments], "stdout": path, "stderr": path}

and this forks a child that runs exactly what checkov's console script runs with those
arguments, with its output in those files; when the child ends it answers
`{"id": n, "code": exit code}` (a signal is its negative number). Up to `argv[1]` scans
(the gate's `--jobs`) run at once, started in the order asked. A child starts from the
state checkov's import left, as a fresh `checkov` process would: one checkov run leaves
state behind that changes the next one's report, so no two scans ever share a process.
End of input: it exits once every scan has ended.

It imports only the standard library and checkov: it runs in checkov's environment.
"""

import importlib
import json
import os
import select
import sys
import traceback
import warnings
from typing import Any

# checkov's entry point, once imported (`_import_checkov`).
_checkov: Any = None


def _import_checkov() -> None:
    global _checkov
    # Python put this file's folder first on the path, and it holds gate modules named
    # as modules checkov imports (`schema`, ...). checkov's console script has its own
    # folder there, the environment's bin folder: put that first instead.
    sys.path[0] = os.path.dirname(sys.executable)
    with warnings.catch_warnings():
        # As checkov's console script: its modules' SyntaxWarnings are not the user's.
        warnings.simplefilter("ignore", category=SyntaxWarning)
        _checkov = importlib.import_module("checkov.main").Checkov


def _run_checkov(command: list[str]) -> int:
    # checkov reads sys.argv for its default config paths; its own argv default was
    # fixed when it was imported, so both are set.
    sys.argv = [str(part) for part in command]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=SyntaxWarning)
        return int(_checkov(argv=sys.argv[1:]).run() or 0)


def _start_scan(request: dict) -> int:
    """Fork the child that runs one scan; returns its pid."""
    pid = os.fork()
    if pid == 0:
        code = 2
        try:
            with open(request["stdout"], "w") as out, open(request["stderr"], "w") as err:
                os.dup2(out.fileno(), 1)
                os.dup2(err.fileno(), 2)
                try:
                    code = _run_checkov(request["argv"])
                except SystemExit as exit_:
                    code = exit_.code if isinstance(exit_.code, int) else 1
                except BaseException:  # noqa: BLE001 - reported as checkov's crash
                    traceback.print_exc()
                finally:
                    sys.stdout.flush()
                    sys.stderr.flush()
        finally:
            os._exit(code)
    return pid


def _answer(scan_id: int, code: int) -> None:
    sys.stdout.write(json.dumps({"id": scan_id, "code": code}) + "\n")
    sys.stdout.flush()


def main() -> int:
    _import_checkov()
    # At most this many scans at once (the gate's --jobs); the rest wait their turn.
    parallel = max(1, int(sys.argv[1])) if len(sys.argv) > 1 else 1
    waiting: list[dict] = []
    running: dict[int, int] = {}  # pid -> scan id
    received = b""
    open_input = True
    while open_input or waiting or running:
        while waiting and len(running) < parallel:
            request = waiting.pop(0)
            running[_start_scan(request)] = request["id"]
        # Wait for a request or a scan's end, whichever comes first.
        if open_input and select.select([0], [], [], 0.05 if running else None)[0]:
            chunk = os.read(0, 65536)
            if not chunk:
                open_input = False
            received += chunk
            *lines, received = received.split(b"\n")
            waiting += [json.loads(line) for line in lines if line.strip()]
        elif not open_input and running:
            # Nothing more will come: wait for a scan to end.
            pid, status = os.waitpid(-1, 0)
            _answer(running.pop(pid), os.waitstatus_to_exitcode(status))
        while running:
            pid, status = os.waitpid(-1, os.WNOHANG)
            if pid == 0:
                break
            _answer(running.pop(pid), os.waitstatus_to_exitcode(status))
    return 0


if __name__ == "__main__":
    sys.exit(main())
