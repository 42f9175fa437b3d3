"""Where a build's work runs: this machine's cores, or a Dask cluster (publish.run.cluster).

The spine asks a runner for two things only: `map` (whole editions, one call each, outcomes
as they finish) and `pool` (the parts of one long edition: chunks, overlays, its EPUB beside
it), with the same submit/wait/result shape as the local fork pool. Paths in the calls are the
client's: a cluster runner sends the folders named in `ship` as data and brings back what its
tasks wrote, so code above never asks where it runs.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

from publish.errors import PublishError
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
    """This machine: a process forked for each whole edition and for each long-issue part."""

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
        """(index, result, None) or (index, None, error) of every call, as each finishes.

        Each call runs in a process forked for it (the fork pool's: `result` raised at once
        wherever the caller waits). Bad input (a PublishError) is yielded, so that a batch goes
        on with its other issues; anything else, a worker dying without a report among them,
        stops the map at once, and leaving it stops every worker still running."""
        if self.cores < 2 or len(calls) < 2:
            for index, call in enumerate(calls):
                try:
                    yield index, function(*call), None
                except Exception as error:  # noqa: BLE001 (the caller reports it per issue)
                    yield index, None, error
            return
        with frozen(), ForkPool(min(self.cores, len(calls))) as pool:
            waiting = {i: pool.submit(_settled, function, call) for i, call in enumerate(calls)}
            while waiting:
                pool.wait(list(waiting.values()))
                for index in [i for i, job in waiting.items() if job.done()]:
                    result, error = waiting.pop(index).result()
                    yield index, result, error


def _settled(function: Callable[..., Any], call: tuple) -> tuple[Any, PublishError | None]:
    """`function(*call)` in a worker: its result, or the bad input it stopped on (reported for
    its issue); any other exception is raised, and stops the pool."""
    try:
        return function(*call), None
    except PublishError as error:
        return None, error


@contextlib.contextmanager
def runner_for(cluster: str | None) -> Iterator[Runner]:
    """The local runner, or one connected to the Dask scheduler at `cluster` (closed after)."""
    if not cluster:
        yield LocalRunner()
        return
    from publish.run.cluster import ClusterRunner

    with ClusterRunner.connect(cluster) as runner:
        yield runner


class Ran:
    """A call made when it was submitted: its result, or the exception `result` raises."""

    def __init__(self, function: Callable[..., Any], args: tuple) -> None:
        self._error: Exception | None = None
        try:
            self._value = function(*args)
        except Exception as error:  # noqa: BLE001 (raised where the caller asks, as a job's)
            self._error = error

    def done(self) -> bool:
        return True

    def result(self) -> Any:
        if self._error is not None:
            raise self._error
        return self._value


class InlinePool:
    """One job at a time, run in this process as it is submitted.

    A fork pool of one job runs its calls one after the other anyway, each in a new process
    that starts cold: WeasyPrint's and Pango's caches, cffi's parsed C types, the modules'
    first calls. A short edition's five renders (cover, TOC, articles, two overlays), its font
    subsets and its EPUB cost ~0.4 CPU s less an edition run here (measured on the default
    issue, 2026-12-02). The memory of each render is freed when it returns; a signal stops
    this process and its call with it.
    """

    def __init__(self, initializer: Callable[..., Any] | None = None, initargs: tuple = ()) -> None:
        if initializer is not None:
            initializer(*initargs)

    def __enter__(self) -> InlinePool:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def submit(self, function: Callable[..., Any], *args: Any) -> Ran:
        return Ran(function, args)

    def wait(self, jobs: Sequence[Job]) -> None:
        return None
