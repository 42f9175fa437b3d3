"""Where a build's work runs: this machine's cores, or a Dask cluster (publish.run.cluster).

The spine asks a runner for two things only: `map` (whole editions, one call each, outcomes
as they finish) and `pool` (the parts of one long edition: chunks, overlays, its EPUB beside
it), with the same submit/wait/result shape as the local fork pool. Paths in the calls are the
client's: a cluster runner sends the folders named in `ship` as data and brings back what its
tasks wrote, so code above never asks where it runs.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any, Protocol

from publish.run.forkpool import ForkPool
from publish.run.parallel import default_jobs, frozen


class Job(Protocol):
    """One call submitted to a pool."""

    def done(self) -> bool: ...

    def result(self) -> Any: ...


class Pool(Protocol):
    """Calls run a few at a time; `wait` until one of some jobs is done."""

    def __enter__(self) -> Pool: ...

    def __exit__(self, *exc: object) -> None: ...

    def submit(self, function: Callable[..., Any], *args: Any) -> Job: ...

    def wait(self, jobs: Sequence[Job]) -> None: ...


class Runner(Protocol):
    """The cores of this machine or of a cluster, as the build uses them."""

    cores: int
    """Calls that can run at once."""
    remote: bool
    """Whether calls run in other machines' processes (their outputs are sent back)."""

    def pool(
        self,
        jobs: int,
        initializer: Callable[..., Any] | None = None,
        initargs: tuple = (),
        ship: Sequence[Path] = (),
    ) -> Pool: ...

    def map(
        self, function: Callable[..., Any], calls: Sequence[tuple], ship: Sequence[Sequence[Path]]
    ) -> Iterator[tuple[int, Any, BaseException | None]]: ...


class LocalRunner:
    """This machine: a fork per long-issue part, a pool of forked workers for whole editions."""

    remote = False

    def __init__(self, cores: int = 0) -> None:
        self.cores = cores or default_jobs()

    def pool(
        self,
        jobs: int,
        initializer: Callable[..., Any] | None = None,
        initargs: tuple = (),
        ship: Sequence[Path] = (),
    ) -> Pool:
        """A fork pool (`ship` is for remote runners: here every folder is already at hand)."""
        return ForkPool(jobs, initializer, initargs)

    def map(
        self, function: Callable[..., Any], calls: Sequence[tuple], ship: Sequence[Sequence[Path]]
    ) -> Iterator[tuple[int, Any, BaseException | None]]:
        """(index, result, None) or (index, None, error) of every call, as each finishes; the
        workers live for the whole batch, so fonts and templates load once per core."""
        if self.cores < 2 or len(calls) < 2:
            for index, call in enumerate(calls):
                try:
                    yield index, function(*call), None
                except Exception as error:  # noqa: BLE001 (the caller reports it per issue)
                    yield index, None, error
            return
        context = multiprocessing.get_context("fork")
        with frozen(), ProcessPoolExecutor(min(self.cores, len(calls)), context) as workers:
            futures = {
                workers.submit(_collected, function, call): i for i, call in enumerate(calls)
            }
            for future in as_completed(futures):
                error = future.exception()
                yield futures[future], None if error else future.result(), error


def _collected(function: Callable[..., Any], call: tuple) -> Any:
    """`function(*call)` in a worker that lives on: its garbage freed before the next call, so
    a worker stays the size of one edition (layouts leave their boxes in reference cycles)."""
    try:
        return function(*call)
    finally:
        gc.collect()


@contextlib.contextmanager
def runner_for(cluster: str | None) -> Iterator[Runner]:
    """The local runner, or one connected to the Dask scheduler at `cluster` (closed after)."""
    if not cluster:
        yield LocalRunner()
        return
    from publish.run.cluster import ClusterRunner

    with ClusterRunner.connect(cluster) as runner:
        yield runner
