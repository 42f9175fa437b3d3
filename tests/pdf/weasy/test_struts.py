"""Struts looked up once a style: the same lines, with far fewer look-ups."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import weasyprint
from weasyprint.layout import inline

from publish.pdf.weasy import struts
from tests.pdfmeasure import read_lines

PARAGRAPH = (
    "区发改局将以全区三千会为契机，<b>紧紧围绕</b>打造大气开放的现代新区、"
    "<span style='font-size: 28px; line-height: 2'>产城融合</span>的品质新区，"
    "2020年<sup>注1</sup>宜业宜居的善美新区的奋斗目标，把行动统一到区委区政府的决策部署上来。"
) * 6
"""Han text with inline boxes of other weights, sizes and line heights, and a superscript."""


def render(tmp_path: Path) -> list[tuple[str, list[tuple[float, float]]]]:
    html = f"""<html lang="zh-Hans"><body style="margin: 0">
    <p style="width: 310px; margin: 0; font: 20px/1.75 'Noto Serif CJK SC'">{PARAGRAPH}</p>
    </body></html>"""
    target = tmp_path / "p.pdf"
    weasyprint.HTML(string=html).write_pdf(target)
    return [(ln.text, [(c.x0, c.top) for c in ln.chars]) for ln in read_lines(target)]


@pytest.fixture
def bare() -> Iterator[None]:
    was = bool(struts.EXTENSION.originals)
    struts.uninstall()
    yield
    if was:
        struts.install()


def test_the_lines_are_those_weasyprint_sets_alone(tmp_path: Path, bare: None) -> None:
    alone = render(tmp_path)
    assert struts.install()
    assert render(tmp_path) == alone
    assert len(alone) >= 10


def test_each_style_asks_weasyprint_once(
    tmp_path: Path, bare: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert struts.install()
    asked: list[int] = []
    answered: list[int] = []
    weasyprints = struts.EXTENSION.originals["strut"]

    def counted(style: Any) -> tuple[float, float]:
        asked.append(id(style))
        return weasyprints(style)

    def calls(style: Any) -> tuple[float, float]:
        answered.append(id(style))
        return struts.strut(style)

    monkeypatch.setitem(struts.EXTENSION.originals, "strut", counted)
    monkeypatch.setattr(inline, "strut", calls)
    render(tmp_path)
    assert len(asked) == len(set(asked))  # once a style
    assert len(answered) > 3 * len(asked)
