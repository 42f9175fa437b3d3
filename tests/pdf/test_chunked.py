"""Chunked layout gives the PDF one render gives: pages, folios, running heads, TOC, bookmarks."""

from __future__ import annotations

import re
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader

from publish.pdf import chunked, parts, schedule, settle
from publish.pdf import render as pdf
from publish.pdf.weasy import pages
from publish.pdf.worker import Rendered
from publish.source.reader import read_issue
from publish.text.editions import EDITIONS
from tests.conftest import MINIMAL

LONG = "区委、区政府在疫情防控关键时期，组织召开全区三级干部大会，部署全年重点工作。" * 40

pytestmark = pytest.mark.slow


def twelve_articles():
    """The minimal issue grown to 12 articles; every third one runs over a page."""
    issue = read_issue(MINIMAL)
    articles = []
    for number in range(12):
        model = issue.articles[number % 2]
        body = model.body + ("\n\n" + LONG) * 3 if number % 3 == 2 else model.body
        articles.append(replace(model, slug=f"a{number:02d}", body=body))
    return replace(issue, articles=tuple(articles))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same 12-article issue set once in one render and once in 3 chunks of 4 articles,
    their folios drawn by two overlays (of two chunks, then one), made from specimens as a
    long issue's are (publish.pdf.specimens)."""
    folder = tmp_path_factory.mktemp("chunked")
    issue, edition = twelve_articles(), EDITIONS["zh-Hans"]
    pdf.write_pdf(issue, edition, folder / "single.pdf", STARTS["single"].extend)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(schedule, "OVERLAY_CHUNKS", 2)
        patch.setattr(schedule, "SPECIMENS_FROM", 0)
        target, given = folder / "chunked.pdf", STARTS["chunked"].extend
        chunked.write_issue(issue, edition, target, jobs=2, chunk_size=4, pages_ready=given)
    assert len(list(folder.glob("*.pdf"))) == 2  # the parts were cleaned up
    return folder


STARTS: dict[str, list] = {"single": [], "chunked": []}
"""Where the pages of each book of `built` begin, as its pages_ready hook was given them."""


@pytest.fixture
def pair(built: Path) -> tuple[PdfReader, PdfReader]:
    """Readers of the single render and of the chunked one."""
    return PdfReader(built / "single.pdf"), PdfReader(built / "chunked.pdf")


def outline(reader: PdfReader) -> list[tuple[int, str, int, float, float]]:
    """Every bookmark as (depth, title, page index, left, top)."""
    found: list[tuple[int, str, int, float, float]] = []

    def walk(items: list, depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                page = reader.get_destination_page_number(item)
                found.append((depth, item.title, page, round(item.left, 1), round(item.top, 1)))

    walk(reader.outline, 0)
    return found


def test_same_page_count_and_more_than_one_page_per_chunk(pair):
    single, joined = pair
    assert len(joined.pages) == len(single.pages) > 12 + 2


def test_every_page_looks_exactly_the_same(built, tmp_path):
    for name in ("single", "chunked"):
        subprocess.run(
            ["pdftoppm", "-r", "60", "-png", str(built / f"{name}.pdf"), str(tmp_path / name)],
            check=True,
        )
    shots = sorted(tmp_path.glob("single-*.png"))
    assert len(shots) == len(PdfReader(built / "single.pdf").pages)
    for shot in shots:
        twin = tmp_path / shot.name.replace("single", "chunked")
        assert twin.read_bytes() == shot.read_bytes(), f"{shot.name} differs"


def test_every_page_has_the_same_text_folio_and_running_heads(built):
    # read in reading order: the TOC numbers and the folios are drawn after the page's content
    pages = [page_texts(built / f"{name}.pdf") for name in ("single", "chunked")]
    assert len(pages[1]) == len(pages[0]) > 14
    for number, (one, other) in enumerate(zip(*pages, strict=True), 1):
        assert other == one, f"page {number}"


def page_texts(pdf: Path, *options: str) -> list[str]:
    """The text of every page as poppler reads it (in reading order)."""
    command = ["pdftotext", *options, str(pdf), "-"]
    text = subprocess.run(command, capture_output=True, check=True).stdout
    return text.decode().split("\f")[:-1]


def squeeze(text: str) -> str:
    """Text without whitespace."""
    return re.sub(r"\s+", "", text)


def test_the_chunks_give_the_page_starts_one_render_gives(built, pair):
    single, chunks = STARTS["single"], STARTS["chunked"]
    assert chunks == single
    # every article page of the book, the second chunk's moved past the first one's pages
    article_pages = [start.page for start in single]
    assert article_pages == list(range(article_pages[0], len(pair[0].pages) + 1))
    assert {start.article for start in single} == {f"a{n:02d}" for n in range(12)}
    assert any(start.offset > 0 for start in single)  # an article that runs over a page


def test_folios_are_drawn_on_without_rewriting_the_pages(pair):
    # each article page keeps its compressed content, set apart, and the folio follows it
    _, joined = pair
    for page in joined.pages[2:]:
        contents = [part.get_object() for part in page["/Contents"]]
        assert [c.get_data().strip() for c in (contents[0], contents[-2])] == [b"q", b"Q"]
        assert all(c.get("/Filter") == "/FlateDecode" for c in contents[1:-2])
        assert b"-folio" in contents[-1].get_data()
        assert b"-specimen-" in contents[-1].get_data()  # made from a specimen's page


def test_folios_count_on_across_chunks(pair):
    _, joined = pair
    last_lines = [page.extract_text().strip().splitlines()[-1] for page in joined.pages[1:]]
    assert last_lines == [str(n) for n in range(2, len(joined.pages) + 1)]


def font_programs(page) -> dict[str, int]:
    """The object number of the font program of each of a page's own fonts (not its folio's),
    by font name."""
    found = {}
    for name, font in page["/Resources"]["/Font"].items():
        if "-folio" not in name:
            cid_font = font.get_object()["/DescendantFonts"][0].get_object()
            descriptor = cid_font["/FontDescriptor"].get_object()
            found[str(descriptor["/FontName"])] = descriptor.raw_get("/FontFile3").idnum
    return found


def test_toc_and_chunks_share_one_font_program_per_face(pair):
    _, joined = pair
    # page 1 is the cover, set on its own with its own subsets (the EPUB cover is drawn from it)
    shared = [font_programs(page) for page in joined.pages[1:]]
    by_name: dict[str, set[int]] = {}
    for page in shared:
        for name, program in page.items():
            by_name.setdefault(name, set()).add(program)
    assert len(by_name) >= 2 and all(len(programs) == 1 for programs in by_name.values())
    assert not {p for ps in by_name.values() for p in ps} & set(font_programs(joined.pages[0]))
    # the placeholders are gone: no object names a font file of this machine
    for number in range(1, joined.trailer["/Size"]):
        found = joined.get_object(number)
        if hasattr(found, "get_data"):
            assert b"publish-shared-face" not in found.get_data()


def test_toc_numbers_are_the_article_pages(built, pair):
    _, joined = pair
    toc = page_texts(built / "chunked.pdf", "-layout")[1].strip().rsplit("\n", 1)[0]
    numbers = [int(n) for n in re.findall(r"\.\.\.\s+(\d+)\s*$", toc, re.M)]  # after leaders
    starts = [joined.get_destination_page_number(d) + 1 for d in joined.named_destinations.values()]
    assert len(numbers) == 12 and numbers == sorted(starts)[:12]


def test_toc_links_land_where_one_render_lands(pair):
    single, joined = pair

    def places(reader: PdfReader) -> dict[str, tuple[int, float]]:
        return {
            name: (reader.get_destination_page_number(d), round(d.top, 1))
            for name, d in reader.named_destinations.items()
        }

    assert places(joined) == places(single)

    def targets(reader: PdfReader) -> list[tuple[str, tuple[float, ...]]]:
        links = [a.get_object() for a in reader.pages[1].get("/Annots", [])]
        return sorted((str(a["/Dest"]), tuple(round(v, 1) for v in a["/Rect"])) for a in links)

    assert targets(joined) == targets(single)
    assert {name for name, _ in targets(joined)} == {f"a{n:02d}" for n in range(12)}


def test_bookmarks_are_the_same(pair):
    single, joined = pair
    assert outline(joined) == outline(single)
    assert [title for _, title, *_ in outline(joined)][0] == "目录"
    assert len(outline(joined)) == 1 + 12


def test_front_matter_without_a_marked_toc_is_settled_whole(built, tmp_path, monkeypatch):
    # a layout with no <nav class="toc">: cover and TOC are one part, which the book starts with
    monkeypatch.setattr(parts, "TOC_START", '<nav class="no-such-part"')
    target, starts = tmp_path / "whole.pdf", []
    issue, edition = twelve_articles(), EDITIONS["zh-Hans"]
    chunked.write_issue(issue, edition, target, jobs=2, chunk_size=4, pages_ready=starts.extend)
    assert starts == STARTS["single"]  # given once settled
    single, whole = PdfReader(built / "single.pdf"), PdfReader(target)
    assert [squeeze(page.extract_text()) for page in whole.pages] == [
        squeeze(page.extract_text()) for page in single.pages
    ]
    assert outline(whole) == outline(single)
    assert whole.trailer["/Root"]["/Lang"] == single.trailer["/Root"]["/Lang"]


@pytest.fixture(scope="module")
def long_toc(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Twelve articles of five speakers each (a TOC of several pages), set once in one render
    and twice in chunks: with the TOC laid out once and its numbers drawn on (stamped), and
    with the TOC set again with its numbers, in halves on two processes (settled), the way for
    layouts whose numbers could change the lines; and once more as a long issue is, its
    TOC numbers and folios made from specimens (made)."""
    folder = tmp_path_factory.mktemp("long-toc")
    issue, edition = twelve_articles(), EDITIONS["zh-Hans"]
    articles = tuple(
        replace(
            a, speakers=tuple(replace(s, name=f"{s.name}{n}") for n in range(5) for s in a.speakers)
        )
        for a in issue.articles
    )
    issue = replace(issue, articles=articles)
    pdf.write_pdf(issue, edition, folder / "single.pdf")
    settled: list[list] = []
    result = settle.Settled.result
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            settle.Settled, "result", lambda self: settled.append(result(self)) or settled[-1]
        )
        drawn: list[tuple[int, int]] = []
        stamp_html = schedule.stamp_html
        patch.setattr(schedule, "NUMBERS_PAGES", 1)  # draw numbers as soon as a page's are known
        patch.setattr(
            schedule,
            "stamp_html",
            lambda split, start, toc, folios, a, b: (
                drawn.append((a, b)) or stamp_html(split, start, toc, folios, a, b)
            ),
        )
        chunked.write_issue(issue, edition, folder / "stamped.pdf", jobs=2, chunk_size=4)
        assert settled == []  # the TOC was laid out once
        # some pages' numbers were drawn before the last chunk, the rest after; each page once
        assert len(drawn) >= 2 and drawn[0][0] == 0
        assert [a for a, _ in drawn[1:]] == [b for _, b in drawn[:-1]]
        patch.setattr(pages, "number_slots", lambda document, placeholder: None)
        # a patched layout: its TOC probe must not be the one the layout cache kept
        target = folder / "settled.pdf"
        chunked.write_issue(issue, edition, target, jobs=2, chunk_size=4, reuse_layout=False)
    assert [len(fronts) for fronts in settled] == [2]  # the TOC was set in two halves
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(schedule, "SPECIMENS_FROM", 0)
        patch.setattr(schedule, "NUMBERS_PAGES", 1)
        # laid out afresh: the layout cache holds the patched layout's probe, without slots
        made = folder / "made.pdf"
        chunked.write_issue(issue, edition, made, jobs=2, chunk_size=4, reuse_layout=False)
    return folder


def test_a_long_issues_toc_numbers_and_folios_are_made_from_specimens(long_toc):
    made = PdfReader(long_toc / "made.pdf")
    toc_pages = [page for page in made.pages if "................" in page.extract_text()]
    assert len(toc_pages) >= 3
    for page in toc_pages:
        names = list(page["/Resources"]["/Font"])
        assert any(name.endswith("-specimen-numbers") for name in names), names
        assert not any(re.search(r"-folio\d+$", name) for name in names)  # none from WeasyPrint


@pytest.mark.parametrize("way", ["stamped", "settled", "made"])
def test_a_long_toc_looks_exactly_like_one_render(long_toc, tmp_path, way):
    single, joined = (PdfReader(long_toc / f"{name}.pdf") for name in ("single", way))
    assert len(joined.pages) == len(single.pages)
    toc_pages = [
        n for n, page in enumerate(single.pages) if "................" in page.extract_text()
    ]
    assert len(toc_pages) >= 3
    for name in ("single", way):
        subprocess.run(
            ["pdftoppm", "-r", "60", "-png", str(long_toc / f"{name}.pdf"), str(tmp_path / name)],
            check=True,
        )
    for shot in sorted(tmp_path.glob("single-*.png")):
        twin = tmp_path / shot.name.replace("single", way)
        assert twin.read_bytes() == shot.read_bytes(), f"{shot.name} differs"
    assert outline(joined) == outline(single)
    assert page_texts(long_toc / f"{way}.pdf") == page_texts(long_toc / "single.pdf")


SLOT = """<html><style>@page {{ size: 80mm 40mm; margin: 5mm }} body {{ margin: 0 }}
a {{ display: block }} a::after {{ content: attr(data-folio); {style} }}</style><body>
<a href="#x" data-folio="000">一</a><a href="#y" data-folio="000">二</a></body></html>"""


def test_numbers_are_drawn_on_only_where_they_cannot_move_the_lines():
    import weasyprint

    def slots(style: str):
        return pages.number_slots(weasyprint.HTML(string=SLOT.format(style=style)).render(), "000")

    found = slots("display: inline-block; width: 2em; text-align: right")
    assert [(page, target, pseudo) for page, target, _, _, _, pseudo in found] == [
        (0, "x", "after"),
        (0, "y", "after"),
    ]
    assert found[0][3] < found[1][3]  # y: the second line below the first
    assert slots("display: inline-block") is None  # as wide as its number
    assert slots("") is None  # inline: as wide as its number
    # a leader in the same content: its dots depend on the number's width
    leader = SLOT.replace("content: attr(data-folio)", 'content: leader(".") attr(data-folio)')
    assert (
        pages.number_slots(weasyprint.HTML(string=leader.format(style="")).render(), "000") is None
    )


@pytest.mark.parametrize("count", [1, 9, 35, 100, 1000])
def test_chunks_taper_so_that_the_workers_finish_together(count):
    bounds = parts.chunk_bounds(count, 40, jobs=2, least=10)
    sizes = [last - first for first, last in bounds]
    assert [first for first, _ in bounds] == [0, *[last for _, last in bounds[:-1]]]
    assert bounds[-1][1] == count and max(sizes) <= 40
    assert sizes == sorted(sizes, reverse=True) or count < 20  # never a big one last
    if count >= 35:  # the last chunks small, though never so small that their cost shows
        assert sizes[0] > sizes[-1] and min(sizes) >= 5 and sizes[-1] <= 10
    if count == 1000:
        assert sizes.count(40) > 20
    # a size asked for and no taper below it: equal chunks
    assert parts.chunk_bounds(12, 4, jobs=2, least=10) == [(0, 4), (4, 8), (8, 12)]


def test_halves_cut_at_a_page_that_starts_with_its_own_list_item():
    front = '<nav class="toc"><h2>目录</h2><ol><li>一</li><li>二</li><li>三</li></ol></nav>'
    split = parts.Split("<html><body>", front, (), "</body></html>")
    probe = Rendered(Path("x.pdf"), 3, (), (), ("", "", ""), items=(0, -1, 2), item_count=3)
    (before, after), page = settle.halves(split, probe)
    assert page == 2  # page 1 starts inside item 1: no cut there
    assert before.front == '<nav class="toc"><h2>目录</h2><ol><li>一</li><li>二</li></ol></nav>'
    assert after.front == '<nav class="toc"><ol><li>三</li></ol></nav>'
    # list items the probe did not lay out as the HTML has them: no halves
    assert settle.halves(split, replace(probe, item_count=4)) is None
    assert settle.halves(split, replace(probe, items=(0, -1, -1))) is None


def test_split_keeps_every_article_once():
    html = "<html><head></head><body>F<article>1</article>\n<article>2</article>T</body>"
    split = parts.split_articles(html)
    assert split.front == "F" and split.articles == (
        "<article>1</article>\n",
        "<article>2</article>",
    )
    assert split.tail == "T</body>"


def test_chunk_styles_drop_the_folio_and_cover_rules_only():
    css = (
        "@page { @top-left { content: string(t) } @bottom-center { content: counter(page) } }"
        " @page :first { @top-left { content: none } } p { color: red }"
    )
    styles = parts.chunk_css(css)
    assert "counter(page)" not in styles and "string(t)" in styles and ":first" not in styles
    overlay = parts.overlay_css(css, 7)
    assert "counter(page)" in overlay and "string(t)" not in overlay
    assert "counter-reset: page 7" in overlay


def test_layouts_whose_pages_depend_on_their_position_are_not_cut():
    assert parts.cuttable("<style>@page { @bottom-center { content: counter(page) } }</style>")
    for css in ("@page :left { margin-left: 3cm }", "h1 { break-before: right }", "counter(pages)"):
        assert not parts.cuttable(f"<style>{css}</style>")
