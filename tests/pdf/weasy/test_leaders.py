"""Leaders as one run of text: the same dots at the same places as WeasyPrint's, one box each."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
import weasyprint
from weasyprint.formatting_structure import boxes

from publish.pdf.weasy import leaders

TOC = """<html lang="zh-Hans"><style>
@page { size: 120mm 60mm; margin: 8mm }
body { font: 10.5pt 'Noto Serif CJK SC'; margin: 0 }
a { display: block }
a::after { content: leader(dotted) " " attr(data-folio) }
</style><body>
<a data-folio="3">聚焦三个济阳建设</a>
<a data-folio="127">推动高质量发展 打造现代化新区，奋力开创新时代济阳高质量发展新局面</a>
<a data-folio="1106">短</a>
</body></html>"""
"""Three TOC lines: a one-line entry, one that wraps, and one with a short headline."""


def leader_boxes(document: Any) -> list[Any]:
    """The leader boxes of every page."""
    found: list[Any] = []

    def walk(box: Any) -> None:
        if getattr(box, "is_leader", False):
            found.append(box)
        for child in getattr(box, "children", ()):
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return found


def rendered(tmp_path: Path, name: str) -> tuple[Any, bytes]:
    """The TOC laid out, and its page as a PNG."""
    document = weasyprint.HTML(string=TOC).render()
    document.write_pdf(tmp_path / f"{name}.pdf")
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-singlefile", tmp_path / f"{name}.pdf", tmp_path / name],
        check=True,
    )
    return document, (tmp_path / f"{name}.png").read_bytes()


def test_dots_are_one_box_drawn_exactly_as_before(tmp_path: Path) -> None:
    leaders.uninstall()
    plain, plain_png = rendered(tmp_path, "plain")
    assert leaders.install()
    joined, joined_png = rendered(tmp_path, "joined")
    before, after = leader_boxes(plain), leader_boxes(joined)
    assert len(before) == len(after) == 3
    for many, one in zip(before, after, strict=True):
        assert len(many.children) > 10 and len(one.children) == 1
        (run,) = one.children
        assert run.text == "." * len(many.children)
        assert run.position_x == pytest.approx(min(dot.position_x for dot in many.children))
        assert run.width == pytest.approx(sum(dot.width for dot in many.children))
    assert joined_png == plain_png


def test_a_line_without_a_leader_is_untouched() -> None:
    leaders.install()
    document = weasyprint.HTML(string="<p>没有引导线的一行</p>").render()
    texts = [b for b in document.pages[0]._page_box.descendants() if isinstance(b, boxes.TextBox)]
    assert [box.text for box in texts] == ["没有引导线的一行"]
