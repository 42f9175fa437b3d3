"""Layout jobs run each in a fresh process forked from this one, a few at a time.

A long-lived worker (concurrent.futures' pool) has to collect and free every finished render
before the next one: a chunk's layout leaves some 150,000 objects in reference cycles, about
0.2 s of a 3.5 s job, and the worker's heap fragments. A process forked for one job skips both:
it writes its PDF, sends its report back through a pipe and exits without freeing anything, and
the next job starts from the parent's heap (shared, not copied) again. Everything runs on the
calling thread: forking while other threads hold locks is what makes `fork` unsafe elsewhere.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
from collections import deque
from collections.abc import Callable, Iterable
from typing import Any


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
        self.queue.clear()
        for job in self.running.values():
            with contextlib.suppress(ProcessLookupError):
                os.kill(job.pid, signal.SIGTERM)
            os.waitpid(job.pid, 0)
            os.close(job.pipe)
        self.running.clear()

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
            read, write = os.pipe()
            pid = os.fork()
            if pid == 0:  # the child: run, report, exit without cleaning up
                os.close(read)
                _run(job, write, self.initializer, self.initargs)
            os.close(write)
            job.pid, job.pipe = pid, read
            self.running[read] = job

    def _collect(self) -> None:
        """Take in the result of one or more finished jobs, then start queued ones."""
        ready, _, _ = select.select(list(self.running), [], [])
        for pipe in ready:
            job = self.running.pop(pipe)
            with os.fdopen(pipe, "rb") as source:
                data = source.read()
            _, status = os.waitpid(job.pid, 0)
            try:
                job.outcome = pickle.loads(data)
            except Exception:  # noqa: BLE001 (nothing, or a cut-off report: the process died)
                code = os.waitstatus_to_exitcode(status)
                job.outcome = (False, RuntimeError(f"a layout process ended with status {code}"))
        self._start()


def _run(job: Job, pipe: int, initializer: Callable[..., Any] | None, initargs: tuple) -> None:
    code = 0
    try:
        if initializer is not None:
            initializer(*initargs)
        outcome: tuple[bool, Any] = (True, job.function(*job.args))
    except BaseException as error:  # noqa: BLE001 (reported to the parent, which raises it)
        outcome = (False, error)
    try:
        data = pickle.dumps(outcome)
    except Exception as error:  # noqa: BLE001 (an exception that cannot be pickled)
        data = pickle.dumps((False, RuntimeError(f"{type(outcome[1]).__name__}: {error}")))
    try:
        with os.fdopen(pipe, "wb") as sink:
            sink.write(data)
    except BaseException:  # noqa: BLE001
        code = 1
    os._exit(code)
