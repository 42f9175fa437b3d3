"""Cheaper shrink-to-fit widths: the same inline-block widths as WeasyPrint's, measured less."""

from __future__ import annotations

from typing import Any

import pytest
import weasyprint
from weasyprint.formatting_structure import boxes
from weasyprint.layout import preferred

from publish.pdf.weasy import shrinkfit

HEADLINE = "构建大气开放的现代新区"


def inline_blocks(html: str) -> list[tuple[float, float, float]]:
    """(x, y, width) of every inline-block of a rendered snippet."""
    found: list[tuple[float, float, float]] = []

    def walk(box: Any) -> None:
        if isinstance(box, boxes.InlineBlockBox):
            found.append((box.position_x, box.position_y, box.width))
        for child in getattr(box, "children", ()):
            walk(child)

    for page in weasyprint.HTML(string=html).render().pages:
        walk(page._page_box)
    return found


def snippet(width: int) -> str:
    """Two headline halves as inline-blocks in a box `width` px wide."""
    return f"""<html lang="zh-Hans"><body style="margin: 0; font: 28px 'Noto Serif CJK SC'">
    <h1 style="width: {width}px; text-align: center; margin: 0">
    <span style="display: inline-block">{HEADLINE}，</span>
    <span style="display: inline-block">{HEADLINE[::-1]}</span></h1></body></html>"""


# wide enough for both halves on a line, for one half a line, and too narrow for a half
@pytest.mark.parametrize("width", [700, 400, 150])
def test_inline_blocks_keep_their_widths(width: int, monkeypatch: pytest.MonkeyPatch) -> None:
    shrinkfit.uninstall()
    plain = inline_blocks(snippet(width))
    assert shrinkfit.install()
    measured: list[object] = []
    least = preferred.min_content_width
    monkeypatch.setattr(
        preferred, "min_content_width", lambda *a, **k: measured.append(a) or least(*a, **k)
    )
    assert inline_blocks(snippet(width)) == plain
    assert len(plain) == 2
    # the min-content width is measured only for a half wider than the rest of its line
    assert bool(measured) == (width < 700)
