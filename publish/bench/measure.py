"""The bench's measure: a case run in a cold child process, its time, CPU and peak memory."""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Case:
    """One measured child process."""

    name: str
    what: str
    seconds: float = 0.0
    """Wall-clock time of the child process."""
    cpu_seconds: float = 0.0
    """CPU time (user + system) of the child and every process below it."""
    pages: int = 0
    peak_pss_mb: float = 0.0
    peak_rss_mb: float = 0.0
    processes: int = 0
    """Most processes alive at once (the child and its workers)."""
    load: float = 0.0
    """The machine's 1-minute load average at the end: above the core count, others competed."""
    steal_seconds: float = 0.0
    """CPU time the hypervisor gave other machines while the case ran (all cores, /proc/stat):
    time a build on every core lost, and a one-process render on a free core mostly did not."""
    outputs: list[dict] = field(default_factory=list)

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0


def descendants(root: int) -> list[int]:
    """`root` and every process below it (from the kernel's children lists, not a /proc scan)."""
    found, stack = [], [root]
    while stack:
        pid = stack.pop()
        found.append(pid)
        for task in Path(f"/proc/{pid}/task").glob("*/children"):
            try:
                stack.extend(int(child) for child in task.read_text().split())
            except OSError:
                continue
    return found


def memory_of(pid: int) -> tuple[int, int]:
    """(PSS, RSS) of a process in bytes; zeros once it is gone."""
    try:
        rss = int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except (OSError, IndexError):
        return 0, 0
    found = re.search(r"^Pss:\s+(\d+) kB", rollup, re.M)
    return (int(found.group(1)) * 1024 if found else rss), rss


SAMPLE_EVERY = 0.5


def measure(
    case: Case, argv: list[str], allowed: tuple[int, ...] = (0,), cache: Path | None = None
) -> str:
    """Run `argv` as a child, filling in seconds and peak memory; return its standard output
    (an exit code not `allowed` stops the bench). `cache`: the child's user cache folder
    (rebuild record, layout cache), else the user's."""
    print(f"bench: {case.name}: {case.what} ...", file=sys.stderr, flush=True)
    started, cpu, stolen = time.perf_counter(), _children_cpu(), _stolen()
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)} if cache else None
    child = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE, text=True, env=env)
    peaks = [0, 0, 0]

    def sample() -> None:
        while child.poll() is None:
            pids = descendants(child.pid)
            sizes = [memory_of(pid) for pid in pids]
            peaks[0] = max(peaks[0], sum(s[0] for s in sizes))
            peaks[1] = max(peaks[1], sum(s[1] for s in sizes))
            peaks[2] = max(peaks[2], sum(1 for s in sizes if s[1]))
            time.sleep(SAMPLE_EVERY)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = child.communicate()
    case.seconds = round(time.perf_counter() - started, 2)
    case.cpu_seconds = round(_children_cpu() - cpu, 2)
    case.load = round(os.getloadavg()[0], 1)
    case.steal_seconds = round(_stolen() - stolen, 1)
    sampler.join()
    done = f"{case.seconds:.2f} s, {case.cpu_seconds:.2f} CPU s"
    print(f"bench: {case.name}: {done}", file=sys.stderr, flush=True)
    if child.returncode not in allowed:
        raise SystemExit(f"bench: {case.name} failed (exit {child.returncode}): {' '.join(argv)}")
    case.peak_pss_mb = round(peaks[0] / 2**20)
    case.peak_rss_mb = round(peaks[1] / 2**20)
    case.processes = peaks[2]
    return output


def _stolen() -> float:
    """Seconds of steal time of all cores since boot (0 where /proc/stat does not say)."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()
        return int(fields[8]) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def pdf_pages(path: Path) -> int:
    """Pages of a PDF."""
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


def build_case(
    name: str, what: str, issue: Path, out: Path, editions: list[str], cache: Path
) -> Case:
    """A real build in a cold process, with `cache` as its user cache folder."""
    case = Case(name, what)
    argv = [sys.executable, "-m", "publish.bench", "--build", str(issue), str(out), *editions]
    output = measure(case, argv, cache=cache)
    case.outputs = json.loads(output.strip().splitlines()[-1]) if output.strip() else []
    case.pages = sum(o["pages"] for o in case.outputs if o["path"].endswith(".pdf"))
    return case


def fastest(runs: list[Case]) -> Case:
    """The fastest of several runs of one case, its `what` listing every run's time."""
    best = min(runs, key=lambda case: case.seconds)
    if len(runs) > 1:
        times = ", ".join(f"{case.seconds:.1f}" for case in runs)
        best.what += f" (faster of {len(runs)} runs: {times} s)"
    return best
