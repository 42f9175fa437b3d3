"""Builds racing into the same out folder leave complete files and no temporaries."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

from tests.conftest import MINIMAL


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
