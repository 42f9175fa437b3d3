"""TYPOGRAPHY.md rules 1–12, measured from character positions in the default issue's print PDFs."""

from __future__ import annotations

import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import escape

from publish.pdf.render import headline_html, write_pdf
from publish.source.reader import read_issue
from publish.text.convert import convert_issue
from publish.text.editions import EDITIONS
from publish.text.typeset import (
    CLOSING,
    FULL_WIDTH,
    NEVER_LINE_START,
    NUMBER_UNIT,
    OPENING,
    halted_marks,
    headline_clauses,
    headline_parts,
    marks,
    typeset_html,
)
from tests.conftest import DEFAULT_ISSUE
from tests.pdfmeasure import (
    HAN,
    Line,
    body_lines,
    column_bottoms,
    column_breaks,
    column_edges,
    column_lefts,
    column_of,
    inter_character_spacing,
    paragraph_ends,
    read_lines,
    short_lines,
    split_terms,
)

pytestmark = pytest.mark.slow
BODY_SIZE = 10.5
HEADLINE_SIZE = 21.0


LAYOUTS = {
    "zh-Hans": ("zh-Hans", {}),
    "zh-Hant-TW": ("zh-Hant-TW", {}),
    # narrow columns make many more break decisions: 16开, three columns
    "zh-Hant-TW-16k-3col": ("zh-Hant-TW", {"page_size": (185.0, 260.0), "columns": 3}),
}


@pytest.fixture(scope="module", params=sorted(LAYOUTS))
def edition_pdf(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """(converted issue, PDF path, its lines) for each edition of the default issue."""
    tag, options = LAYOUTS[request.param]
    edition = EDITIONS[tag]
    issue = convert_issue(read_issue(DEFAULT_ISSUE), edition)
    pdf = replace(issue.config.pdf, **options)
    issue = replace(issue, config=replace(issue.config, pdf=pdf))
    target = tmp_path_factory.mktemp(request.param) / "print.pdf"
    write_pdf(issue, edition, target)
    return issue, target, read_lines(target)


@pytest.fixture(scope="module")
def body(edition_pdf) -> list[Line]:
    return body_lines(edition_pdf[2], BODY_SIZE)


def continuation_lines(body: list[Line]) -> list[Line]:
    """Body lines that a line break made: every line but the first of its paragraph."""
    ends = paragraph_ends(body)
    return [
        line for line, previous_final in zip(body[1:], ends, strict=False) if not previous_final
    ]


def test_body_is_measured(body: list[Line]) -> None:
    # guards the measures below against passing on an empty or misread PDF
    assert len(body) > 300
    assert sum(paragraph_ends(body)) >= 20


def test_no_line_starts_with_a_closing_or_pause_mark(body: list[Line]) -> None:
    bad = [ln.text[:8] for ln in continuation_lines(body) if ln.text[0] in NEVER_LINE_START]
    assert bad == []


def test_no_line_ends_with_an_opening_mark(edition_pdf) -> None:
    bad = [ln.text[-8:] for ln in edition_pdf[2] if ln.text[-1] in OPENING]
    assert bad == []


def test_dashes_and_ellipses_are_never_split_nor_line_initial(body: list[Line]) -> None:
    assert [ln.text[:8] for ln in continuation_lines(body) if ln.text[0] in "—…"] == []
    for line in body:
        for mark in "—…":
            trailing = len(line.text) - len(line.text.rstrip(mark))
            assert trailing % 2 == 0, f"{mark * 2} split after {line.text[-8:]}"


def test_lines_reach_the_column_edge(body: list[Line]) -> None:
    non_final = [ln for ln, final in zip(body, paragraph_ends(body), strict=True) if not final]
    short = short_lines(body)
    assert len(short) <= 0.01 * len(non_final), [ln.text[-8:] for ln in short]


# Loosest line allowed, in em between two characters: A4 columns hold ~22 characters; a
# 16开 third of a column ~12, where one unbreakable unit pushed down leaves far more room.
LOOSEST = {"zh-Hans": 0.2, "zh-Hant-TW": 0.2, "zh-Hant-TW-16k-3col": 1.0}


def test_no_line_is_set_loose(request: pytest.FixtureRequest, body: list[Line]) -> None:
    bound = LOOSEST[request.node.callspec.params["edition_pdf"]]
    non_final = [ln for ln, final in zip(body, paragraph_ends(body), strict=True) if not final]
    loose = [(round(inter_character_spacing(ln), 2), ln.text) for ln in non_final]
    assert [(spacing, text) for spacing, text in loose if spacing > bound] == []


def test_closing_marks_at_a_line_end_are_compressed_rather_than_pushed(body: list[Line]) -> None:
    edges, lefts = column_edges(body), column_lefts(body)
    rooms = [
        (edges[column_of(ln, lefts)][1] - ln.chars[-1].x0) / BODY_SIZE
        for ln in body
        if ln.chars[-1].text in CLOSING
    ]
    # a full-width mark takes 1 em at the edge; a halved one 0.5 em (TW centred: drawn from 0.75)
    halved = [room for room in rooms if room < 0.85]
    assert len(rooms) > 50 and len(halved) >= 2, "no line end was compressed (rule 8)"
    assert all(room > 0.45 for room in halved), halved


def test_columns_balance_on_an_article_last_page(edition_pdf, body: list[Line]) -> None:
    lines, pitch = edition_pdf[2], 1.75 * BODY_SIZE
    columns = edition_pdf[0].config.pdf.columns
    last_pages = sorted({ln.page for ln in lines if ln.text.startswith("（") and ln.size < 10})
    assert len(last_pages) == len(edition_pdf[0].articles)
    balanced = []
    for page in last_pages:
        bottoms = column_bottoms(lines, body, page)
        if len(bottoms) < columns:
            continue  # the text ends in the first columns: nothing to balance against
        # an odd line count leaves one line; three columns filled to one height up to two
        assert max(bottoms) - min(bottoms) <= (columns - 0.75) * pitch, (page + 1, bottoms)
        balanced.append(page)
    # most articles run into every column of their last page: those are the pages checked
    assert len(balanced) * 2 >= len(last_pages), (balanced, last_pages)


def test_last_line_of_a_paragraph_holds_two_han(body: list[Line]) -> None:
    finals = [ln for ln, final in zip(body, paragraph_ends(body), strict=True) if final]
    assert [ln.text for ln in finals if len(HAN.findall(ln.text)) < 2] == []


def test_names_and_numbers_with_units_are_never_split(edition_pdf, body: list[Line]) -> None:
    issue = edition_pdf[0]
    names = [s.name for a in issue.articles for s in a.speakers]
    names += [r for a in issue.articles for r in a.reporters]
    text = "".join(ln.text for ln in body)
    numbers = sorted({m.group() for m in NUMBER_UNIT.finditer(text)})
    assert len(numbers) > 5
    assert split_terms(body, names + numbers) == []


def test_adjacent_punctuation_pairs_are_compressed(body: list[Line]) -> None:
    pairs = 0
    for line in body:
        chars = line.chars
        advances = [b.x0 - a.x0 for a, b in zip(chars, chars[1:], strict=False)]
        # the line's inter-character spacing: what a plain Han character advances beyond 1 em
        spacing = sorted(advances)[len(advances) // 2] - BODY_SIZE if advances else 0
        halted = halted_marks(line.text)
        for i in range(1, len(chars) - 2):
            if chars[i].text in FULL_WIDTH and chars[i + 1].text in FULL_WIDTH:
                if not HAN.match(chars[i - 1].text):
                    continue
                pairs += 1
                # from the Han character before: a squeezed centred mark (TW) is drawn shifted left
                pair_width = chars[i + 2].x0 - chars[i - 1].x0 - 3 * spacing - BODY_SIZE
                # a pair takes 1.5 em; in a run of three the middle mark is squeezed too
                expected = sum(0.5 if j in halted else 1.0 for j in (i, i + 1)) * BODY_SIZE
                assert i in halted or i + 1 in halted
                assert pair_width == pytest.approx(expected, abs=0.6), line.text
                assert pair_width <= 1.5 * BODY_SIZE + 0.6
    assert pairs >= 5


def test_quarter_em_between_han_and_digits(body: list[Line]) -> None:
    gaps = []
    for line in body:
        chars = line.chars
        advances = sorted(b.x0 - a.x0 for a, b in zip(chars, chars[1:], strict=False))
        spacing = advances[len(advances) // 2] - BODY_SIZE if advances else 0
        for a, b in zip(chars, chars[1:], strict=False):
            if a.text.isdigit() and HAN.match(b.text) or HAN.match(a.text) and b.text.isdigit():
                gaps.append(b.x0 - a.x1 - spacing)
    assert len(gaps) > 10
    assert all(g == pytest.approx(0.25 * BODY_SIZE, abs=0.5) for g in gaps), gaps


def test_couplet_headlines_break_at_the_space(edition_pdf) -> None:
    issue, _, lines = edition_pdf
    headline_lines = [ln for ln in lines if ln.size == HEADLINE_SIZE]
    broken = 0
    for article in issue.articles:
        parts = headline_parts(article.title)
        on_page = [ln.text for ln in headline_lines if ln.text and ln.text in "".join(parts)]
        if len(on_page) > 1:
            broken += 1
        for text in on_page:
            assert _whole_parts(text, parts), f"{text!r} cuts a part of {parts}"
    assert broken >= 1, "no headline wraps, so the rule was not exercised"


def _whole_parts(text: str, parts: tuple[str, ...]) -> bool:
    pattern = "|".join(re.escape(p) for p in parts)
    return re.fullmatch(f"(?:{pattern})+", text) is not None


def test_no_single_paragraph_line_alone_across_a_column_break(body: list[Line]) -> None:
    ends = paragraph_ends(body)
    starts = [True, *ends[:-1]]
    for i in column_breaks(body):
        # orphan: a paragraph's first line alone at a column foot; widow: its last line alone on top
        assert not (starts[i] and not ends[i]), f"orphan {body[i].text}"
        assert not (ends[i + 1] and not starts[i + 1]), f"widow {body[i + 1].text}"


def test_first_lines_are_indented_two_em(body: list[Line]) -> None:
    lefts = [left for left, _ in column_edges(body).values()]
    starts = [ln for ln, prev in zip(body[1:], paragraph_ends(body), strict=False) if prev]
    indents = [min(ln.x0 - left for left in lefts if left <= ln.x0 + 1) for ln in starts]
    assert len(indents) >= 20
    assert all(i == pytest.approx(2 * BODY_SIZE, abs=0.6) for i in indents), indents


# The markup side, fast: what typeset_html marks in a paragraph.


def test_units_that_must_not_break_are_marked() -> None:
    text = "闫立然说，投资13.5万元，招聘45名工人——这是‘在济阳·济时办’的成果。"
    units = [text[a:b] for a, b in marks(text, ["闫立然"]).nobreak]
    assert "闫立然" in units
    assert any("13.5万元" in u for u in units)
    assert any("45名" in u for u in units)
    assert any(u.startswith("人——") for u in units)  # the dash glued to the character before
    assert any("阳·济" in u for u in units)
    assert units[-1] == "成果。"  # the last two Han characters stay together
    html = str(typeset_html(f"<p>{text}</p>", ["闫立然"]))
    assert '<span class="nb">闫立然</span>' in html
    assert re.sub(r"<[^>]+>", "", html) == text


def test_han_may_break_from_digits_but_not_a_number_from_its_unit() -> None:
    found = marks("繼續依託完善1517全產業鏈，簽約項目13個，總額336.58億元")
    units = [
        "繼續依託完善1517全產業鏈，簽約項目13個，總額336.58億元"[a:b] for a, b in found.nobreak
    ]
    assert "13個" in units and "336.58億元" in units  # Traditional units, after conversion
    assert not any("1517" in unit for unit in units)  # 善|1517|全 may break (clreq)
    assert [(a, b, before, after) for a, b, before, after in found.latin][0] == (6, 10, True, True)


def test_quotes_get_the_break_opportunities_pango_denies() -> None:
    html = str(typeset_html("<p>安全。”杨德超说：“过去的‘8S’标准，Xi’an，他说“好”。</p>"))
    assert "。</span>”<wbr>杨" in html and "：</span><wbr>“过" in html
    assert "’<wbr>标" in html and '的<wbr>‘<span class="lat">8S</span>' in html
    assert "Xi’an" in html  # an apostrophe is no quote
    assert '<span class="nb">说“好' in html  # no break inside the glued last two Han


def test_halt_picks_the_blank_side_of_each_pair() -> None:
    assert halted_marks("说。”他") == {1}  # closing + closing: squeeze the first
    assert halted_marks("好，“新") == {1}  # closing + opening: squeeze the closing one
    assert halted_marks("说：“‘新") == {1, 3}  # opener + opener: squeeze the second
    assert halted_marks("中文") == set()


def test_markup_and_escaping_survive() -> None:
    html = str(typeset_html("<p>a &lt;b&gt; 说<em>重点</em>工作。</p>"))
    assert "&lt;b&gt;" in html and "<em>" in html and "</em>" in html
    assert re.sub(r"<[^>]+>", "", html) == "a &lt;b&gt; 说重点工作。"


def test_headline_parts_split_at_spaces() -> None:
    assert headline_parts("实干会干 奋力攻坚　推动发展") == ("实干会干", "奋力攻坚", "推动发展")


@pytest.mark.parametrize(
    ("part", "clauses"),
    [
        ("查資料有罪？六名記者親述", ["查資料有罪？", "六名記者親述"]),
        ("央视主持人敬一丹：总理回答很踏实", ["央视主持人敬一丹：", "总理回答很踏实"]),
        ("他问：“真的吗？”她说好", ["他问：", "“真的吗？”", "她说好"]),
        ("人民日报高级记者、原国际部副主任温宪", ["人民日报高级记者、", "原国际部副主任温宪"]),
        ("防疫发展两手抓，全力攻坚", ["防疫发展两手抓，", "全力攻坚"]),
        ("最深刻的戰役是哪個？！", ["最深刻的戰役是哪個？！"]),  # a mark at the end ends no clause
        ("打赢新区建设攻坚战", ["打赢新区建设攻坚战"]),
    ],
)
def test_headline_clauses_end_after_a_pause_or_stop_mark(part: str, clauses: list[str]):
    assert [part[a:b] for a, b in headline_clauses(part)] == clauses


@pytest.mark.parametrize(
    "title",
    [
        "敬一丹：总理回答“民生问题” 2020年3月共有15个项目",
        "查資料有罪？六名記者遭起訴",
        "打赢新区建设攻坚战",
    ],
)
def test_a_toc_headline_keeps_its_parts_and_marks_without_unbreakable_runs(title: str) -> None:
    # the TOC sets every part and clause nowrap: a run kept whole inside one is a box for nothing
    whole, article = str(headline_html(title, whole=True)), str(headline_html(title))
    assert 'class="nb"' in article and 'class="nb"' not in whole
    assert re.sub(r'<span class="nb">|</span>', "", whole) == re.sub(
        r'<span class="nb">|</span>', "", article
    )


LONG_HEADLINES = (
    "查資料有罪？六名香港記者親述調查報導的風險與地雷",  # 端傳媒, 2021 (tests/fixtures/raw/real/15)
    "对话姚璐、王天挺：我为什么要关注一个三年前的旧案？",  # 谷雨 (10)
    "人民日报高级记者、人民日报原国际部副主任温宪做客人民网",  # 人民网 (01)
)


def test_a_headline_too_long_for_a_line_breaks_after_a_mark_not_inside_a_word(
    tmp_path: Path,
) -> None:
    # before, all three broke inside a word: …的風險與 / 地雷, …的旧 / 案？, …温宪做 / 客人民网
    issue = read_issue(DEFAULT_ISSUE)
    articles = [replace(a, title=t) for a, t in zip(issue.articles, LONG_HEADLINES, strict=False)]
    issue = replace(issue, articles=tuple(articles))
    target = tmp_path / "print.pdf"
    write_pdf(issue, EDITIONS["zh-Hans"], target)
    lines = [ln.text for ln in read_lines(target) if ln.size == HEADLINE_SIZE]
    first = [t for t in lines if t in LONG_HEADLINES[0]]
    second = [t for t in lines if t in LONG_HEADLINES[1]]
    third = [t for t in lines if t in LONG_HEADLINES[2]]
    assert first == ["查資料有罪？", "六名香港記者親述調查報導的風險與地雷"]
    assert second == ["对话姚璐、王天挺：", "我为什么要关注一个三年前的旧案？"]
    assert third == ["人民日报高级记者、", "人民日报原国际部副主任温宪做客人民网"]


QA_BODY = (
    "记者：2020年，济北开发区的工作重点是什么？请您谈谈项目建设、招商引资和营商环境方面的具体打算。\n\n"
    "范勇：今年我们将以示范区建设为抓手，全力推进项目建设，开发区新签约项目13个，总投资336.58亿元，"
    "同时持续优化营商环境，为企业提供全方位、全周期的服务保障。\n"
)


def test_qa_labels_hang(issue_dir: Path, tmp_path: Path) -> None:
    article = issue_dir / "articles" / "01-fan-yong.md"
    front = article.read_text(encoding="utf-8").split("---\n")[1]
    article.write_text(f"---\n{front}---\n{QA_BODY}", encoding="utf-8")
    target = tmp_path / "qa.pdf"
    write_pdf(read_issue(issue_dir), EDITIONS["zh-Hans"], target)
    body = [ln for ln in body_lines(read_lines(target), BODY_SIZE) if ln.page == 2]
    left = min(ln.x0 for ln in body)
    lines = sorted((ln for ln in body if ln.x0 < left + 100), key=lambda ln: ln.top)
    label_starts = [ln for ln in lines if ln.text.startswith(("记者：", "范勇："))]
    assert len(label_starts) == 2 and all(
        ln.x0 == pytest.approx(left, abs=0.3) for ln in label_starts
    )
    question = lines[lines.index(label_starts[0]) + 1]
    answer = lines[lines.index(label_starts[1]) + 1]
    assert question.x0 - left == pytest.approx(3 * BODY_SIZE, abs=0.3)
    assert answer.x0 - left == pytest.approx(3 * BODY_SIZE, abs=0.3)


ALPHABET = "闫立然说区发改局年名万元個" + FULL_WIDTH + "·—…0123456789.ABCab <>&"


@given(st.lists(st.text(alphabet=ALPHABET, max_size=40), min_size=1, max_size=3))
@settings(max_examples=200, deadline=None)
def test_typesetting_keeps_every_character_and_balanced_markup(paragraphs: list[str]) -> None:
    source = "".join(f"<p>{escape(p)}</p>\n" for p in paragraphs)
    out = str(typeset_html(source, ["闫立然"]))
    parser = _Balance()
    parser.feed(out)
    assert parser.depth == 0 and not parser.errors
    assert parser.text == "".join(p + "\n" for p in paragraphs)


class _Balance(HTMLParser):
    """Checks that every opened tag (but void `<wbr>`) closes in order, and collects the text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.text = ""

    @property
    def depth(self) -> int:
        return len(self.stack)

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag != "wbr":
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(tag)

    def handle_data(self, data: str) -> None:
        self.text += data
