"""A `publish build` into the out folder of a `publish watch` / `preview` rebuilding meanwhile."""

from __future__ import annotations

import http.client
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from publish.build import build
from tests.serve.test_preview import Child
from tests.serve.test_watch import Loop

WAIT = 300
"""Seconds to wait for a build or a line before the test gives up (a hang, not a timing)."""
NAMES = ["minimal-zh-Hans.epub", "minimal-zh-Hans.pdf"]
SCOPE = ["--edition", "zh-Hans", "--format", "pdf", "--format", "epub"]


def build_while_rebuilding(issue_dir: Path, out: Path, until) -> subprocess.CompletedProcess:
    """`publish build` into `out` started as an article is saved, so the watcher builds too;
    returns once both the build and the watcher's rebuild (`until`) have finished."""
    article = issue_dir / "articles" / "01-fan-yong.md"
    command = [sys.executable, "-m", "publish", "build", str(issue_dir), "--out", str(out)]
    racer = subprocess.Popen(
        [*command, *SCOPE, "--force", "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        article.write_text(
            article.read_text("utf-8").replace("提升服务效能", "提升审批效能"), "utf-8"
        )
        rebuilt = until("watch: #2 ")
        stdout, stderr = racer.communicate(timeout=WAIT)
    finally:
        if racer.poll() is None:
            racer.kill()
            racer.wait()
    assert "build failed" not in rebuilt, rebuilt
    return subprocess.CompletedProcess(racer.args, racer.returncode, stdout, stderr)


def assert_whole_outputs(issue_dir: Path, out: Path, reference: Path) -> None:
    """Only the outputs in `out` (no temporary), each complete: the PDF as long as a build of
    the saved issue on its own, the EPUB a sound zip with its mimetype first."""
    assert sorted(p.name for p in out.iterdir()) == NAMES
    build(issue_dir, reference, editions=("zh-Hans",), formats=("pdf", "epub"), force=True)
    pages = len(PdfReader(out / "minimal-zh-Hans.pdf").pages)
    assert pages == len(PdfReader(reference / "minimal-zh-Hans.pdf").pages)
    assert pages > 0
    with zipfile.ZipFile(out / "minimal-zh-Hans.epub") as book:
        assert book.testzip() is None
        first = book.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert book.read("mimetype") == b"application/epub+zip"


def status_of_root(url: str) -> int:
    """The status of a GET of the preview's page."""
    host, port = url.removeprefix("http://").rstrip("/").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=WAIT)
    try:
        connection.request("GET", "/")
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


@pytest.mark.slow  # three builds of the minimal issue's PDF and EPUB, one of them racing
def test_a_build_while_watch_rebuilds_leaves_whole_outputs(issue_dir, tmp_path):
    out = tmp_path / "dist"
    loop = Loop(str(issue_dir), "--out", str(out), *SCOPE)
    try:
        assert "build failed" not in loop.until("watch: #1 ")[-1]
        racer = build_while_rebuilding(issue_dir, out, lambda start: loop.until(start)[-1])
    finally:
        loop.child.send_signal(signal.SIGINT)
        code = loop.child.wait(timeout=WAIT)
    assert racer.returncode == 0, racer.stderr
    assert code == 0, loop.rest()
    assert not any("Traceback" in line for line in loop.rest())
    assert_whole_outputs(issue_dir, out, tmp_path / "reference")


@pytest.mark.slow  # as above, under the preview's server
def test_a_build_while_preview_serves_leaves_whole_outputs_and_the_page_served(issue_dir, tmp_path):
    out = tmp_path / "dist"
    child = Child(str(issue_dir), "--out", str(out), "--port", "0", *SCOPE)
    try:
        url = child.until("preview: http://127.0.0.1:").split()[1]
        assert "build failed" not in child.until("watch: #1 ")
        racer = build_while_rebuilding(issue_dir, out, child.until)
        assert status_of_root(url) == 200
    finally:
        child.process.send_signal(signal.SIGINT)
        code = child.process.wait(timeout=WAIT)
    assert racer.returncode == 0, racer.stderr
    assert code == 0
    assert_whole_outputs(issue_dir, out, tmp_path / "reference")
