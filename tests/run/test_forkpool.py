"""Jobs each in a fresh forked process: results, errors, deaths and stops reach the parent."""

from __future__ import annotations

import os
import time

import pytest

from publish.run.forkpool import ForkPool

READY: list[str] = []


def get_ready(word: str) -> None:
    READY.append(word)


def whoami(n: int) -> tuple[int, int, list[str]]:
    return n, os.getpid(), list(READY)


def fail(message: str) -> None:
    raise ValueError(message)


def die() -> None:
    os._exit(3)


def nap(seconds: float) -> None:
    time.sleep(seconds)


def test_each_job_runs_in_a_fresh_process_set_up_by_the_initializer() -> None:
    with ForkPool(2, get_ready, ("ready",)) as pool:
        jobs = [pool.submit(whoami, n) for n in range(5)]
        results = [job.result() for job in jobs]
    assert [n for n, _, _ in results] == list(range(5))
    pids = {pid for _, pid, _ in results}
    assert len(pids) == 5 and os.getpid() not in pids
    assert all(ready == ["ready"] for _, _, ready in results)  # once per process
    assert READY == []  # never in the parent


def test_no_more_processes_run_than_asked() -> None:
    with ForkPool(2, get_ready, ("x",)) as pool:
        jobs = [pool.submit(nap, 0.2) for _ in range(3)]
        assert len(pool.running) == 2 and len(pool.queue) == 1
        pool.wait(jobs[:1])
        assert len(pool.running) <= 2
        for job in jobs:
            job.result()
    assert not pool.running and not pool.queue


def test_an_error_in_a_job_is_raised_in_the_parent() -> None:
    with ForkPool(1, get_ready, ("x",)) as pool:
        job = pool.submit(fail, "页码不对")
        with pytest.raises(ValueError, match="页码不对"):
            job.result()


def test_a_process_that_dies_gives_an_error_not_a_hang() -> None:
    with ForkPool(1, get_ready, ("x",)) as pool, pytest.raises(RuntimeError, match="status 3"):
        pool.submit(die).result()


def test_leaving_early_stops_the_jobs_still_running() -> None:
    started = time.monotonic()
    with ForkPool(2, get_ready, ("x",)) as pool:
        jobs = [pool.submit(nap, 30) for _ in range(2)]
        pids = [job.pid for job in jobs]
    assert time.monotonic() - started < 10
    for pid in pids:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # stopped and reaped: no zombie left
