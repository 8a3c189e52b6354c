"""Plans are evaluated as they are made (gate.crossguard.streaming): in order, in isolated
workers, with the time limit on each stack and never on the wait for the next one."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from gate.crossguard.isolation import Progress
from gate.crossguard.loader import PolicyPackError
from gate.crossguard.streaming import StreamingEvaluation


def _evaluation(evaluate: Any, *, workers: int = 2, timeout: float = 1.0) -> StreamingEvaluation:
    return StreamingEvaluation(
        prepare=lambda progress: "packs",
        evaluate=evaluate,
        label=lambda item: f"stack-{item}",
        workers=workers,
        timeout=timeout,
    )


def test_outcomes_come_back_in_index_order_whatever_order_items_arrive_in():
    evaluation = _evaluation(lambda packs, progress, item: (packs, item * item))
    threads = [
        threading.Thread(target=evaluation.put, args=(index, index)) for index in (3, 0, 2, 1)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert evaluation.results() == [("packs", 0), ("packs", 1), ("packs", 4), ("packs", 9)]


def test_waiting_for_the_next_plan_is_not_counted_against_the_time_limit():
    evaluation = _evaluation(lambda packs, progress, item: item, timeout=0.5)
    evaluation.put(0, "first")
    # Longer than the limit: a slow stack still planning must not fail the workers.
    time.sleep(1.5)
    evaluation.put(1, "second")
    assert evaluation.results() == ["first", "second"]


def test_a_stack_that_runs_past_the_limit_is_named():
    def slow(packs: str, progress: Progress, item: int) -> int:
        if item == 1:
            time.sleep(30)
        return item

    evaluation = _evaluation(slow, workers=1, timeout=0.5)
    evaluation.put(0, 0)
    evaluation.put(1, 1)
    with pytest.raises(PolicyPackError, match=r"stack 'stack-1': did not finish within 0.5s"):
        evaluation.results()


def test_a_crash_while_evaluating_is_an_error_naming_the_stack():
    def crash(packs: str, progress: Progress, item: int) -> int:
        raise ValueError("a policy bug")

    evaluation = _evaluation(crash, workers=1)
    evaluation.put(0, 7)
    with pytest.raises(PolicyPackError, match=r"stack 'stack-7': raised ValueError: a policy bug"):
        evaluation.results()


def test_nothing_may_be_put_once_the_results_were_asked_for():
    evaluation = _evaluation(lambda packs, progress, item: item)
    assert evaluation.results() == []
    with pytest.raises(RuntimeError, match="after results"):
        evaluation.put(0, 1)
