"""Policy packs run in a process of their own, never in the gate's.

A pack is code a repository ships: a policy may raise, call `sys.exit`, `os._exit`, kill
its process or loop forever. Any of these inside the gate's own process could end it
with exit 0 and no report. So the packs are loaded and evaluated in a forked worker; the
worker tells the gate which pack, policy and stack it is running before each call, and
sends back the findings when it is done. The stack arrives as a message (its time limit
starts again); the pack and policy, which change on every call, are written to memory
the two processes share, which costs no system call (a message per call was most of the
evaluation's time). Whatever else happens, the gate raises
`PolicyPackError` naming the pack, the policy, the stack and what happened, and the
command exits 2.

Example:
    >>> IsolatedWorker(lambda progress: 42).result(timeout=5)
    42
"""

from __future__ import annotations

import ctypes
import multiprocessing
import signal
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

from gate.crossguard.loader import PolicyPackError

DEFAULT_POLICY_TIMEOUT_SECONDS = 60.0
_POLL_SECONDS = 0.2
# Room for "<pack>\x1f<policy>" in the shared memory; longer names are cut.
_STEP_BYTES = 1024
_SEPARATOR = "\x1f"
T = TypeVar("T")


@dataclass
class Step:
    """Where the worker is: the stack, the pack, and the policy it is running (if any)."""

    stack: str = ""
    pack: str = ""
    policy: str = ""

    def describe(self) -> str:
        parts = []
        if self.pack:
            parts.append(f"policy pack '{self.pack}'")
        if self.policy:
            parts.append(f"policy '{self.policy}'")
        if self.stack:
            parts.append(f"stack '{self.stack}'")
        return ", ".join(parts) or "loading the policy packs"


class _SharedStep:
    """The pack and policy the worker is running, in memory both processes see."""

    def __init__(self, context: Any) -> None:
        self._buffer = context.RawArray(ctypes.c_char, _STEP_BYTES)

    def write(self, pack: str, policy: str) -> None:
        encoded = f"{pack}{_SEPARATOR}{policy}".encode("utf-8", "replace")
        self._buffer.value = encoded[: _STEP_BYTES - 1]

    def read(self) -> tuple[str, str]:
        pack, _, policy = self._buffer.value.decode("utf-8", "replace").partition(_SEPARATOR)
        return pack, policy


class Progress:
    """The worker's side: reports each step to the gate before taking it."""

    def __init__(self, connection: Connection, shared: _SharedStep) -> None:
        self._connection = connection
        self._shared = shared
        self.step = Step()

    def stack(self, name: str) -> None:
        """A new stack starts: its time limit starts again."""
        self.step = Step(stack=name)
        self._shared.write("", "")
        self._connection.send(("stack", name))

    def waiting(self) -> None:
        """The worker waits for its next stack: no time limit runs while it does."""
        self.step = Step()
        self._shared.write("", "")
        self._connection.send(("waiting",))

    def policy(self, pack: str, policy: str) -> None:
        if (pack, policy) != (self.step.pack, self.step.policy):
            self.step.pack, self.step.policy = pack, policy
            self._shared.write(pack, policy)


def _worker(work: Callable[[Progress], Any], connection: Connection, shared: _SharedStep) -> None:
    progress = Progress(connection, shared)
    try:
        result = work(progress)
    except PolicyPackError as error:
        connection.send(("error", str(error), error.details))
    except BaseException as error:  # noqa: BLE001 - SystemExit and KeyboardInterrupt too
        what = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
        connection.send(
            ("error", f"{progress.step.describe()}: raised {what}", traceback.format_exc())
        )
    else:
        connection.send(("result", result))
    connection.close()


def _ended(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            return f"was killed by {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"was killed by signal {-exitcode}"
    return f"exited with code {exitcode}"


class IsolatedWorker(Generic[T]):
    """`work` in a forked worker, forked when this is made; `result` watches it.

    Fork in the thread that makes it, before the run starts other processes: a fork
    while another thread is starting a subprocess would copy that subprocess's
    exec-status pipe into the worker, and the starting thread would wait on it for as
    long as the worker lives."""

    def __init__(self, work: Callable[[Progress], T]) -> None:
        context = multiprocessing.get_context("fork")
        self._receiver, sender = context.Pipe(duplex=False)
        self._shared = _SharedStep(context)
        self._process = context.Process(
            target=_worker, args=(work, sender, self._shared), daemon=True
        )
        self._process.start()
        sender.close()

    def result(self, timeout: float) -> T:
        """What `work` returned. Each stack it reports (`progress.stack`) may take
        `timeout` seconds; while it waits for work (`progress.waiting`) no limit runs.
        Raises PolicyPackError when the worker raises, exits, is killed or runs out of
        time, naming where it was."""
        process, receiver, shared = self._process, self._receiver, self._shared
        step = Step()
        # When the current stack started; None while the worker waits for one.
        started: float | None = time.monotonic()

        def where() -> Step:
            # Read once the worker has stopped (or is stopped): the policy it was running.
            if process.is_alive():
                process.kill()
                process.join(5)
            step.pack, step.policy = shared.read()
            return step

        try:
            while True:
                if receiver.poll(_POLL_SECONDS):
                    try:
                        message = receiver.recv()
                    except EOFError:
                        process.join(5)
                        raise PolicyPackError(
                            f"{where().describe()}: the policy process "
                            f"{_ended(process.exitcode)} without a result; a policy must "
                            "not exit or kill its process"
                        ) from None
                    kind = message[0]
                    if kind == "stack":
                        step = Step(stack=message[1])
                        started = time.monotonic()
                    elif kind == "waiting":
                        step = Step()
                        started = None
                    elif kind == "error":
                        raise PolicyPackError(message[1], details=message[2])
                    elif kind == "result":
                        return message[1]
                    continue
                if started is not None and time.monotonic() - started > timeout:
                    raise PolicyPackError(
                        f"{where().describe()}: did not finish within {timeout:g}s "
                        "(--policy-timeout); the policy process was stopped"
                    )
                if not process.is_alive() and not receiver.poll():
                    raise PolicyPackError(
                        f"{where().describe()}: the policy process {_ended(process.exitcode)} "
                        "without a result; a policy must not exit or kill its process"
                    )
        finally:
            if process.is_alive():
                process.kill()
            process.join(5)
            receiver.close()
