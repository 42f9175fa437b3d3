"""A full disk, under the out folder or the cache folder: exit 2 naming it, nothing lost or partial.

The disk is a 1 MB tmpfs mounted for the test (skipped, saying why, where mounting is refused).
The out folder's disk is filled by the previous outputs, so the new ones run out of space as
they are written; the cache folder's is filled to the last block.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import DEFAULT_ISSUE
from tests.running import Running, fingerprints

pytestmark = pytest.mark.slow


@contextlib.contextmanager
def small_disk(folder: Path, size: str = "1m") -> Iterator[Path]:
    """A tmpfs of `size` mounted on `folder` while the block runs."""
    folder.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode:
        pytest.skip(f"a small disk is needed and mount was refused: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill(folder: Path, leave: int = 0) -> None:
    """Write a filler file into `folder` until its disk has at most `leave` bytes free."""
    chunk = os.urandom(4096)
    with (folder / "filler").open("wb", buffering=0) as filler:
        try:
            while os.statvfs(folder).f_bavail * os.statvfs(folder).f_frsize > leave:
                filler.write(chunk)
        except OSError:
            pass  # full


def build(out: Path, cache: Path, *options: str) -> tuple[int, list[str]]:
    argv = ["build", str(DEFAULT_ISSUE), "--out", str(out), "--force", *options]
    with Running(argv, cache) as running:
        code = running.finish()
    return code, [line for line in running.lines if not line.startswith("publish: ")]


@pytest.mark.parametrize(
    ("kind", "editions"),
    [("pdf", ["zh-Hans"]), ("epub", ["zh-Hans"]), ("pdf", ["zh-Hans", "zh-Hant-TW"])],
    ids=["PDF", "EPUB", "PDFs in worker processes"],
)
def test_a_full_out_folder_stops_the_build_and_keeps_the_previous_outputs(tmp_path, kind, editions):
    with small_disk(tmp_path / "out") as out:
        for edition in editions:  # the previous outputs
            (out / f"jiyang-2020-{edition}.{kind}").write_bytes(os.urandom(300_000))
        fill(out, leave=40_000)  # room to start, none for a new output beside the old ones
        before = fingerprints(out)
        options = ["--format", kind, *(f"--edition={edition}" for edition in editions)]
        code, lines = build(out, tmp_path / "cache", *options)
        assert code == 2, lines
        (line,) = lines
        assert re.fullmatch(
            f"environment error: {re.escape(str(out))}: the disk is full \\(no space left "
            f"while writing jiyang-2020-(zh-Hans|zh-Hant-TW).{kind}\\); the previous outputs are "
            "kept and nothing partial is left. Fix: free some space there, or write elsewhere "
            "with --out",
            line,
        ), line
        assert fingerprints(out) == before


def test_a_full_cache_folder_stops_the_build_before_it_starts(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "jiyang-2020-zh-Hans.epub").write_bytes(b"previous")
    with small_disk(tmp_path / "cache") as cache:
        (cache / "publish").mkdir()
        fill(cache)
        before = fingerprints(cache / "publish"), fingerprints(out)
        code, lines = build(out, cache, "--format", "epub", "--edition", "zh-Hans")
        assert code == 2, lines
        assert lines == [
            f"environment error: {cache}/publish: the disk is full (no space left while "
            "writing the rebuild cache); the previous outputs are kept and nothing partial is "
            "left. Fix: free some space there, or set XDG_CACHE_HOME to a folder on another disk"
        ]
        assert (fingerprints(cache / "publish"), fingerprints(out)) == before
