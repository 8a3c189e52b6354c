"""Evaluate each plan as soon as it is made, in isolated workers started before the first.

`gate check` used to plan every stack, then start its policy workers, which loaded the
packs and evaluated. Here the workers start with the run: each loads the packs while the
first stacks plan, then takes plans from one queue as the planner hands them over, so
evaluation overlaps planning and a slow stack holds up no other. Every worker is a
`gate.crossguard.isolation` worker: a pack that raises, exits, hangs or kills its process
is a `PolicyPackError` naming the pack, the policy and the stack; the time limit runs per
stack, never while a worker waits for its next plan.

Example:
    >>> evaluation = StreamingEvaluation(
    ...     prepare=lambda progress: 10,
    ...     evaluate=lambda ten, progress, item: ten * item,
    ...     label=str, workers=2, timeout=5)
    >>> for index, item in enumerate([1, 2, 3]):
    ...     evaluation.put(index, item)
    >>> evaluation.results()
    [10, 20, 30]
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Generic, TypeVar

from gate.crossguard.isolation import IsolatedWorker, Progress

State = TypeVar("State")
Item = TypeVar("Item")
Outcome = TypeVar("Outcome")


class StreamingEvaluation(Generic[State, Item, Outcome]):
    """Up to `workers` isolated workers, started at once: each runs `prepare(progress)`
    once (loading the packs), then `evaluate(state, progress, item)` on each item it takes
    (`put`), until `results` says no more will come."""

    def __init__(
        self,
        *,
        prepare: Callable[[Progress], State],
        evaluate: Callable[[State, Progress, Item], Outcome],
        label: Callable[[Item], str],
        workers: int,
        timeout: float,
    ) -> None:
        self._workers = max(1, workers)
        self._expected: set[int] = set()
        self._closed = False
        # A Queue's feeder thread does the writing: a large plan never blocks the planner.
        self._queue: Any = multiprocessing.get_context("fork").Queue()
        queue = self._queue

        def work(progress: Progress) -> dict[int, Outcome]:
            state = prepare(progress)
            outcomes: dict[int, Outcome] = {}
            while True:
                progress.waiting()
                taken = queue.get()
                if taken is None:
                    return outcomes
                index, item = taken
                progress.stack(label(item))
                outcomes[index] = evaluate(state, progress, item)

        # Forked here, in the caller's thread, before the run starts its other processes
        # (see IsolatedWorker); only the watching happens in threads.
        workers_started = [IsolatedWorker(work) for _ in range(self._workers)]
        self._pool = ThreadPoolExecutor(max_workers=self._workers)
        self._runs: list[Future[dict[int, Outcome]]] = [
            self._pool.submit(worker.result, timeout) for worker in workers_started
        ]

    def put(self, index: int, item: Item) -> None:
        """Hand over item `index` (thread-safe: the planner's threads call it)."""
        if self._closed:
            raise RuntimeError("no item may be put after results() or close()")
        self._expected.add(index)
        self._queue.put((index, item))

    def close(self) -> None:
        """No more items: each worker ends once the queue is empty."""
        if not self._closed:
            self._closed = True
            for _ in range(self._workers):
                self._queue.put(None)

    def results(self) -> list[Outcome]:
        """Every item's outcome, in index order. Raises the first worker's failure
        (PolicyPackError): an item that was put is never left without an outcome."""
        self.close()
        try:
            outcomes: dict[int, Outcome] = {}
            for run in self._runs:
                outcomes.update(run.result())
        finally:
            self._pool.shutdown(wait=True)
            self._queue.close()
        missing = self._expected - set(outcomes)
        if missing:
            raise RuntimeError(f"no outcome for items {sorted(missing)}")
        return [outcomes[index] for index in sorted(outcomes)]
