"""The e-books opened in a reading system: epub.js in Debian's Chromium, at a phone's size."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from publish.build import build
from tests.conftest import CHROMIUM, CHROMIUM_FLAGS, DEFAULT_ISSUE, ROOT
from tests.epub.conftest import need_tools

pytestmark = pytest.mark.slow
PHONE = {"width": 414, "height": 736}
READER_FILES = (
    ROOT / "tests" / "epub" / "reader" / "index.html",
    ROOT / "node_modules" / "epubjs" / "dist" / "epub.min.js",
    ROOT / "node_modules" / "jszip" / "dist" / "jszip.min.js",
)
LAYOUT = """() => {
  const root = document.documentElement, body = document.body;
  const text = body.querySelector(".body p, .cover-image");
  const range = document.createRange();
  const node = text && text.firstChild && text.firstChild.nodeType === 3 ? text.firstChild : null;
  const box = (i) => { range.setStart(node, i); range.setEnd(node, i + 1);
                       const r = range.getBoundingClientRect(); return [r.x, r.y]; };
  const image = body.querySelector("img");
  const headline = body.querySelector(".headline");
  const lines = [];  // the headline's text, line by line, from where each character falls
  if (headline) {
    const walker = document.createTreeWalker(headline, NodeFilter.SHOW_TEXT);
    let top = null;
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      for (let i = 0; i < n.length; i++) {
        if (!n.data[i].trim()) continue;
        range.setStart(n, i); range.setEnd(n, i + 1);
        const y = range.getBoundingClientRect().y;
        if (top === null || y > top + 2) { lines.push(""); top = y; }
        lines[lines.length - 1] += n.data[i];
      }
    }
  }
  return {
    headline: lines,
    root: getComputedStyle(root).writingMode, body: getComputedStyle(body).writingMode,
    text: body.innerText.replace(/\\s+/g, "").length,
    scrollWidth: root.scrollWidth, width: innerWidth,
    characters: node && node.length > 2 ? [box(0), box(1)] : null,
    image: image ? image.getBoundingClientRect().width : null,
  };
}"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    need_tools()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


def open_in_reader(
    browser: Any, book: Path, doc: str, shot: Path, flow: str = "paginated"
) -> dict[str, Any]:
    """Open `doc` of `book` in epub.js, save a screenshot to `shot`, measure its layout."""
    site = shot.parent / f"site-{shot.stem}"
    site.mkdir()
    for file in READER_FILES:
        shutil.copy(file, site)
    shutil.copy(book, site / "book.epub")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *args: None  # type: ignore[method-assign]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page = browser.new_page(viewport=PHONE)
        page.goto(f"http://127.0.0.1:{server.server_port}/index.html?doc={doc}&flow={flow}")
        page.wait_for_function("window.shown !== null || window.failed", timeout=60_000)
        assert page.evaluate("window.failed") is None
        assert page.evaluate("window.shown") == doc
        page.wait_for_timeout(500)  # web fonts and the last reflow
        (frame,) = [f for f in page.frames if f != page.main_frame]
        measured = frame.evaluate(LAYOUT)
        page.screenshot(path=str(shot))
        page.close()
        return measured
    finally:
        server.shutdown()


def ink(shot: Path) -> float:
    """The share of the screenshot's pixels that are not near white."""
    return dark_pixels(Image.open(shot)) / (Image.open(shot).width * Image.open(shot).height)


def dark_pixels(image: Image.Image) -> int:
    return sum(image.convert("L").histogram()[:160])


def test_horizontal_book_shows_text_within_the_screen(
    browser: Any, speakers_build: Path, tmp_path: Path
) -> None:
    book = speakers_build / "speakers-zh-Hans.epub"
    shot = tmp_path / "horizontal.png"
    found = open_in_reader(browser, book, "text/01-two.xhtml", shot, flow="scrolled-doc")
    assert found["root"] == found["body"] == "horizontal-tb"
    assert found["text"] > 1000 and ink(shot) > 0.03
    assert found["scrollWidth"] <= found["width"], "text runs off the right of the screen"
    (x0, y0), (x1, y1) = found["characters"]
    assert x1 > x0 and abs(y1 - y0) < 2  # a line runs left to right


LONG_HEADLINE = "【孩子大提问】小记者vs.孙立方少将：最深刻的战役是哪个？AI也能操作无人机？"
"""报导者's headline (tests/fixtures/raw/real/14), longer than a phone's line."""


def test_a_long_headline_breaks_at_its_marks_not_inside_a_word(
    browser: Any, tmp_path: Path
) -> None:
    # before, epub.js in Chromium broke it 孙立方少 / 将：
    issue = tmp_path / "issue"
    shutil.copytree(DEFAULT_ISSUE, issue)
    article = issue / "articles" / "01-yan-li-ran.md"
    text = article.read_text("utf-8")
    title = "title: 打赢新区建设攻坚战 当好发展改革排头兵"
    article.write_text(text.replace(title, f"title: {LONG_HEADLINE}"), "utf-8")
    build(issue, tmp_path / "out", editions=["zh-Hans"], formats=["epub"])
    book = tmp_path / "out" / "jiyang-2020-zh-Hans.epub"
    found = open_in_reader(browser, book, "text/01-yan-li-ran.xhtml", tmp_path / "long.png")
    lines = found["headline"]
    assert "".join(lines) == LONG_HEADLINE and len(lines) > 1
    for word in ("孙立方少将", "战役", "无人机"):
        assert any(word in line for line in lines), f"{word} is cut: {lines}"


def test_vertical_book_runs_top_to_bottom_and_pages_right_to_left(
    browser: Any, speakers_build: Path, tmp_path: Path
) -> None:
    book = speakers_build / "speakers-zh-Hant-TW.epub"
    shot = tmp_path / "vertical.png"
    found = open_in_reader(browser, book, "text/01-two.xhtml", shot)
    assert found["root"] == found["body"] == "vertical-rl"
    assert found["text"] > 1000 and ink(shot) > 0.03
    assert found["scrollWidth"] <= found["width"], "a page wider than the screen"
    (x0, y0), (x1, y1) = found["characters"]
    assert y1 > y0 and abs(x1 - x0) < 2  # a line runs top to bottom
    image = Image.open(shot)
    right, left = (image.crop((x, 0, x + 100, image.height)) for x in (image.width - 110, 10))
    # the headline stands at the right, where vertical text begins
    assert dark_pixels(right) > dark_pixels(left) / 4


def test_vertical_books_cover_stays_horizontal_and_fits(
    browser: Any, speakers_build: Path, tmp_path: Path
) -> None:
    book = speakers_build / "speakers-zh-Hant-TW.epub"
    found = open_in_reader(browser, book, "cover.xhtml", tmp_path / "cover.png")
    assert found["root"] == "horizontal-tb"
    assert 300 < found["image"] <= PHONE["width"]
