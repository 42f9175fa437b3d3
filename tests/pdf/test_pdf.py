"""The print PDF: TOC by speaker, bookmarks, metadata, fonts, print options and the URL fetcher."""

from __future__ import annotations

import logging
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader

from publish.errors import EnvironmentProblem
from publish.model import Issue, TocOptions
from publish.pdf.render import (
    CMYK_PROFILES,
    IssueFetcher,
    allowed_roots,
    render_print_html,
    write_pdf,
)
from publish.pdf.weasy.pages import harfbuzz_subset_available
from publish.source import fonts
from publish.source.reader import read_issue
from publish.text.convert import convert_issue
from publish.text.editions import EDITIONS
from tests.conftest import DEFAULT_ISSUE, MINIMAL, ROOT
from tests.pdfmeasure import Line, read_lines

MM = 72 / 25.4


def with_pdf(issue: Issue, **options: object) -> Issue:
    """The issue with other print options."""
    return replace(issue, config=replace(issue.config, pdf=replace(issue.config.pdf, **options)))


@pytest.fixture(scope="module")
def default_issue() -> Issue:
    return read_issue(DEFAULT_ISSUE)


@pytest.fixture(scope="module")
def default_pdf(default_issue: Issue, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("pdf") / "zh-Hans.pdf"
    write_pdf(default_issue, EDITIONS["zh-Hans"], target)
    return target


@pytest.fixture
def minimal(tmp_path: Path) -> Issue:
    root = tmp_path / "minimal"
    shutil.copytree(MINIMAL, root)
    return read_issue(root)


def page_texts(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(path).pages]


@pytest.mark.slow
def test_toc_lists_every_speaker_with_the_page_their_interview_starts(
    default_issue: Issue, default_pdf: Path
) -> None:
    lines = read_lines(default_pdf)
    toc_lines = [ln for ln in lines if ln.page == 1]
    numbers = [re.search(r"(\d+)$", ln.text) for ln in toc_lines if ln.size == 10.5]
    printed = [int(m.group(1)) for m in numbers if m]
    speakers = [ln.text for ln in toc_lines if ln.size == 12.0]
    expected_names = [s.name for a in default_issue.articles for s in a.speakers]
    assert len(expected_names) == 10
    assert [s[: len(n)] for s, n in zip(speakers, expected_names, strict=True)] == expected_names
    headline_pages = {}
    for line in lines:
        if line.size == 21.0:
            headline_pages.setdefault(line.page, line.text)
    starts = sorted(headline_pages)
    assert printed == [page + 1 for page in starts]
    footers = {ln.page: ln.text for ln in lines if ln.size == 9.0 and ln.text.isdigit()}
    assert [int(footers[page]) for page in starts] == printed


@pytest.mark.slow
def test_bookmarks_name_headline_and_speaker(default_issue: Issue, default_pdf: Path) -> None:
    outline = PdfReader(default_pdf).outline
    titles = [item.title for item in outline if not isinstance(item, list)]
    assert titles[0] == default_issue.words["toc"]
    assert len(titles) == 11
    for title, article in zip(titles[1:], default_issue.articles, strict=True):
        assert article.title in title
        assert article.speakers[0].name in title


@pytest.mark.slow
def test_metadata_and_language(default_issue: Issue, default_pdf: Path) -> None:
    reader = PdfReader(default_pdf)
    info = reader.metadata
    assert info.title == default_issue.config.title
    assert info.author  # publisher, or the reporters when the issue names none
    assert "闫立然" in info.subject
    assert reader.trailer["/Root"]["/Lang"] == "zh-Hans"


@pytest.mark.slow
def test_every_font_is_embedded_and_subset(default_pdf: Path) -> None:
    seen = set()
    for page in PdfReader(default_pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = (
                font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            )
            descriptor = descendant["/FontDescriptor"].get_object()
            assert re.match(r"^/[A-Z]{6}\+", font["/BaseFont"]), font["/BaseFont"]
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor)
            seen.add(font["/BaseFont"].split("+")[1])
    assert any("Serif-CJK-SC" in name for name in seen)
    assert any("Sans-CJK-SC" in name for name in seen)


def test_traditional_edition_is_tagged_and_uses_tc_fonts(minimal: Issue) -> None:
    edition = EDITIONS["zh-Hant-TW"]
    html = render_print_html(convert_issue(minimal, edition), edition)
    assert '<html lang="zh-Hant-TW">' in html
    assert "Noto Serif CJK TC" in html
    assert "Noto Serif CJK SC" not in html


def test_toc_in_pinyin_order(default_issue: Issue) -> None:
    config = replace(default_issue.config, toc=TocOptions(order="pinyin"))
    html = render_print_html(replace(default_issue, config=config), EDITIONS["zh-Hans"])
    names = re.findall(r'<span class="toc-name nb">(.+?)</span>', html)
    assert names == ["范勇", "刘娟", "刘毅", "石兴震", "许金祯", "闫立然", "杨德超"] + [
        "张本才",
        "张清利",
        "张瑞刚",
    ]


def test_articles_may_run_on(minimal: Issue, tmp_path: Path) -> None:
    new_pages = write_pdf(minimal, EDITIONS["zh-Hans"], tmp_path / "a.pdf")
    run_on = write_pdf(
        with_pdf(minimal, article_new_page=False), EDITIONS["zh-Hans"], tmp_path / "b.pdf"
    )
    assert run_on == new_pages - 1


def test_pdf_x4_with_bleed_crop_marks_on_a_16kai_page(minimal: Issue, tmp_path: Path) -> None:
    issue = with_pdf(
        minimal, page_size=(185.0, 260.0), bleed=3.0, marks=("crop", "cross"), standard="pdf/x-4"
    )
    target = tmp_path / "x4.pdf"
    write_pdf(issue, EDITIONS["zh-Hans"], target)
    reader = PdfReader(target)
    page = reader.pages[0]
    trim = [float(v) for v in page.trimbox]
    assert trim[2] - trim[0] == pytest.approx(185 * MM, abs=0.5)
    assert trim[3] - trim[1] == pytest.approx(260 * MM, abs=0.5)
    media = [float(v) for v in page.mediabox]
    # crop marks need room outside the bleed: the media box is larger than trim + bleed
    assert media[2] - media[0] >= (185 + 6) * MM - 0.5
    bleed = [float(v) for v in page.bleedbox]
    assert trim[0] - bleed[0] == pytest.approx(3 * MM, abs=0.5)
    assert "PDF/X-4" in str(reader.metadata.get("/GTS_PDFXVersion", "")) or b"pdfxid" in _xmp(
        reader
    )
    assert reader.pdf_header == "%PDF-1.6"
    if any(p.is_file() for p in CMYK_PROFILES.values()):  # make setup; else a warning says so
        intent = reader.trailer["/Root"]["/OutputIntents"][0].get_object()
        assert intent["/S"] == "/GTS_PDFX"
        assert intent["/DestOutputProfile"].get_object()["/N"] == 4


@pytest.mark.parametrize("standard", [None, "pdf/x-4", "pdf/a-2b", "pdf/ua-1"])
def test_the_layout_logs_no_weasyprint_warning(
    minimal: Issue, tmp_path: Path, caplog: pytest.LogCaptureFixture, standard: str | None
) -> None:
    # a --strict build fails on any: the shipped layout must not cause one
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        write_pdf(with_pdf(minimal, standard=standard), EDITIONS["zh-Hant-TW"], tmp_path / "w.pdf")
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []


def test_pdf_a2b(minimal: Issue, tmp_path: Path) -> None:
    target = tmp_path / "a2b.pdf"
    write_pdf(with_pdf(minimal, standard="pdf/a-2b"), EDITIONS["zh-Hans"], target)
    xmp = _xmp(PdfReader(target))
    assert re.search(rb"pdfaid:part[^0-9]{1,3}2", xmp)
    assert re.search(rb"pdfaid:conformance[^A-Z]{1,3}B", xmp)


def test_pdf_ua1_is_tagged(minimal: Issue, tmp_path: Path) -> None:
    target = tmp_path / "ua.pdf"
    write_pdf(with_pdf(minimal, standard="pdf/ua-1"), EDITIONS["zh-Hans"], target)
    root = PdfReader(target).trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]


def test_plain_a4_has_no_bleed(minimal: Issue, tmp_path: Path) -> None:
    target = tmp_path / "a4.pdf"
    write_pdf(minimal, EDITIONS["zh-Hans"], target)
    page = PdfReader(target).pages[0]
    media = [float(v) for v in page.mediabox]
    assert media[2] - media[0] == pytest.approx(210 * MM, abs=0.5)
    assert media[3] - media[1] == pytest.approx(297 * MM, abs=0.5)


def _xmp(reader: PdfReader) -> bytes:
    metadata = reader.trailer["/Root"].get("/Metadata")
    return metadata.get_object().get_data() if metadata else b""


CANARY_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40">'
    '<text x="0" y="30" font-family="DejaVu Sans">{word}</text></svg>'
)


def test_files_outside_the_issue_are_never_read(
    minimal: Issue, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    outside = tmp_path / "secret"
    outside.mkdir()
    (outside / "canary.svg").write_text(CANARY_SVG.format(word="OUTSIDECANARY"))
    (minimal.root / "inside.svg").write_text(CANARY_SVG.format(word="INSIDECANARY"))
    own_layout = minimal.root / "layouts" / "special-issue"
    own_layout.mkdir(parents=True)
    shipped = (ROOT / "layouts" / "special-issue" / "print.css").read_text(encoding="utf-8")
    (own_layout / "print.css").write_text(
        shipped
        + f'.toc-kind::before {{ content: url("{(outside / "canary.svg").as_uri()}"); }}\n'
        + '.toc-kind::after { content: url("inside.svg"); }\n'
        + '.toc-title::after { content: url("http://example.invalid/track.svg"); }\n'
    )
    target = tmp_path / "fetch.pdf"
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        write_pdf(minimal, EDITIONS["zh-Hans"], target)
    text = "".join(page_texts(target))
    assert "INSIDECANARY" in text  # the probe works: a file inside the issue is drawn
    assert "OUTSIDECANARY" not in text
    warnings = [r.getMessage() for r in caplog.records if r.name == "weasyprint"]
    assert any("canary.svg" in w for w in warnings)
    assert any("example.invalid" in w for w in warnings)


def test_the_fetcher_serves_inline_data_and_allowed_files_only(minimal: Issue) -> None:
    fetcher = IssueFetcher(allowed_roots(minimal))
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"
    assert b"title" in fetcher.fetch((minimal.root / "publish.yaml").as_uri()).read()
    for url in ("file:///etc/passwd", (minimal.root / ".." / "x").as_uri(), "https://example.org/"):
        with pytest.raises(ValueError, match="refused"):
            fetcher.fetch(url)


def test_a_missing_font_stops_the_build_with_the_fix(
    minimal: Issue, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fonts, "font_roles", lambda script: {"body": "No Such Serif CJK"})
    with pytest.raises(EnvironmentProblem, match="apt-get install fonts-noto-cjk"):
        write_pdf(minimal, EDITIONS["zh-Hans"], tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_fonts_dropped_into_fonts_win(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = fonts.resolve_font("Noto Serif CJK SC")
    dropped = tmp_path / "dropped.ttf"
    shutil.copy("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", dropped)
    found = fonts.local_fonts.__wrapped__(tmp_path)
    assert found["DejaVu Sans"] == (dropped, 0)
    monkeypatch.setattr(fonts, "local_fonts", lambda folder=None: {source.family: (dropped, 0)})
    faces = fonts.font_faces("SC")
    assert [f.family for f in faces] == ["Noto Serif CJK SC"]
    assert faces[0].url == dropped.as_uri()


def test_harfbuzz_subsetting_is_available_here() -> None:
    # the machine has libharfbuzz-subset0; without it the build must warn (slow fontTools path)
    assert harfbuzz_subset_available() is True


@pytest.mark.slow
def test_run_on_articles_never_leave_a_headline_at_a_page_foot(
    default_issue: Issue, tmp_path: Path
) -> None:
    target = tmp_path / "run-on.pdf"
    pages = write_pdf(with_pdf(default_issue, article_new_page=False), EDITIONS["zh-Hans"], target)
    lines = read_lines(target)
    headlines = [ln for ln in lines if ln.size == 21.0]
    assert pages < 12 and len({ln.page for ln in headlines}) < 10  # articles do share pages
    for headline in headlines:
        below = [ln for ln in lines if ln.page == headline.page and ln.top > headline.top]
        assert sum(ln.size == 10.5 for ln in below) >= 2, f"{headline.text} alone at the foot"


def toc_with_headline(
    issue: Issue, title: str, edition: str, tmp_path: Path
) -> tuple[list[Line], float, float]:
    """The TOC lines of the issue printed with its first headline set to `title`, the right
    edge of the text area and the page width (points)."""
    articles = (replace(issue.articles[0], title=title), *issue.articles[1:])
    target = tmp_path / "print.pdf"
    write_pdf(replace(issue, articles=articles), EDITIONS[edition], target)
    width = float(PdfReader(target).pages[1].mediabox.width)
    right = width - issue.config.pdf.margins[1] * 72 / 25.4
    return [ln for ln in read_lines(target) if ln.page == 1 and ln.size == 10.5], right, width


OVERLONG = (
    "“习近平跟民进党都污蔑了九二共识”、“台湾要在模糊空间中谋求最大利益”德国之声专访张善政，"
    "谈两岸关系与台湾未来"
)
"""风传媒's headline (tests/fixtures/raw/real/05) with a clause added: longer than a TOC line."""


@pytest.mark.slow
def test_a_toc_headline_longer_than_its_line_wraps_at_a_clause_within_the_page(
    default_issue: Issue, tmp_path: Path
) -> None:
    # before, the TOC set each headline unbroken: this one ran 谈两岸关系与台湾未来 off the page
    toc, right, _ = toc_with_headline(default_issue, OVERLONG, "zh-Hans", tmp_path)
    assert all(ln.chars[-1].x1 <= right + 0.5 for ln in toc)
    entry = [ln for ln in toc if ln.text.rstrip(".") and ln.text.rstrip(".") in OVERLONG]
    assert "".join(ln.text.rstrip(".") for ln in entry) == OVERLONG
    assert len(entry) == 2 and re.fullmatch(r"谈两岸关系与台湾未来\.+", entry[1].text)
    # its page number on the line of its last words, flush right, not on a line of its own
    top = entry[1].chars[0].top
    (number,) = [ln for ln in toc if ln.text.isdigit() and abs(ln.chars[0].top - top) < 1]
    assert number.text == "3" and number.chars[-1].x1 == pytest.approx(right, abs=0.5)


FILLING = "「習近平跟民進黨都污蔑了九二共識」、「台灣要在模糊空間中謀求最大利益」德國之聲專訪張善政"
"""風傳媒's headline as pasted (tests/fixtures/raw/real/05): it fills a TOC line of its own."""


@pytest.mark.slow
def test_a_toc_headline_that_fills_its_line_takes_dots_and_number_to_the_next(
    default_issue: Issue, tmp_path: Path
) -> None:
    # before, the page number wrapped alone and sat at the left of the next line
    toc, right, width = toc_with_headline(default_issue, FILLING, "zh-Hant-TW", tmp_path)
    (headline,) = [ln for ln in toc if ln.text.rstrip(".") == FILLING]
    (number,) = [ln for ln in toc if ln.text == "3"]
    assert number.chars[-1].x1 == pytest.approx(right, abs=0.5)
    assert number.top > headline.top  # on the next line, with the dots leading to it
    (dots,) = [ln for ln in toc if abs(ln.top - number.top) < 1 and ln is not number]
    assert set(dots.text) == {"."} and dots.x0 < right - width / 2
