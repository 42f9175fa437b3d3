"""The build's work as tasks on a Dask distributed cluster; the client joins and writes.

A task carries everything it reads as data: its arguments, and the folders it may read (the
issue, its layouts) packed once per build and sent inside each task; each worker unpacks them
once into a folder of its own. Paths in a task's arguments are the client's; on the worker they are
rebased onto the unpacked folders and onto a scratch folder per output folder; what the task
writes there comes back as bytes with its result, and the client writes each file atomically
where the client's path said. A worker killed mid-task is replaced by Dask, which runs the task
again elsewhere; a task whose workers keep dying ends in a clear error, and a cluster left
without workers stops the build after CLUSTER_WAIT seconds instead of hanging.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import functools
import hashlib
import io
import os
import socket
import tarfile
import tempfile
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from publish.errors import EnvironmentProblem
from publish.run.output import atomic_target
from publish.run.stack import with_room

PROGRAM = Path(__file__).resolve().parents[1]
ROOT = PROGRAM.parent
CONNECT_TIMEOUT = 10
"""Seconds to reach the scheduler and to see a first worker."""
CLUSTER_WAIT = float(os.environ.get("PUBLISH_CLUSTER_WAIT", "60"))
"""Seconds a build waits on a cluster that has no worker left before it gives up."""
POLL = 2.0
"""Seconds between looks at the cluster while a build waits for its tasks."""


@functools.cache  # what this process loaded: read once, as its modules were
def project_version() -> str:
    """This process's publish: its version and a digest of its code, layouts and font roles."""
    from publish import __version__

    digest = hashlib.sha256()
    for folder in (PROGRAM, ROOT / "layouts", ROOT / "fonts"):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix in (".py", ".html", ".css", ".yaml", ".xhtml"):
                digest.update(f"{path.relative_to(ROOT)}\0".encode() + path.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:12]}"


def check_workers(client: Any, expected: str) -> int:
    """The cores of the cluster's workers; a clear error if one runs another publish, or runs
    several tasks at once in one process (WeasyPrint's extensions are per process)."""
    versions = client.run(project_version)
    wrong = sorted(address for address, version in versions.items() if version != expected)
    if wrong:
        raise EnvironmentProblem(
            f"Dask workers {', '.join(wrong)} run publish {versions[wrong[0]]}, this client "
            f"runs {expected}. Fix: install the same publish checkout on every worker "
            "(pip install -e . there) and restart them"
        )
    threads = client.nthreads()
    shared = sorted(address for address, count in threads.items() if count != 1)
    if shared:
        raise EnvironmentProblem(
            f"Dask workers {', '.join(shared)} run {threads[shared[0]]} threads each; a layout "
            "needs a process of its own. Fix: start them with "
            "`dask worker tcp://HOST:PORT --nworkers auto --nthreads 1`"
        )
    return sum(threads.values())


class ClusterRunner:
    """A connected Dask client, used as the build's cores."""

    remote = True

    def __init__(self, client: Any) -> None:
        self.client = client
        self.cores = check_workers(client, project_version())

    @classmethod
    @contextlib.contextmanager
    def connect(cls, address: str) -> Iterator[ClusterRunner]:
        """A runner on the scheduler at `address`, closed when the build is done."""
        from distributed import Client

        try:
            client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as error:
            raise EnvironmentProblem(
                f"--cluster {address}: cannot reach a Dask scheduler there ({error}). Fix: start "
                "one with `dask scheduler` and workers with `dask worker`, or build without "
                "--cluster (and without PUBLISH_CLUSTER)"
            ) from None
        try:
            try:
                client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
            except TimeoutError:
                raise EnvironmentProblem(
                    f"--cluster {address}: the scheduler has no workers. Fix: start some with "
                    f"`dask worker {address} --nworkers auto --nthreads 1`"
                ) from None
            yield cls(client)
        finally:
            client.close()

    def pool(
        self,
        jobs: int,
        initializer: Callable[..., Any] | None = None,
        initargs: tuple = (),
        ship: Sequence[Path] = (),
    ) -> ClusterPool:
        """Tasks for the parts of one book, each worker set up once by `initializer`."""
        return ClusterPool(self, initializer, initargs, self.shipped(ship))

    def map(
        self, function: Callable[..., Any], calls: Sequence[tuple], ship: Sequence[Sequence[Path]]
    ) -> Iterator[tuple[int, Any, BaseException | None]]:
        """(index, result, None) or (index, None, error) of every call, as each finishes."""
        pool = ClusterPool(self, None, (), {})
        with pool:
            jobs = [
                pool.submit_with(self.shipped(dirs), function, *call)
                for call, dirs in zip(calls, ship, strict=True)
            ]
            yield from pool.as_completed(jobs)

    def shipped(self, folders: Sequence[Path]) -> dict[str, Any]:
        """Each folder, packed once per build, by the client's path of it as given and
        resolved."""
        cache = self.__dict__.setdefault("_packed", {})
        found = {}
        for folder in folders:
            key = str(folder.resolve())
            if key not in cache:
                # sent inside each task, not scattered: the scheduler keeps it and sends it again
                # when a task is retried, whereas scattered data dies with its worker
                cache[key] = pack(folder)
            found[str(folder)] = found[key] = cache[key]
        return found


def pack(folder: Path) -> tuple[str, bytes]:
    """The folder's files as a tar (no dot files), and its digest."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for path in sorted(folder.rglob("*")):
            relative = path.relative_to(folder)
            if path.is_file() and not any(p.startswith(".") for p in relative.parts):
                tar.add(path, arcname=str(relative), recursive=False)
    data = buffer.getvalue()
    return hashlib.sha256(data).hexdigest(), data


class ClusterJob:
    """One task; its result, once taken, with the files it wrote put in place."""

    def __init__(self, future: Any) -> None:
        self.future = future
        self.taken: tuple[bool, Any] | None = None

    def done(self) -> bool:
        return self.future.done()

    def result(self) -> Any:
        if self.taken is None:
            try:
                files, value = self.future.result()
            except Exception as error:  # noqa: BLE001 (kept, raised again on every call)
                self.taken = (False, _explained(error))
            else:
                for (folder, name), data in files.items():
                    with atomic_target(Path(folder) / name) as temporary:
                        temporary.write_bytes(data)
                self.taken = (True, value)
        succeeded, value = self.taken
        if not succeeded:
            raise value
        return value


def _explained(error: Exception) -> Exception:
    if type(error).__name__ == "KilledWorker":
        return EnvironmentProblem(
            f"a Dask worker died on every try of a task ({error}). Fix: look at the workers' "
            "logs (memory limit? fonts missing?), or build without --cluster"
        )
    return error


class ClusterPool:
    """Tasks on the cluster with the shape of the local fork pool."""

    def __init__(
        self,
        runner: ClusterRunner,
        initializer: Callable[..., Any] | None,
        initargs: tuple,
        shipped: dict[str, Any],
    ) -> None:
        self.runner, self.initializer, self.initargs = runner, initializer, initargs
        self.shipped, self.token, self.version = shipped, uuid.uuid4().hex, project_version()
        self.jobs: list[ClusterJob] = []

    def __enter__(self) -> ClusterPool:
        return self

    def __exit__(self, *exc: object) -> None:
        """Cancel what still runs (after an error the results are not wanted)."""
        unfinished = [job.future for job in self.jobs if not job.done()]
        if unfinished:
            self.runner.client.cancel(unfinished)

    def submit(self, function: Callable[..., Any], *args: Any) -> ClusterJob:
        """`function(*args)` as a task on the cluster."""
        return self.submit_with(self.shipped, function, *args)

    def submit_with(
        self, shipped: dict[str, Any], function: Callable[..., Any], *args: Any
    ) -> ClusterJob:
        """`function(*args)` as a task that may read the folders `shipped`."""
        outputs = _output_folders(args, shipped)
        task = Task(
            self.token, self.version, function, args, self.initializer, self.initargs, outputs
        )
        future = self.runner.client.submit(run_task, task, shipped, pure=False)
        job = ClusterJob(future)
        self.jobs.append(job)
        return job

    def wait(self, jobs: Sequence[ClusterJob]) -> None:
        """Until one of `jobs` is done; a clear error if the cluster has lost its workers."""
        from distributed import wait

        alone = 0.0
        while not any(job.done() for job in jobs):
            with contextlib.suppress(TimeoutError), self.runner.client.as_current():
                wait([j.future for j in jobs], timeout=POLL, return_when="FIRST_COMPLETED")
                continue
            alone = 0.0 if self.runner.client.nthreads() else alone + POLL
            if alone >= CLUSTER_WAIT:
                raise EnvironmentProblem(
                    f"the Dask cluster has had no worker for {CLUSTER_WAIT:.0f} s. Fix: start "
                    "workers with `dask worker`, or build without --cluster"
                )

    def as_completed(self, jobs: Sequence[ClusterJob]) -> Iterator[tuple[int, Any, Any]]:
        """(index, result, None) or (index, None, error) of each job as it finishes."""
        left = dict(enumerate(jobs))
        while left:
            self.wait(list(left.values()))
            for index in [i for i, job in left.items() if job.done()]:
                job = left.pop(index)
                try:
                    yield index, job.result(), None
                except Exception as error:  # noqa: BLE001 (the caller reports it per issue)
                    yield index, None, error


def _output_folders(args: Sequence[Any], shipped: dict[str, Any]) -> tuple[str, ...]:
    """The client folders a task writes into: every path argument outside the shipped folders,
    a folder itself or the folder of a file."""
    found = []
    for arg in args:
        if isinstance(arg, Path) and _under(str(arg), shipped) is None:
            found.append(str(arg if arg.is_dir() else arg.parent))
    return tuple(dict.fromkeys(found))


def _under(text: str, roots: dict[str, Any]) -> str | None:
    for root in sorted(roots, key=len, reverse=True):
        if text == root or text.startswith(root.rstrip("/") + "/"):
            return root
    return None


@dataclasses.dataclass(frozen=True)
class Task:
    """One call to run on a worker, with what it needs to run there."""

    token: str
    """The pool's: a worker set up for this pool is not set up again."""
    version: str
    function: Callable[..., Any]
    args: tuple
    initializer: Callable[..., Any] | None
    initargs: tuple
    outputs: tuple[str, ...]
    """Client folders the call writes into."""


_UNPACKED: dict[str, str] = {}
"""Folders this worker process has unpacked, by digest (a build ships each one once)."""
_SET_UP = [""]
"""The token of the pool this worker process was last set up for by its initializer."""


def run_task(task: Task, shipped: dict[str, tuple[str, bytes]]) -> tuple[dict, Any]:
    """On a worker: the call run on the shipped folders; (files written, result)."""
    mine = project_version()
    if task.version != mine:
        raise EnvironmentProblem(
            f"the Dask worker on {socket.gethostname()} runs publish {mine}, the client "
            f"{task.version}. Fix: install the same publish on every worker and restart them"
        )
    roots = {client: _unpack(*packed) for client, packed in shipped.items()}
    with tempfile.TemporaryDirectory(prefix="publish-task-") as scratch:
        outs = {client: os.path.join(scratch, str(n)) for n, client in enumerate(task.outputs)}
        for folder in outs.values():
            os.mkdir(folder)
        there = Rebase({**roots, **outs})
        if task.initializer is not None and _SET_UP[0] != task.token:
            task.initializer(*there(task.initargs))
            _SET_UP[0] = task.token
        value = with_room(task.function, *there(task.args))  # a thread's own frame stack
        files = {
            (client, str(path.relative_to(folder))): path.read_bytes()
            for client, folder in outs.items()
            for path in Path(folder).rglob("*")
            if path.is_file()
        }
        back = Rebase({worker: client for client, worker in outs.items()})
        return files, back(Rebase({w: c for c, w in roots.items()})(value))


def _unpack(digest: str, data: bytes) -> str:
    if digest not in _UNPACKED:
        folder = tempfile.mkdtemp(prefix="publish-shipped-")
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            tar.extractall(folder, filter="data")
        _UNPACKED[digest] = folder
    return _UNPACKED[digest]


class Rebase:
    """Paths (and file: URLs) under one folder moved to another, inside any value made of
    containers, dataclasses and publish objects."""

    def __init__(self, moves: dict[str, str]) -> None:
        self.moves = moves

    def text(self, text: str) -> str | None:
        root = _under(text, self.moves)
        return None if root is None else self.moves[root] + text[len(root.rstrip("/")) :]

    def __call__(self, value: Any) -> Any:
        if isinstance(value, Path):
            moved = self.text(str(value))
            return value if moved is None else Path(moved)
        if isinstance(value, str):
            return self._string(value)
        if isinstance(value, tuple | list | set | frozenset):
            items = [self(item) for item in value]
            return type(value)(*items) if hasattr(value, "_fields") else type(value)(items)
        if isinstance(value, dict):
            return type(value)({self(k): self(v) for k, v in value.items()})
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            fields = [f.name for f in dataclasses.fields(value) if f.init]
            return dataclasses.replace(value, **{n: self(getattr(value, n)) for n in fields})
        if type(value).__module__.startswith("publish.") and hasattr(value, "__dict__"):
            moved = copy.copy(value)
            for name, item in vars(value).items():
                setattr(moved, name, self(item))
            return moved
        return value

    def _string(self, value: str) -> str:
        if value.startswith("file://"):
            moved = self.text(unquote(value[len("file://") :]))
            if moved is not None:
                return Path(moved).as_uri() + ("/" if value.endswith("/") else "")
            return value
        if value.startswith("/"):
            return self.text(value) or value
        return value
