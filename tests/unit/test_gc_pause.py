"""The statistics' pause of the cyclic collector nests and always ends (akut_tui.core.gc_pause)."""

from __future__ import annotations

import gc
import threading

import pytest

from akut_tui.core.gc_pause import gc_paused


def test_the_pause_nests_and_restores_the_collector() -> None:
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer count still runs
    assert gc.isenabled()


def test_a_failing_count_switches_the_collector_back_on() -> None:
    with pytest.raises(RuntimeError), gc_paused():
        raise RuntimeError("count failed")
    assert gc.isenabled()


def test_a_collector_switched_off_before_stays_off() -> None:
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_two_threads_counting_at_once_leave_the_collector_on() -> None:
    inside = threading.Barrier(2)

    def count() -> None:
        with gc_paused():
            inside.wait(timeout=10)

    workers = [threading.Thread(target=count) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=10)
    assert gc.isenabled()
