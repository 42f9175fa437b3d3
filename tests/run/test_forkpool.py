"""Jobs each in a fresh forked process: results, errors, deaths and stops reach the parent."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from publish.run import forkpool
from publish.run.forkpool import ForkPool, WorkerLost

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
    with ForkPool(1, get_ready, ("x",)) as pool, pytest.raises(WorkerLost, match="status 3"):
        pool.submit(die).result()


def alive(pid: int) -> bool:
    """Whether `pid` is a process that has not ended (a zombie has ended)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except (OSError, IndexError):
        return False


def test_a_killed_worker_is_noticed_at_once_and_the_others_are_stopped() -> None:
    started = time.monotonic()
    with ForkPool(2) as pool:
        napping, doomed = pool.submit(nap, 60), pool.submit(nap, 60)
        os.kill(doomed.pid, signal.SIGKILL)
        with pytest.raises(WorkerLost, match=r"killed by SIGKILL .*memory"):
            napping.result()  # the other job is the one waited on: its death is raised anyway
    assert time.monotonic() - started < 30  # a hang-timeout: the naps take 60 s
    assert not alive(napping.pid)


def nest(seconds: float, record: str) -> None:
    """A job that runs a pool of its own, whose one job naps; writes the grandchild's pid."""
    with ForkPool(1) as pool:
        job = pool.submit(nap, seconds)
        Path(record).write_text(str(job.pid))
        job.result()


def test_a_killed_worker_s_own_workers_neither_hide_its_death_nor_outlive_it(tmp_path) -> None:
    record = tmp_path / "grandchild"
    with ForkPool(1) as pool:
        job = pool.submit(nest, 60, str(record))
        while not record.exists() or not record.read_text():
            time.sleep(0.05)
        os.kill(job.pid, signal.SIGKILL)
        with pytest.raises(WorkerLost, match="SIGKILL"):
            job.result()  # the grandchild holds no copy of the report pipe: EOF at once
    grandchild = int(record.read_text())
    deadline = time.monotonic() + 30
    while alive(grandchild) and time.monotonic() < deadline:
        time.sleep(0.05)  # the kernel sends it SIGTERM as its parent dies (PR_SET_PDEATHSIG)
    assert not alive(grandchild)


def stubborn(record: str) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    Path(record).write_text("deaf")
    time.sleep(120)


def test_a_worker_deaf_to_sigterm_is_killed_after_the_grace(monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(forkpool, "GRACE", 0.5)
    record = tmp_path / "deaf"
    started = time.monotonic()
    with ForkPool(1) as pool:
        job = pool.submit(stubborn, str(record))
        while not record.exists():
            time.sleep(0.05)
    assert time.monotonic() - started < 30  # a hang-timeout: it would nap 120 s
    assert not alive(job.pid)


def test_leaving_early_stops_the_jobs_still_running() -> None:
    started = time.monotonic()
    with ForkPool(2, get_ready, ("x",)) as pool:
        jobs = [pool.submit(nap, 30) for _ in range(2)]
        pids = [job.pid for job in jobs]
    assert time.monotonic() - started < 10
    for pid in pids:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # stopped and reaped: no zombie left
