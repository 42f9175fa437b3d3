"""Work spread over the cores: how many there are, calls on forked processes, a frozen heap."""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from publish.run.forkpool import ForkPool


def default_jobs() -> int:
    """Worker processes: the cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@contextlib.contextmanager
def frozen() -> Iterator[None]:
    """This process's objects kept out of garbage collection while it forks workers.

    A forked worker shares the parent's memory until it writes to it, and a collection writes
    to every object it walks: each worker would copy the parent's whole heap page by page.
    Frozen, the parent's objects are not walked.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def in_parallel(function: Callable[..., Any], calls: Sequence[tuple], jobs: int) -> Iterator[Any]:
    """`function(*call)` for every call, on up to `jobs` forked processes; each result in order,
    as soon as it is ready."""
    if jobs < 2 or len(calls) < 2:
        yield from (function(*call) for call in calls)
        return
    # a ForkPool, not concurrent.futures: a failure or a signal stops every worker at once
    with frozen(), ForkPool(min(jobs, len(calls))) as pool:
        for job in [pool.submit(function, *call) for call in calls]:
            yield job.result()
