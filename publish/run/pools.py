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
