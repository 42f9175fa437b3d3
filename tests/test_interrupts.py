"""Builds interrupted by SIGINT or SIGTERM, or losing a worker to SIGKILL, lose nothing.

Each case is a real build (the publish command line in a process of its own) of the default
issue, or of a 60-article issue made from it so that its PDF is laid out in chunks on worker
processes. The fault comes at a moment the build shows: a progress line on stderr, or a fault
point (tests.faultpoint) where the moment is too short to hit. Whatever the moment: the command
ends with one line and no traceback, no worker outlives it, the out folder holds no temporary,
and every output is the previous one, byte for byte, or the complete new one.
"""

from __future__ import annotations

import os
import shutil
import signal
import time
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from publish.bench import repeated_issue
from publish.run.output import sweep
from tests.conftest import DEFAULT_ISSUE, FIXTURES
from tests.running import (
    HANG,
    STOPPED,
    Running,
    fingerprints,
    in_group,
    last_lines_after,
    left_alive,
    plant,
)

pytestmark = pytest.mark.slow

EDITIONS = ("zh-Hans", "zh-Hant-TW")
DEFAULT_OUTPUTS = [f"jiyang-2020-{e}.{k}" for e in EDITIONS for k in ("pdf", "epub")]
LONG_OUTPUTS = ["x6-zh-Hans.pdf", "x6-zh-Hans.epub"]


@pytest.fixture(scope="module")
def long_issue(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default issue's articles six times over: 60 articles, laid out in chunks."""
    return repeated_issue(DEFAULT_ISSUE, 6, tmp_path_factory.mktemp("long") / "x6", "zh-Hans")


def build_argv(issue: Path, out: Path) -> list[str]:
    return ["build", str(issue), "--out", str(out), "--force"]


def assert_nothing_lost(
    out: Path, before: dict[str, tuple[str, int]], complete: dict[str, Path | None] | None = None
) -> None:
    """Only the outputs are in `out`; each is as it was before, or (if named in `complete`) a
    complete new one: the same bytes as its reference file, or (None) a whole PDF or EPUB."""
    after = fingerprints(out)
    assert sorted(after) == sorted(before), "a temporary file was left, or an output lost"
    for name, print_ in after.items():
        if print_ == before[name]:
            continue
        assert complete is not None and name in complete, f"{name} was replaced"
        reference = complete[name]
        if reference is not None:
            assert (out / name).read_bytes() == reference.read_bytes(), f"{name} is not whole"
        elif name.endswith(".pdf"):
            assert len(PdfReader(out / name).pages) > 1
        else:
            with zipfile.ZipFile(out / name) as book:
                assert book.testzip() is None and book.namelist()[0] == "mimetype"


def assert_stopped(running: Running, marker, signum: int, code: int, workers) -> None:
    assert code == 128 + signum, running.stderr
    assert "Traceback" not in running.stderr
    after = last_lines_after(running, marker)
    assert len(after) == 1, after  # one line, and no other after the fault
    (line,) = after
    assert STOPPED.match(line), line
    assert not left_alive(workers), f"workers left running: {left_alive(workers)}"
    assert not in_group(running.process.pid), "a process of the build is still running"


MOMENTS = {
    "before the chunk layout": r"zh-Hans: converting text",
    "during the chunk layout": r"laid out articles chunk 1 of \d+",
    "after the chunk layout": r"laid out articles chunk (\d+) of \1$",
}
HOW = {
    "SIGINT to the group (Ctrl-C)": (signal.SIGINT, True),
    "SIGINT to the build": (signal.SIGINT, False),
    "SIGTERM to the build (kill)": (signal.SIGTERM, False),
    "SIGTERM to the group": (signal.SIGTERM, True),
}
LONG_CASES = [
    ("before the chunk layout", "SIGINT to the group (Ctrl-C)"),
    ("before the chunk layout", "SIGTERM to the build (kill)"),
    ("during the chunk layout", "SIGINT to the build"),
    ("during the chunk layout", "SIGTERM to the group"),
    ("after the chunk layout", "SIGINT to the group (Ctrl-C)"),
    ("after the chunk layout", "SIGTERM to the build (kill)"),
]


@pytest.mark.parametrize(("moment", "how"), LONG_CASES)
def test_a_long_build_interrupted_loses_nothing(long_issue, tmp_path, moment, how):
    out, (signum, group) = tmp_path / "out", HOW[how]
    before = plant(out, LONG_OUTPUTS)
    with Running(build_argv(long_issue, out), tmp_path / "cache") as running:
        marker = running.wait_for(MOMENTS[moment])
        workers = running.workers()
        running.send(signum, group)
        code = running.finish()
    assert_stopped(running, marker, signum, code, workers)
    # the PDF is joined last: never done at these moments; the EPUB may be, whole
    assert_nothing_lost(out, before, {"x6-zh-Hans.epub": None})


@pytest.mark.parametrize("how", ["SIGTERM to the group", "SIGINT to the build"])
def test_a_build_interrupted_while_writing_its_epubs_loses_nothing(default_build, tmp_path, how):
    out, (signum, group) = tmp_path / "out", HOW[how]
    before = plant(out, DEFAULT_OUTPUTS)
    # each edition held as it opens its EPUB (written beside the PDF's join: a staged file's)
    pause = str(out / "*.jiyang-2020-*.epub.*.part")
    with Running(build_argv(DEFAULT_ISSUE, out), tmp_path / "cache", pause) as running:
        marker = running.wait_for(r"^fault point: ")
        workers = running.workers()
        running.send(signum, group)
        code = running.finish()
    assert_stopped(running, marker, signum, code, workers)
    # the PDFs are written before the EPUBs: those may be in place, whole and the same
    pdfs = {name: default_build / name for name in DEFAULT_OUTPUTS if name.endswith(".pdf")}
    assert_nothing_lost(out, before, pdfs)
    for name in DEFAULT_OUTPUTS:
        if name.endswith(".epub"):
            assert fingerprints(out)[name] == before[name]


def assert_worker_lost(running: Running, marker, code: int, workers) -> None:
    assert code == 2, running.stderr
    assert "Traceback" not in running.stderr
    (line,) = last_lines_after(running, marker)
    assert line.startswith("environment error: a worker process of the build (pid ")
    assert "was killed by SIGKILL" in line and "replaced no output" in line
    assert not left_alive(workers), f"workers left running: {left_alive(workers)}"
    assert not in_group(running.process.pid), "a process of the build is still running"


def test_a_layout_worker_killed_mid_chunks_stops_the_build(long_issue, tmp_path):
    out = tmp_path / "out"
    before = plant(out, LONG_OUTPUTS)
    with Running(build_argv(long_issue, out), tmp_path / "cache") as running:
        marker = running.wait_for(MOMENTS["during the chunk layout"])
        workers = running.workers()
        # the newest: a chunk's layout process (the first is the EPUB's, started beside)
        os.kill(running.children()[-1], signal.SIGKILL)
        code = running.finish()
    assert_worker_lost(running, marker, code, workers)
    assert_nothing_lost(out, before)


def test_an_edition_worker_killed_as_it_writes_its_pdf_stops_the_build(default_build, tmp_path):
    out = tmp_path / "out"
    before = plant(out, DEFAULT_OUTPUTS)
    pause = str(out / ".jiyang-2020-zh-Hans.pdf.*.part")
    with Running(build_argv(DEFAULT_ISSUE, out), tmp_path / "cache", pause) as running:
        marker = running.wait_for(r"^fault point: (\d+) ")
        workers = running.workers()
        os.kill(int(marker.group(1)), signal.SIGKILL)  # its temporary file stays: swept
        code = running.finish()
    assert_worker_lost(running, marker, code, workers)
    others = {n: default_build / n for n in DEFAULT_OUTPUTS if "zh-Hant-TW" in n}
    assert_nothing_lost(out, before, others)


RAW = FIXTURES / "raw" / "jiyang-2020.txt"


@pytest.mark.parametrize("replacing", [False, True], ids=["new folder", "--force over one"])
def test_an_interrupted_import_leaves_no_half_written_issue_folder(tmp_path, replacing):
    seeds = tmp_path / "seeds"
    target = seeds / "jiyang"
    argv = ["import", str(RAW), "--out", str(target), "--title", "济阳三千会专访"]
    if replacing:
        shutil.copytree(DEFAULT_ISSUE, target)
        argv.append("--force")
    seeds.mkdir(exist_ok=True)
    before = {p.relative_to(seeds): p.read_bytes() for p in seeds.rglob("*") if p.is_file()}
    pause = str(seeds / ".jiyang.*.part" / "articles" / "05-*")  # half the articles written
    signum = signal.SIGTERM if replacing else signal.SIGINT
    with Running(argv, tmp_path / "cache", pause) as running:
        marker = running.wait_for(r"^fault point: ")
        running.send(signum, group=not replacing)
        code = running.finish()
    assert_stopped(running, marker, signum, code, set())
    after = {p.relative_to(seeds): p.read_bytes() for p in seeds.rglob("*") if p.is_file()}
    assert after == before  # nothing beside it, and an old folder as it was
    assert sorted(p.name for p in seeds.iterdir()) == (["jiyang"] if replacing else [])


def test_a_build_killed_outright_leaves_no_worker_and_only_what_the_next_one_sweeps(
    long_issue, tmp_path
):
    out = tmp_path / "out"
    before = plant(out, LONG_OUTPUTS)
    with Running(build_argv(long_issue, out), tmp_path / "cache") as running:
        running.wait_for(MOMENTS["during the chunk layout"])
        workers = running.workers()
        running.send(signal.SIGKILL)  # no cleanup of its own: its workers must go by themselves
        assert running.finish() == -signal.SIGKILL
    deadline = time.monotonic() + HANG
    while in_group(running.process.pid) and time.monotonic() < deadline:
        time.sleep(0.1)  # each is sent SIGTERM by the kernel as the build dies, and unwinds
    assert workers and not left_alive(workers) and not in_group(running.process.pid)
    assert sweep(out)  # its temporary PDF and chunk folder, which the next build removes first
    assert fingerprints(out) == before
