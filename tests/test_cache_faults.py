"""A rebuild cache not to be trusted, or not to be written: one warning, and the right outputs.

Real builds of the default issue's Simplified EPUB (the quickest output), compared byte for byte
with a clean build of it, with the cache folder (XDG_CACHE_HOME) damaged or read-only.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import DEFAULT_ISSUE
from tests.run.test_cache import UNTRUSTED
from tests.running import Running
from tests.test_disk_full import small_disk

pytestmark = pytest.mark.slow
EPUB = "jiyang-2020-zh-Hans.epub"


def build(out: Path, cache: Path, *options: str) -> tuple[int, list[str]]:
    """Build the EPUB; the exit code and the warnings printed."""
    argv = ["build", str(DEFAULT_ISSUE), "--out", str(out), "--edition", "zh-Hans"]
    with Running([*argv, "--format", "epub", *options], cache) as running:
        code = running.finish()
    return code, [line for line in running.lines if line.startswith("warning: ")]


@pytest.fixture(scope="module")
def clean_epub(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The EPUB as a build with a sound, empty cache writes it (an EPUB-only build: no page
    list, since no print edition is laid out beside it)."""
    root = tmp_path_factory.mktemp("clean")
    assert build(root / "out", root / "cache") == (0, [])
    return (root / "out" / EPUB).read_bytes()


def record_of(out: Path, cache: Path) -> Path:
    """Where the build keeps the record of `out` (publish.run.cache.record_file)."""
    name = hashlib.sha256(str(out.resolve()).encode()).hexdigest()[:24]
    return cache / "publish" / f"{name}.json"


@pytest.mark.parametrize("kind", ["truncated", "damaged", "an older version's"])
def test_a_build_ignores_a_record_it_cannot_trust(clean_epub, tmp_path, kind):
    out, cache = tmp_path / "out", tmp_path / "cache"
    assert build(out, cache) == (0, [])
    record = record_of(out, cache)
    sound = record.read_text(encoding="utf-8")
    assert json.loads(sound)["outputs"][EPUB]["key"]
    record.write_text(UNTRUSTED[kind](sound), encoding="utf-8")
    first = (out / EPUB).stat().st_ino
    code, warnings = build(out, cache)
    assert code == 0
    assert warnings == [
        f"warning: publish.run.cache: rebuild cache {record}: {what}; ignored, so every output "
        "is built again"
        for what in [
            "written by another version of publish"
            if kind == "an older version's"
            else "damaged (cut short, or not JSON)"
        ]
    ]
    assert (out / EPUB).stat().st_ino != first  # built again, not taken on the record's word
    assert (out / EPUB).read_bytes() == clean_epub
    assert build(out, cache) == (0, [])  # the record was written afresh: trusted, no warning


def test_a_read_only_cache_folder_costs_a_warning_not_the_build(clean_epub, tmp_path):
    out = tmp_path / "out"
    with small_disk(tmp_path / "cache") as cache:
        assert build(out, cache) == (0, [])
        subprocess.run(["mount", "-o", "remount,ro", str(cache)], check=True)
        assert build(out, cache) == (0, [])  # read, trusted: nothing to write, nothing to say
        (out / EPUB).write_bytes(b"not the EPUB")  # edited by hand: built again
        code, warnings = build(out, cache)
        assert code == 0
        assert warnings == [
            f"warning: publish.run.cache: rebuild cache {cache}/publish: cannot be written "
            "(Read-only file system); the outputs are built all the same, but the next build "
            "cannot tell they are up to date"
        ]
        assert (out / EPUB).read_bytes() == clean_epub
