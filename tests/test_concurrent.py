"""Builds racing into the same out folder leave complete files and no temporaries."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

from tests.conftest import DEFAULT_ISSUE, MINIMAL
from tests.running import Running


@pytest.mark.slow  # three whole builds
def test_three_concurrent_builds_leave_one_complete_epub(tmp_path):
    out = tmp_path / "dist"
    command = [sys.executable, "-m", "publish", "build", str(MINIMAL), "--edition", "zh-Hans"]
    command += ["--format", "epub", "--out", str(out), "--force", "--quiet"]
    racers = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(3)
    ]
    results = [(racer.wait(timeout=300), racer.stderr.read().decode()) for racer in racers]
    assert [code for code, _ in results] == [0, 0, 0], results
    assert sorted(p.name for p in out.iterdir()) == ["minimal-zh-Hans.epub"]
    with zipfile.ZipFile(out / "minimal-zh-Hans.epub") as book:
        assert book.testzip() is None
        assert book.namelist()[0] == "mimetype"


@pytest.mark.slow
def test_two_builds_of_the_default_issue_into_one_folder_both_leave_whole_outputs(
    default_build, tmp_path
):
    out = tmp_path / "dist"
    argv = ["build", str(DEFAULT_ISSUE), "--out", str(out), "--force", "--edition", "zh-Hans"]
    racers = [Running(argv, tmp_path / "cache") for _ in range(2)]
    with racers[0], racers[1]:
        codes = [racer.finish() for racer in racers]
    assert codes == [0, 0], [racer.stderr for racer in racers]
    names = ["jiyang-2020-zh-Hans.epub", "jiyang-2020-zh-Hans.pdf"]
    assert sorted(p.name for p in out.iterdir()) == names  # no temporary of either left
    for name in names:  # whichever finished last, its output is whole: the one build's bytes
        assert (out / name).read_bytes() == (default_build / name).read_bytes()
