"""Inter-character justification: the WeasyPrint 70 extension, measured on small PDFs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import weasyprint

from publish.pdf.weasy import justify
from tests.pdfmeasure import Line, read_lines

TEXT = (
    "区发改局将以全区三千会为契机紧紧围绕打造大气开放的现代新区产城融合的品质新区宜业宜居的"
    "善美新区的奋斗目标把行动统一到区委区政府的决策部署上来以高度的责任感使命感打赢新区建设攻坚战"
)
LEFT = 72.0  # 1 inch page margin, in points
WIDTH_PX = 310  # 232.5 pt: 15.5 em at 15 pt, so a pure-Han line falls half an em short


def render(tmp_path: Path, inner: str, lang: str = "zh-Hans") -> list[Line]:
    """Lay out one justified paragraph 310 px wide and read its lines back."""
    html = f"""<html lang="{lang}"><body style="margin: 0">
    <p style="width: {WIDTH_PX}px; text-align: justify; margin: 0;
              font: 20px 'Noto Serif CJK SC'">{inner}</p></body></html>"""
    target = tmp_path / "p.pdf"
    weasyprint.HTML(string=html).write_pdf(
        target, stylesheets=[weasyprint.CSS(string="@page { margin: 1in }")]
    )
    return read_lines(target)


@pytest.fixture
def installed() -> Iterator[None]:
    justify.install()
    yield
    justify.uninstall()


def right_edge() -> float:
    return LEFT + WIDTH_PX * 0.75


def test_weasyprint_alone_leaves_chinese_lines_short(tmp_path: Path) -> None:
    justify.uninstall()
    lines = render(tmp_path, TEXT)
    assert all(ln.x1 < right_edge() - 5 for ln in lines[:-1])


def test_every_line_but_the_last_reaches_the_edge(tmp_path: Path, installed: None) -> None:
    lines = render(tmp_path, TEXT)
    assert len(lines) >= 4
    for line in lines[:-1]:
        assert line.x0 == pytest.approx(LEFT, abs=0.01)
        assert line.x1 == pytest.approx(right_edge(), abs=0.3)
    assert lines[-1].x1 < right_edge() - 5  # the last line stays ragged


def test_space_is_spread_evenly_across_inline_boxes(tmp_path: Path, installed: None) -> None:
    inner = (
        TEXT[:20]
        + '<span style="white-space: nowrap">'
        + TEXT[20:26]
        + "</span><em>"
        + TEXT[26:40]
        + "</em>"
        + TEXT[40:]
    )
    lines = render(tmp_path, inner)
    for line in lines[:-1]:
        advances = [b.x0 - a.x0 for a, b in zip(line.chars, line.chars[1:], strict=False)]
        assert max(advances) - min(advances) < 0.2, line.text
        assert line.x1 == pytest.approx(right_edge(), abs=0.3)


def test_quarter_em_is_dropped_where_a_number_meets_a_line_edge(
    tmp_path: Path, installed: None
) -> None:
    number = '<span class="lat" style="margin: 0 0.25em">1517</span>'
    inner = "".join(TEXT[i : i + 6] + number for i in range(0, 84, 6))
    lines = render(tmp_path, inner)
    assert any(ln.text[0].isdigit() for ln in lines) and any(
        ln.text[-1].isdigit() for ln in lines[:-1]
    ), "no number met a line edge, so nothing was measured"
    for line in lines:
        assert line.x0 == pytest.approx(LEFT, abs=0.05), line.text
    for line in lines[:-1]:
        assert line.x1 == pytest.approx(right_edge(), abs=0.3), line.text


def test_a_break_opportunity_takes_no_gap(tmp_path: Path, installed: None) -> None:
    lines = render(tmp_path, TEXT[:30].replace("三", "三<wbr>") + "“" + TEXT[30:])
    assert lines[0].x1 == pytest.approx(right_edge(), abs=0.3)
    for line in lines[:-1]:
        advances = [b.x0 - a.x0 for a, b in zip(line.chars, line.chars[1:], strict=False)]
        assert max(advances) - min(advances) < 0.2, line.text
    assert "\u200b" not in "".join(ln.text for ln in lines)  # nothing extra in the text layer


def test_a_closing_mark_is_compressed_rather_than_pushed(
    tmp_path: Path, installed: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 15 Han characters leave half an em: the comma fits only set half-width (rule 8)
    text = TEXT[:15] + "，" + TEXT[15:]
    first = render(tmp_path, text)[0]
    assert first.text == text[:16]
    assert right_edge() - first.chars[-1].x0 == pytest.approx(7.5, abs=0.3)  # half of 15 pt
    assert first.chars[0].x0 == pytest.approx(LEFT, abs=0.01)
    monkeypatch.setattr(justify, "COMPRESSIBLE", "")
    pushed = render(tmp_path, text)[0]
    assert pushed.text == text[:14]  # without it, the character before the comma goes down too


def test_latin_text_keeps_word_spacing(tmp_path: Path, installed: None) -> None:
    words = "justification stretches the spaces between words of a Latin line " * 3
    lines = render(tmp_path, words, lang="en")
    first = lines[0].chars
    # letters of a word keep their natural advance: no letter spacing was added
    natural = render(tmp_path, "<span style='white-space: nowrap'>justification</span>", "en")
    assert [round(c.x0 - first[0].x0, 2) for c in first[:13]] == [
        round(c.x0 - natural[0].chars[0].x0, 2) for c in natural[0].chars
    ]


def test_has_cjk() -> None:
    assert justify.has_cjk("abc，") and justify.has_cjk("中")
    assert not justify.has_cjk("plain Latin 123")


MIXED = (
    TEXT
    + "。2020年全区GDP增长6.1%，见https://www.gov.cn/xinwen/2020-02/20/content_5481234.htm；"
    + "“我们要把Smart City的理念落到实处！”他说，“一、二、三季度……都要抓紧。”"
    + TEXT[::-1]
    + "（记者 王明 李华）《人民日报》2020年2月20日第3版："
    + TEXT
)
"""A long paragraph of Han, numbers, a URL, Latin words, quotes and closing marks at line ends."""


def test_a_line_found_in_a_cut_text_is_the_line_of_the_whole(
    tmp_path: Path, installed: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    given: list[int] = []
    original = justify.EXTENSION.original

    def spy(name: str) -> Any:
        if name != "split_first_line":
            return original(name)
        split = original(name)
        return lambda text, *rest: given.append(len(text)) or split(text, *rest)

    monkeypatch.setattr(justify.EXTENSION, "original", spy)
    cut = render(tmp_path, MIXED)
    assert min(given) < 40 < len(MIXED)  # Pango was given a line and a half, not four lines
    monkeypatch.setattr(justify, "SPLIT_LINES", 1000)  # the whole text, always
    whole = render(tmp_path, MIXED)
    assert len(cut) >= 12
    assert [(ln.text, [(c.x0, c.top) for c in ln.chars]) for ln in cut] == [
        (ln.text, [(c.x0, c.top) for c in ln.chars]) for ln in whole
    ]
