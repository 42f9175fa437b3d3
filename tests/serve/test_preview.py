"""`publish preview`: a page in a real browser that follows the builds; nothing else is served."""

from __future__ import annotations

import http.client
import queue
import signal
import subprocess
import sys
import threading

import pytest

from publish.model import Finding, Source
from publish.serve.preview import Preview, PreviewServer, Snapshot
from publish.serve.proofs import Proof, Sheet
from tests.conftest import CHROMIUM, CHROMIUM_FLAGS
from tests.serve.test_watch import heed_ctrl_c

WAIT = 300
"""Seconds to wait for the preview before the test gives up (a hang, not a timing)."""


@pytest.fixture
def served(tmp_path):
    """A preview server over a snapshot with one output, on a free loopback port."""
    out = tmp_path / "dist"
    out.mkdir()
    (out / "x-zh-Hans.epub").write_bytes(b"PK the book")
    (out / "secret.txt").write_text("not an output")
    state = Preview(tmp_path, "x")
    state.snapshot = Snapshot(1, None, outputs={"x-zh-Hans.epub": out / "x-zh-Hans.epub"})
    server = PreviewServer(state, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    state.close()
    server.shutdown()
    server.server_close()


def get(server: PreviewServer, path: str, host: str | None = None) -> tuple[int, bytes]:
    """The status and body of a GET of `path` exactly as written (no normalising)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=WAIT)
    connection.putrequest("GET", path, skip_host=True)
    connection.putheader("Host", host or f"127.0.0.1:{server.port}")
    connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body


def test_the_server_listens_on_loopback_only(served):
    assert served.server_address[0] == "127.0.0.1"
    assert served.url == f"http://127.0.0.1:{served.port}/"


@pytest.mark.parametrize(
    "path",
    [
        "/assets/../preview.py",
        "/assets/%2e%2e/preview.py",
        "/assets/..%2Fpreview.py",
        "/assets/preview.css/../../proofs.py",
        "/assets/index.html.j2",
        "/outputs/../dist/secret.txt",
        "/outputs/secret.txt",
        "/outputs/..%2Fsecret.txt",
        "/page/zh-Hans/../../../etc/passwd",
        "/page/..%2F..%2Fetc/1.png",
        "/page/zh-Hans/1.png",  # no PDF in the snapshot
        "//etc/passwd",
        "/etc/passwd",
        "/../../../../etc/passwd",
    ],
)
def test_nothing_but_the_outputs_and_the_assets_is_served(served, path):
    status, body = get(served, path)
    assert status == 404
    assert b"root:" not in body and b"not an output" not in body


def test_the_outputs_and_assets_are_served(served):
    assert get(served, "/outputs/x-zh-Hans.epub") == (200, b"PK the book")
    status, body = get(served, "/assets/preview.js")
    assert status == 200 and b"EventSource" in body


def test_a_page_asked_for_by_another_host_name_is_refused(served):
    assert get(served, "/", host="attacker.example:80")[0] == 403


def test_findings_stand_beside_the_first_page_of_their_article(tmp_path):
    found = Finding(Source(tmp_path / "articles" / "01-a.md", 7), "doubled 的: 的的")
    sheets = (Sheet(1, (), ()), Sheet(2, ("01-a",), (found,)), Sheet(3, ("01-a",), ()))
    state = Preview(tmp_path, "x")
    state.snapshot = Snapshot(2, None, (Proof("x-zh-Hant-TW.pdf", b"%PDF", sheets),))
    server = PreviewServer(state, 0)
    try:
        html = server.render("sheets.html.j2", state.snapshot, None, "x")
    finally:
        server.server_close()
    second = html.split('id="page-2"')[1].split("</section>")[0]
    assert "<code>articles/01-a.md:7</code> doubled 的: 的的" in second
    assert 'src="/page/zh-Hant-TW/2.png?v=' in second
    assert "的的" not in html.split('id="page-2"')[0] + html.split('id="page-3"')[1]


class Child:
    """A `publish preview` process whose lines are read as they come."""

    def __init__(self, *argv: str) -> None:
        command = [sys.executable, "-m", "publish", "preview", *argv]
        self.process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            preexec_fn=heed_ctrl_c,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def until(self, start: str) -> str:
        while not (line := self.lines.get(timeout=WAIT)).startswith(start):
            pass
        return line


@pytest.mark.slow
def test_the_page_in_a_browser_changes_after_an_article_is_edited(issue_dir, tmp_path):
    from playwright.sync_api import sync_playwright

    article = issue_dir / "articles" / "01-fan-yong.md"
    child = Child(str(issue_dir), "--out", str(tmp_path / "dist"), "--port", "0",
                  "--edition", "zh-Hans", "--format", "pdf")  # fmt: skip
    try:
        url = child.until("preview: http://127.0.0.1:").split()[1]
        child.until("watch: #1 ")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            page.goto(url)
            first = page.locator("#page-3 img")
            first.scroll_into_view_if_needed()
            page.wait_for_function("document.querySelector('#page-3 img').naturalWidth > 0")
            before = first.screenshot()
            assert "01-fan-yong" in page.locator("#page-3 .findings").inner_text()
            assert page.locator("#page-3 .findings li").count() == 0

            text = article.read_text("utf-8").replace("提升服务效能", "提升审批效能")
            article.write_text(text.replace("我们将以", "我们将将以"), "utf-8")
            page.wait_for_selector('#sheets[data-generation="2"]', timeout=WAIT * 1000)
            page.wait_for_function("document.querySelector('#page-3 img').naturalWidth > 0")
            after = page.locator("#page-3 img").screenshot()
            findings = page.locator("#page-3 .findings").inner_text()
            browser.close()
    finally:
        child.process.send_signal(signal.SIGINT)
        code = child.process.wait(timeout=WAIT)
    assert before != after
    assert "articles/01-fan-yong.md:" in findings and "将将" in findings
    assert code == 0
