"""Layout jobs run each in a fresh process forked from this one, a few at a time.

A long-lived worker (concurrent.futures' pool) has to collect and free every finished render
before the next one: a chunk's layout leaves some 150,000 objects in reference cycles, about
0.2 s of a 3.5 s job, and the worker's heap fragments. A process forked for one job skips both:
it writes its PDF, sends its report back through a pipe and exits without freeing anything, and
the next job starts from the parent's heap (shared, not copied) again. Everything runs on the
calling thread: forking while other threads hold locks is what makes `fork` unsafe elsewhere.

A failure stops the pool at once: a job that raised, or a process that died without reporting
(the kernel's out-of-memory killer sends SIGKILL), is raised from whichever job the caller waits
for, and leaving the pool stops the others (SIGTERM, then SIGKILL if one does not end).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable
from typing import Any, NoReturn

from publish.errors import EnvironmentProblem
from publish.run.interrupt import Interrupted, in_worker, shielded

GRACE = 5.0
"""Seconds a stopped worker has to clean up (remove its temporary files) before SIGKILL."""


_report_pipe: int | None = None
"""In a worker, the write end of its own report pipe: the workers it forks must not hold it, or
its parent would not see it end when it is killed."""


class WorkerLost(EnvironmentProblem):
    """A worker process ended without reporting: killed, or exited out of turn."""


class Job:
    """One call waiting, running in its own process, or done."""

    def __init__(self, pool: ForkPool, function: Callable[..., Any], args: tuple) -> None:
        self.pool, self.function, self.args = pool, function, args
        self.pid = self.pipe = 0
        self.outcome: tuple[bool, Any] | None = None

    def done(self) -> bool:
        """Whether the job has finished (its result or its error is in)."""
        return self.outcome is not None

    def result(self) -> Any:
        """The call's return value, once its process has finished; its exception is raised."""
        self.pool.wait([self])
        assert self.outcome is not None
        succeeded, value = self.outcome
        if not succeeded:
            raise value
        return value


class ForkPool:
    """At most `jobs` processes at a time, each forked for one call (call `wait` to progress)."""

    def __init__(
        self, jobs: int, initializer: Callable[..., Any] | None = None, initargs: tuple = ()
    ) -> None:
        self.jobs, self.initializer, self.initargs = max(1, jobs), initializer, initargs
        self.queue: deque[Job] = deque()
        self.running: dict[int, Job] = {}
        """Running jobs by the read end of their result pipe."""

    def __enter__(self) -> ForkPool:
        return self

    def __exit__(self, *exc: object) -> None:
        """Stop what still runs (after an error the results are not wanted)."""
        with shielded():
            self.queue.clear()
            jobs = list(self.running.values())
            self.running.clear()
            for job in jobs:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(job.pid, signal.SIGTERM)
                os.close(job.pipe)  # a worker blocked on writing its report gets EPIPE, not a hang
            deadline = time.monotonic() + GRACE
            for job in jobs:
                _reap(job.pid, deadline)

    def submit(self, function: Callable[..., Any], *args: Any) -> Job:
        """Queue `function(*args)`; it starts as soon as fewer than `jobs` run."""
        job = Job(self, function, args)
        self.queue.append(job)
        self._start()
        return job

    def wait(self, jobs: Iterable[Job]) -> None:
        """Until one of `jobs` is done (starting queued jobs as others finish)."""
        jobs = list(jobs)
        while not any(job.done() for job in jobs):
            self._collect()

    def _start(self) -> None:
        while self.queue and len(self.running) < self.jobs:
            job = self.queue.popleft()
            parent = os.getpid()
            with shielded():  # a signal now would leave a worker nobody stops
                read, write = os.pipe()
                pid = os.fork()
                if pid == 0:  # the child: run, report, exit without cleaning up
                    _run(job, parent, (read, write), self.initializer, self.initargs)
                os.close(write)
                job.pid, job.pipe = pid, read
                self.running[read] = job

    def _collect(self) -> None:
        """Take in the result of one or more finished jobs, then start queued ones."""
        ready, _, _ = select.select(list(self.running), [], [])
        for pipe in ready:
            with shielded():  # taken out of `running` and reaped together, or neither
                job = self.running.pop(pipe)
                with os.fdopen(pipe, "rb") as source:
                    data = source.read()
                _, status = os.waitpid(job.pid, 0)
            try:
                job.outcome = pickle.loads(data)
            except Exception as error:  # noqa: BLE001 (no report, or a cut-off one: it died)
                lost = _death(job.pid, status) if status or not data else _unreadable(error)
                job.outcome = (False, WorkerLost(lost))
            if not job.outcome[0]:  # the build stops at its first failure, whatever it waits on
                raise job.outcome[1]
        self._start()


def _become_worker(parent: int, read: int, write: int) -> None:
    global _report_pipe
    os.close(read)
    if _report_pipe is not None:  # the parent's own report pipe, inherited
        os.close(_report_pipe)
    _report_pipe = write
    in_worker(parent)


def _death(pid: int, status: int) -> str:
    """What became of a worker that ended without a report, and what to do."""
    code = os.waitstatus_to_exitcode(status)
    if code == -signal.SIGKILL:
        how = "was killed by SIGKILL (the kernel does that when memory runs out)"
    elif code < 0 or code > 128:
        how = f"was stopped by {signal.Signals(-code if code < 0 else code - 128).name}"
    else:
        how = f"ended with status {code} without a result"
    return (
        f"a worker process of the build (pid {pid}) {how}; the build stopped its other "
        "processes and replaced no output. Fix: free some memory, or find what stopped it, "
        "and build again"
    )


def _unreadable(error: Exception) -> str:
    return f"a worker process of the build sent a report that cannot be read back ({error})"


def _reap(pid: int, deadline: float) -> None:
    """Wait for a stopped worker until `deadline`, then kill it."""
    while time.monotonic() < deadline:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            return
        time.sleep(0.01)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)


def _run(
    job: Job,
    parent: int,
    pipes: tuple[int, int],
    initializer: Callable[..., Any] | None,
    initargs: tuple,
) -> NoReturn:
    """The child: set up, run the job, report, exit; it never returns into the parent's code."""
    code = 1
    try:
        _become_worker(parent, *pipes)
        outcome = _outcome(job, initializer, initargs)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # done: stopped now, nothing to clean up
        code = _report(outcome, pipes[1])
    except Interrupted as stop:  # stopped by its parent (or the kernel): nobody waits for a report
        code = stop.exit_code
    finally:
        os._exit(code)


def _outcome(job: Job, initializer: Callable[..., Any] | None, initargs: tuple) -> tuple[bool, Any]:
    try:
        if initializer is not None:
            initializer(*initargs)
        return True, job.function(*job.args)
    except Interrupted:
        raise
    except BaseException as error:  # noqa: BLE001 (reported to the parent, which raises it)
        return False, error


def _report(outcome: tuple[bool, Any], pipe: int) -> int:
    """Send the outcome to the parent; the exit code."""
    try:
        data = pickle.dumps(outcome)
    except Exception as error:  # noqa: BLE001 (an exception that cannot be pickled)
        data = pickle.dumps((False, RuntimeError(f"{type(outcome[1]).__name__}: {error}")))
    try:
        with os.fdopen(pipe, "wb") as sink:
            sink.write(data)
    except OSError:  # the parent stopped listening
        return 1
    return 0
