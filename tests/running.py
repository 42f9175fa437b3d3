"""A real `publish` command run for a fault test: its own process group, stderr read as it comes.

The test waits for a line (a progress line, or a fault point of tests.faultpoint), then injects
its fault: a signal to the command (`kill PID`), to its group (Ctrl-C in a terminal), or to one
of its workers. Every wait has a generous hang-timeout; a command still running at the end of a
test is killed with its whole group.
"""

from __future__ import annotations

import hashlib
import os
import queue
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

from publish.bench.measure import descendants
from tests.conftest import ROOT

HANG = 120.0
"""Seconds after which a command that has not got on is taken to hang (never reached)."""
STOPPED = re.compile(r"^interrupted by (SIGINT|SIGTERM): stopped; .*no partial file is left$")


class Running:
    """`python -m tests.faultpoint ARGV` (the publish command line) running in the background."""

    def __init__(self, argv: list[str], cache: Path, pause_at: str | None = None) -> None:
        env = os.environ | {"XDG_CACHE_HOME": str(cache), "PYTHONUNBUFFERED": "1"}
        env.pop("PUBLISH_TEST_PAUSE_AT", None)
        if pause_at:
            env["PUBLISH_TEST_PAUSE_AT"] = pause_at
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.faultpoint", *argv],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # a group of its own, as a terminal's foreground job
        )
        self.lines: list[str] = []
        self._new: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.append(line.rstrip("\n"))
            self._new.put(self.lines[-1])
        self._new.put(None)

    def __enter__(self) -> Running:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    @property
    def stderr(self) -> str:
        return "\n".join(self.lines)

    def wait_for(self, pattern: str) -> re.Match[str]:
        """The first stderr line from now on matching `pattern` (the command keeps running)."""
        while True:
            try:
                line = self._new.get(timeout=HANG)
            except queue.Empty:
                raise AssertionError(f"no line {pattern!r} in {HANG} s:\n{self.stderr}") from None
            if line is None:
                raise AssertionError(f"ended before a line {pattern!r}:\n{self.stderr}")
            if found := re.search(pattern, line):
                return found

    def workers(self) -> set[tuple[int, int]]:
        """(pid, start time) of every process below the command, to be found gone later."""
        found = set()
        for pid in descendants(self.process.pid)[1:]:
            if (start := started(pid)) is not None:
                found.add((pid, start))
        return found

    def children(self) -> list[int]:
        """The command's own worker processes."""
        tasks = Path(f"/proc/{self.process.pid}/task").glob("*/children")
        return [int(pid) for task in tasks for pid in task.read_text().split()]

    def send(self, signum: int, group: bool = False) -> None:
        """`signum` to the command, or to its whole process group (Ctrl-C sends SIGINT so)."""
        if group:
            os.killpg(self.process.pid, signum)
        else:
            os.kill(self.process.pid, signum)

    def finish(self) -> int:
        """The exit code, once the command has ended (a hang fails the test)."""
        try:
            code = self.process.wait(timeout=HANG)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"still running {HANG} s on:\n{self.stderr}") from None
        self._reader.join(timeout=HANG)
        return code


def started(pid: int) -> int | None:
    """A live process's start time (clock ticks since boot); None if it is gone or a zombie."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1].split()
    except (OSError, IndexError):
        return None
    return None if fields[0] in "ZX" else int(fields[19])


def left_alive(workers: set[tuple[int, int]]) -> list[int]:
    """Those of `workers` still running (the same pid started at the same moment)."""
    return [pid for pid, start in workers if started(pid) == start]


def in_group(group: int) -> list[int]:
    """Live processes of process group `group` (a command's workers stay in its group, even
    those forked after a snapshot of `workers`)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(") ", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[0] not in "ZX" and int(fields[2]) == group:
            found.append(int(stat.parent.name))
    return found


def plant(out: Path, names: list[str]) -> dict[str, tuple[str, int]]:
    """Previous outputs, each of its own bytes: name → (sha256, inode)."""
    out.mkdir(parents=True, exist_ok=True)
    for name in names:
        (out / name).write_bytes(f"previous {name}\n".encode() + os.urandom(4096))
    return fingerprints(out)


def fingerprints(folder: Path) -> dict[str, tuple[str, int]]:
    """Every entry of `folder` (hidden ones too): name → (sha256 of its bytes, inode)."""
    return {
        path.name: (
            hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "folder",
            path.stat().st_ino,
        )
        for path in sorted(folder.iterdir())
    }


def last_lines_after(running: Running, marker: re.Match[str]) -> list[str]:
    """stderr lines after the one `marker` was found in, progress lines left out."""
    index = next(i for i, line in enumerate(running.lines) if marker.group(0) in line)
    return [
        line
        for line in running.lines[index + 1 :]
        if not line.startswith(("publish: ", "fault point: "))
    ]
