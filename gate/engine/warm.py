"""The gate's side of the warm engine (`gate.engine.zygote`): one server per interpreter,
plans run in children it forks, side by side.

A child is held to the same terms as a cold plan (`gate.engine.process.run_bounded`): a
time limit, then its whole process group ended; its process group ended as soon as it
has exited, so nothing it started outlives the plan; the last `OUTPUT_LIMIT_BYTES` of its
output kept for the error message. If the server itself dies, every plan waiting on it
fails with the server's own output: never a silent empty result.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import threading
from pathlib import Path
from typing import IO, Any

from gate.engine.process import OUTPUT_LIMIT_BYTES, Completed, tail_text

_GATE_ROOT = Path(__file__).resolve().parents[2]
_BOOT = (
    "import sys; sys.path.insert(0, sys.argv.pop(1)); from gate.engine.zygote import serve; serve()"
)
READY_TIMEOUT_SECONDS = 120


class WarmEngineError(Exception):
    """The warm engine's server could not start, or stopped."""

    def __init__(self, message: str, details: str = "") -> None:
        super().__init__(message)
        self.details = details


class _Waiter:
    def __init__(self) -> None:
        self.started = threading.Event()
        self.exited = threading.Event()
        self.pid = 0
        self.code = 0


class WarmEngine:
    """A running server for one interpreter. Thread-safe: `run` may be called from as
    many threads as plans should run at once."""

    def __init__(self, python: str, cwd: Path) -> None:
        self._process = subprocess.Popen(
            [python, "-c", _BOOT, str(_GATE_ROOT)],
            cwd=cwd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        self._lock = threading.Lock()
        self._waiters: dict[int, _Waiter] = {}
        self._next_id = 0
        self._stderr: list[str] = []
        self._ready = threading.Event()
        self._dead = threading.Event()
        self._preloaded: set[str] = set()
        if self._process.stdout is None or self._process.stderr is None:  # pragma: no cover
            raise WarmEngineError("the warm engine's pipes are missing")
        threading.Thread(target=self._read, args=(self._process.stdout,), daemon=True).start()
        threading.Thread(target=self._drain, args=(self._process.stderr,), daemon=True).start()
        if not self._ready.wait(READY_TIMEOUT_SECONDS) or self._dead.is_set():
            self.close()
            raise WarmEngineError(
                f"the warm engine for {python} did not start", details="".join(self._stderr)
            )

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            message = json.loads(line)
            if message.get("ready"):
                self._ready.set()
            elif "started" in message:
                waiter = self._waiters[message["started"]]
                waiter.pid = message["pid"]
                waiter.started.set()
            elif "exited" in message:
                waiter = self._waiters[message["exited"]]
                waiter.code = message["code"]
                waiter.exited.set()
        # The server is gone: release everyone still waiting on it.
        self._dead.set()
        self._ready.set()
        for waiter in list(self._waiters.values()):
            waiter.started.set()
            waiter.exited.set()

    def _drain(self, stream: IO[str]) -> None:
        for line in stream:
            if sum(map(len, self._stderr)) < OUTPUT_LIMIT_BYTES:
                self._stderr.append(line)

    def _send(self, message: dict[str, Any]) -> None:
        if self._dead.is_set() or self._process.stdin is None:
            raise WarmEngineError("the warm engine stopped", details="".join(self._stderr))
        with self._lock:
            self._process.stdin.write(json.dumps(message) + "\n")
            self._process.stdin.flush()

    def preload(self, modules: list[str]) -> None:
        """Import these SDK modules in the server, for the plans that start after."""
        new = sorted(set(modules) - self._preloaded)
        if new:
            self._preloaded.update(new)
            self._send({"preload": new})

    def run(self, request: Path, output: Path, cwd: Path, timeout: float) -> Completed:
        """Plan in a forked child, held to `run_bounded`'s terms."""
        with self._lock:
            self._next_id += 1
            plan_id = self._next_id
            waiter = self._waiters[plan_id] = _Waiter()
        log = output.with_suffix(".log")
        self._send(
            {
                "id": plan_id,
                "request": str(request),
                "output": str(output),
                "log": str(log),
                "cwd": str(cwd),
            }
        )
        if not waiter.started.wait(READY_TIMEOUT_SECONDS):
            raise WarmEngineError(
                "the warm engine did not start a plan", details="".join(self._stderr)
            )
        timed_out = not waiter.exited.wait(timeout)
        if waiter.pid:
            # The child is its process group's leader: end all it started.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(waiter.pid, signal.SIGKILL)
        if timed_out:
            waiter.exited.wait(5)
        died = self._dead.is_set() and not output.exists()
        text = _tail(log)
        if died:
            text += "".join(self._stderr)
        return Completed(
            returncode=waiter.code if not died else -1,
            stdout="",
            stderr=text,
            timed_out=timed_out,
        )

    def close(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            if self._process.stdin is not None:
                self._process.stdin.close()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self._process.wait(timeout=30)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self._process.pid, signal.SIGKILL)
        self._process.wait()


def _tail(log: Path) -> str:
    try:
        return tail_text(log.read_bytes())
    except OSError:
        return ""
