"""Cheaper column balancing: the same pages as WeasyPrint's own balancing, in fewer layouts."""

from __future__ import annotations

from dataclasses import replace
from math import inf
from typing import Any

import pytest
import weasyprint
from weasyprint.formatting_structure import boxes
from weasyprint.layout import block

from publish.pdf import render as pdf
from publish.pdf.weasy import columns
from publish.source.reader import read_issue
from publish.text.convert import convert_issue
from publish.text.editions import EDITIONS
from tests.conftest import DEFAULT_ISSUE

HAN = "区发改局将以全区三千会为契机紧紧围绕打造大气开放的现代新区产城融合的品质新区"

Placed = tuple[int, float, float, str]
"""(page, x, y, text) of one text box: what a reader sees of a layout."""


def placed_text(document: weasyprint.Document) -> list[Placed]:
    """Every text box of a laid-out document with its position, page by page."""
    found: list[Placed] = []

    def walk(page: int, box: Any) -> None:
        if isinstance(box, boxes.TextBox):
            found.append((page, round(box.position_x, 3), round(box.position_y, 3), box.text))
        for child in getattr(box, "children", ()):
            walk(page, child)

    for number, page in enumerate(document.pages):
        walk(number, page._page_box)
    return found


def column_tries(monkeypatch: pytest.MonkeyPatch, render: Any) -> tuple[Any, int]:
    """(result of `render()`, how many times columns were laid out while it ran)."""
    tries = 0
    layout = block.block_box_layout

    def counting(context: Any, box: Any, bottom_space: float, *args: Any, **kwargs: Any) -> Any:
        nonlocal tries
        # a bottom space of inf is WeasyPrint measuring the next box, not laying a column out
        tries += getattr(box, "is_column", False) and bottom_space != inf
        return layout(context, box, bottom_space, *args, **kwargs)

    monkeypatch.setattr(block, "block_box_layout", counting)
    return render(), tries


def snippet(paragraphs: list[int], style: str = "", first: str = "") -> weasyprint.HTML:
    """Two balanced columns of paragraphs with the given character counts, on a line grid."""
    body = first + "".join(f"<p>{(HAN * 9)[:n]}</p>" for n in paragraphs)
    return weasyprint.HTML(
        string=f"""<html lang="zh-Hans">
        <body style="margin: 0; font: 14px/1.75 'Noto Serif CJK SC'">
        <h1 style="font-size: 30px; margin: 0 0 7px">标题</h1>
        <div style="columns: 2; column-gap: 20px; column-fill: balance; width: 400px">{body}</div>
        <style>p {{ margin: 0; orphans: 2; widows: 2; {style} }}</style></body></html>"""
    )


# odd and even line counts, paragraphs broken across the column, orphans and widows at work
SNIPPETS = [[50, 120, 33], [200, 14, 90, 61], [400], [13, 13, 13], [120, 150, 40, 80, 99]]


@pytest.mark.parametrize("paragraphs", SNIPPETS)
def test_columns_on_a_grid_come_out_the_same_in_fewer_tries(
    monkeypatch: pytest.MonkeyPatch, paragraphs: list[int]
) -> None:
    columns.uninstall()
    plain, plain_tries = column_tries(monkeypatch, snippet(paragraphs).render)
    monkeypatch.undo()
    assert columns.install()
    before = replace(columns.STATS)
    ours, our_calls = column_tries(monkeypatch, snippet(paragraphs).render)
    assert placed_text(ours) == placed_text(plain)
    laid_out, reused = columns.STATS.tries - before.tries, columns.STATS.reused - before.reused
    assert laid_out + reused == our_calls  # every column try went through us
    assert reused == 2  # the final pass took both columns from the try that fitted
    assert laid_out <= plain_tries - 2


def test_an_odd_line_count_is_balanced_at_the_first_try(monkeypatch: pytest.MonkeyPatch) -> None:
    columns.uninstall()
    _, plain_tries = column_tries(monkeypatch, snippet([50, 120, 33]).render)
    monkeypatch.undo()
    columns.install()
    before = replace(columns.STATS)
    column_tries(monkeypatch, snippet([50, 120, 33]).render)
    assert columns.STATS.snapped > before.snapped
    # one failed try of two columns saved, and the final placing of both
    assert columns.STATS.tries - before.tries == plain_tries - 4


def test_content_off_the_grid_is_balanced_as_weasyprint_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    style = "padding-bottom: 3px"  # every paragraph ends between two lines
    columns.uninstall()
    plain, plain_tries = column_tries(monkeypatch, snippet([50, 120, 33], style).render)
    monkeypatch.undo()
    columns.install()
    before = replace(columns.STATS)
    ours, _ = column_tries(monkeypatch, snippet([50, 120, 33], style).render)
    assert placed_text(ours) == placed_text(plain)
    assert columns.STATS.snapped == before.snapped
    assert columns.STATS.tries - before.tries == plain_tries - 2  # only the final pass saved


def test_a_column_with_a_float_is_laid_out_again(monkeypatch: pytest.MonkeyPatch) -> None:
    floating = "<span style='float: right; width: 30px; height: 20px'></span>"
    columns.uninstall()
    plain = snippet([50, 120, 33], first=floating).render()
    columns.install()
    before = replace(columns.STATS)
    ours = snippet([50, 120, 33], first=floating).render()
    assert placed_text(ours) == placed_text(plain)
    # a float registers itself with the layout: its column is laid out again, the other reused
    assert columns.STATS.reused == before.reused + 1


LAYOUTS = {
    "zh-Hans": ("zh-Hans", {}),
    "zh-Hant-TW-16k-3col": ("zh-Hant-TW", {"page_size": (185.0, 260.0), "columns": 3}),
}


@pytest.mark.slow
@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_the_default_issue_is_laid_out_the_same(
    monkeypatch: pytest.MonkeyPatch, layout: str
) -> None:
    tag, options = LAYOUTS[layout]
    columns.install()
    edition = EDITIONS[tag]
    issue = convert_issue(read_issue(DEFAULT_ISSUE), edition)
    issue = replace(issue, config=replace(issue.config, pdf=replace(issue.config.pdf, **options)))
    ours, our_tries = column_tries(monkeypatch, lambda: pdf.render_document(issue, edition))
    monkeypatch.undo()
    columns.uninstall()
    monkeypatch.setattr(columns, "install", lambda: False)
    plain, plain_tries = column_tries(monkeypatch, lambda: pdf.render_document(issue, edition))
    monkeypatch.undo()
    columns.install()
    assert len(ours.pages) == len(plain.pages)
    assert placed_text(ours) == placed_text(plain)  # same lines, same columns, same bottoms
    assert our_tries < plain_tries
