"""The warm engine's server: an interpreter that imports the Pulumi SDK once, then forks a
clean child for every plan.

Most of a plan's time is importing the SDK's modules (pulumi-aws builds thousands of
classes), and every stack in a fresh interpreter paid it again. This process pays it
once. It never runs a program itself: each plan runs in a child forked from it, with the
same state a fresh interpreter would have after those imports, and exits when its plan
is written. Children run side by side; nothing one does reaches the next.

It speaks lines of JSON on stdin and stdout, one process, one thread (forking a
threaded process is unsafe):

- in: `{"preload": [modules]}`: import more SDK modules before the next forks;
- in: `{"id": n, "request": path, "output": path, "log": path, "cwd": dir}`: fork a child
  that runs `gate.engine.runner` on the request, with its stdout and stderr in `log`,
  as the leader of its own process group (so the gate can end all it started);
- out: `{"ready": true}` once the SDK is imported, `{"started": n, "pid": pid}`, and
  `{"exited": n, "code": code}` when child `n` has ended (a signal is 128 + its number).

It imports only the standard library, the SDK and the gate's engine modules, which is
what `gate.engine.runner` runs with anyway.
"""

from __future__ import annotations

import importlib
import json
import os
import select
import sys
from typing import Any

# What every plan imports before it runs a program.
BASE_MODULES = ("pulumi", "pulumi.runtime", "gate.engine.runner", "gate.engine.mocks")
_POLL_SECONDS = 0.05


def _send(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def preload(modules: list[str]) -> None:
    """Import SDK modules (never a program's own: importing may run its code).

    Provider SDKs import their service modules lazily (`importlib.util.LazyLoader`): a
    module in `sys.modules` may not have run yet. So only packages are imported (a
    package imports its own submodules, as the program's first use of it would), parents
    before children, and each is made to run by asking it for an attribute (the lazy
    loader runs a module on any attribute but its introspection ones)."""
    packages = sorted(
        {name for name in modules if name.count(".") <= 1}, key=lambda n: (n.count("."), n)
    )
    for name in packages:
        try:
            getattr(importlib.import_module(name), "__all__", None)
        except Exception:  # noqa: BLE001 - a module that will not import is the child's to report
            continue


def _warm_schemas() -> None:
    """Load the shape tables of the SDK packages imported so far, as every plan would."""
    from gate.engine import mocks

    schemas = mocks.shared_schema_index()
    for name in list(sys.modules):
        if "." not in name and name.startswith("pulumi_"):
            schemas.source_of(f"{name.removeprefix('pulumi_')}:index:Warm")


def _child(request: dict[str, Any]) -> None:
    """Become a plan: own process group, own output, the runner's arguments."""
    try:
        os.setsid()
        log = os.open(request["log"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(log, 1)
        os.dup2(log, 2)
        os.close(log)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        sys.stdout = os.fdopen(1, "w", buffering=1)
        sys.stderr = os.fdopen(2, "w", buffering=1)
        os.chdir(request["cwd"])
        sys.argv = ["gate-plan", request["request"], request["output"]]
        from gate.engine.runner import main

        main()  # writes the result and leaves with os._exit
    finally:
        os._exit(70)


def serve() -> None:
    preload(list(BASE_MODULES))
    _warm_schemas()
    _send({"ready": True})
    running: dict[int, int] = {}
    pending = b""
    stdin_open = True
    while stdin_open or running:
        readable: list[Any] = []
        if stdin_open:
            readable, _, _ = select.select([0], [], [], _POLL_SECONDS)
        if readable:
            # Raw reads: a buffered readline could keep a second line where select
            # never sees it again.
            chunk = os.read(0, 65536)
            if not chunk:
                stdin_open = False
            pending += chunk
            *lines, pending = pending.split(b"\n")
            for line in lines:
                if line.strip():
                    _handle(json.loads(line), running)
        elif not stdin_open:
            # Nothing more will come: wait for the children still running.
            pid, status = os.waitpid(-1, 0)
            _report(pid, status, running)
        while running:
            pid, status = os.waitpid(-1, os.WNOHANG)
            if pid == 0:
                break
            _report(pid, status, running)
    # Leave without the interpreter's teardown: freeing every preloaded module takes
    # about a second, which the gate would wait for. Nothing is left to flush.
    sys.stdout.flush()
    os._exit(0)


def _handle(message: dict[str, Any], running: dict[int, int]) -> None:
    if "preload" in message:
        preload(message["preload"])
        _warm_schemas()
        return
    pid = os.fork()
    if pid == 0:
        _child(message)
    running[pid] = message["id"]
    _send({"started": message["id"], "pid": pid})


def _report(pid: int, status: int, running: dict[int, int]) -> None:
    if pid not in running:
        return
    code = os.waitstatus_to_exitcode(status)
    _send({"exited": running.pop(pid), "code": 128 - code if code < 0 else code})


if __name__ == "__main__":
    serve()
