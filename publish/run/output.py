"""Atomic output: write to a temporary file beside the target, rename into place on success.

A temporary's name carries the id of the process writing it (`.<target>.<pid>.<random>.part`),
so what a killed process left behind is recognised and removed by the next build (`sweep`),
while the temporaries of a build running beside it are left alone.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from publish.errors import EnvironmentProblem
from publish.run.interrupt import shielded

FULL = (errno.ENOSPC, errno.EDQUOT)
"""No space left, or the user's quota used up: the same to an editor."""
_TEMPORARY = re.compile(r"^\..+\.(\d+)\.[^.]+\.part$")


def disk_full(
    folder: Path, what: str, elsewhere: str = "write elsewhere with --out"
) -> EnvironmentProblem:
    """The error of a folder whose disk (or quota) filled up while publish wrote `what` there."""
    return EnvironmentProblem(
        f"{folder}: the disk is full (no space left while writing {what}); the previous "
        f"outputs are kept and nothing partial is left. Fix: free some space there, or "
        f"{elsewhere}"
    )


def is_full(error: BaseException) -> bool:
    """Whether `error` says the disk or the quota is full."""
    return isinstance(error, OSError) and error.errno in FULL


def temporary_prefix(name: str) -> str:
    """The start of a temporary's name for `name`, written by this process."""
    return f".{name}.{os.getpid()}."


@contextlib.contextmanager
def atomic_target(target: Path) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces `target`, on failure it vanishes.
    A full disk, here or in a worker writing for it, is an error naming the folder."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with shielded():  # created and known to the cleanup below, or not created
        fd, name = tempfile.mkstemp(
            prefix=temporary_prefix(target.name), suffix=".part", dir=target.parent
        )
        os.close(fd)
    temporary = Path(name)
    try:
        yield temporary
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except OSError as error:
        if is_full(error):
            raise disk_full(target.parent, target.name) from None
        raise
    finally:
        with shielded(), contextlib.suppress(FileNotFoundError):
            temporary.unlink()


@contextlib.contextmanager
def staged(target: Path) -> Iterator[Path]:
    """Yield the path where another process may write `target` ahead of time, for this one to
    put it in place (os.replace) once the build has got that far; removed at exit otherwise.
    Named as this process's temporary, so that a killed build's is swept by the next."""
    path = target.with_name(f"{temporary_prefix(target.name)}staged.part")
    try:
        yield path
    finally:
        with shielded(), contextlib.suppress(FileNotFoundError):
            path.unlink()


def output_path(out: Path, slug: str, edition: str, kind: str) -> Path:
    """Where an edition's output goes: `<out>/<slug>-<edition>.<kind>` (kind: pdf or epub)."""
    return out / f"{slug}-{edition}.{kind}"


@contextlib.contextmanager
def scratch_folder(beside: Path, name: str) -> Iterator[Path]:
    """A temporary folder in `beside` (so its files are on the target's disk), removed after."""
    with shielded():
        folder = Path(tempfile.mkdtemp(prefix=temporary_prefix(name), suffix=".part", dir=beside))
    try:
        yield folder
    finally:
        with shielded():
            shutil.rmtree(folder, ignore_errors=True)


def sweep(folder: Path) -> list[Path]:
    """Remove the temporaries in `folder` whose writing process has ended; return them."""
    removed = []
    for path in folder.iterdir() if folder.is_dir() else ():
        found = _TEMPORARY.match(path.name)
        if found is None or _running(int(found.group(1))):
            continue
        with shielded():
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        removed.append(path)
    return removed


def _running(pid: int) -> bool:
    """Whether a process `pid` exists (a reused id keeps a stale temporary, which is harmless)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def probe_write(folder: Path, suffix: str = "") -> None:
    """Create `folder` and write a small file there and remove it; OSError when it cannot."""
    folder.mkdir(parents=True, exist_ok=True)
    with shielded():
        fd, probe = tempfile.mkstemp(prefix=temporary_prefix("probe"), suffix=suffix, dir=folder)
        try:
            os.write(fd, b"publish\n")  # an empty file takes no block: a full disk allows it
        finally:
            os.close(fd)
            os.unlink(probe)


def check_writable(out: Path) -> None:
    """Stop before any work when the out folder cannot be created or written."""
    try:
        probe_write(out, suffix=".part")
    except OSError as error:
        if is_full(error):
            raise disk_full(out, "a test file") from None
        raise EnvironmentProblem(
            f"{out}: cannot write there ({error.strerror}). "
            "Fix: choose another folder with --out, or make this one writable"
        ) from None
