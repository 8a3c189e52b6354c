"""Running a program's interpreter as a bounded child: its own process group, a time
limit, and at most a fixed amount of its output kept.

A program may start children of its own (a build, a server, `sleep 1000 &`). Waiting for
the output pipes to close would wait for them too, so the gate waits for the direct
child only, and as soon as it has exited (its result is on disk by then) or the time is
up, the whole process group is ended: nothing the program started outlives the gate.
Output is read as it comes, and only its last `OUTPUT_LIMIT_BYTES` are kept.

Example:
    >>> run_bounded(["python3", "-c", "print('hi')"], cwd=".", timeout=10).stdout
    'hi\\n'
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
from collections import deque
from dataclasses import dataclass
from typing import IO

OUTPUT_LIMIT_BYTES = 256 * 1024
_CHUNK = 64 * 1024


class _Tail:
    """Keeps the last `limit` bytes of a stream and counts what it dropped."""

    def __init__(self, stream: IO[bytes], limit: int) -> None:
        self._fd = stream.fileno()
        self._limit = limit
        self._chunks: deque[bytes] = deque()
        self._kept = 0
        self.dropped = 0
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        while chunk := os.read(self._fd, _CHUNK):
            self._chunks.append(chunk)
            self._kept += len(chunk)
            while self._kept - len(self._chunks[0]) >= self._limit:
                first = self._chunks.popleft()
                self._kept -= len(first)
                self.dropped += len(first)

    def text(self, wait: float) -> str:
        self._thread.join(wait)
        return tail_text(b"".join(self._chunks), self._limit, self.dropped)


def tail_text(data: bytes, limit: int = OUTPUT_LIMIT_BYTES, dropped: int = 0) -> str:
    """The last `limit` bytes of `data` as text, saying how many earlier ones were dropped
    (`dropped` of them before `data` began).

    Example:
        >>> tail_text(b"abcdef", limit=2)
        '[4 earlier bytes of output dropped]\\nef'
    """
    if len(data) > limit:
        dropped += len(data) - limit
        data = data[-limit:]
    text = data.decode("utf-8", errors="replace")
    return f"[{dropped} earlier bytes of output dropped]\n{text}" if dropped else text


@dataclass(frozen=True)
class Completed:
    returncode: int | None
    stdout: str
    stderr: str
    timed_out: bool


def _end_group(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


def run_bounded(
    command: list[str],
    cwd: str | os.PathLike[str],
    timeout: float,
    env: dict[str, str] | None = None,
    limit: int = OUTPUT_LIMIT_BYTES,
) -> Completed:
    """Run `command` in a new session; return when it exits or `timeout` passes, with
    its process group ended either way."""
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    if process.stdout is None or process.stderr is None:  # pragma: no cover - PIPE asked
        raise RuntimeError("the child's output pipes are missing")
    stdout, stderr = _Tail(process.stdout, limit), _Tail(process.stderr, limit)
    timed_out = False
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
    finally:
        _end_group(process)
        process.wait()
    # The group is gone, so the pipes close: the readers finish at once.
    return Completed(process.returncode, stdout.text(5), stderr.text(5), timed_out)
