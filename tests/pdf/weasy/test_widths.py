"""Compact PDF width tables: the same width for every glyph drawn, in a fraction of the objects."""

from __future__ import annotations

import subprocess
from pathlib import Path

import weasyprint
from pypdf import PdfReader

from publish.pdf.weasy import widths

PAGE = """<html lang="zh-Hans"><style>
@page { size: 120mm 60mm; margin: 8mm }
body { font: 10.5pt 'Noto Serif CJK SC'; margin: 0 }
b { font-family: 'Noto Sans CJK SC' }
</style><body>
<p>推动高质量发展，打造现代化新区：2020年GDP增长6.5%，“三个济阳”建设（第1,106页）。</p>
<p>新区建设攻坚战当好发展改革排头兵，真抓实干促发展凝心聚力惠民生，强化支部战斗堡垒作用。</p>
<p><b>闫立然 Yan Liran</b> 区发展和改革局局长</p>
</body></html>"""
"""Ideographs, Latin letters, digits and punctuation of two fonts: widths of every kind."""


def glyph_widths(pdf: Path) -> dict[str, dict[int, float]]:
    """Width of every glyph id the /W array of each font gives, by font name, both forms read."""
    found: dict[str, dict[int, float]] = {}
    for font in PdfReader(pdf).pages[0]["/Resources"]["/Font"].values():
        cid_font = font.get_object()["/DescendantFonts"][0].get_object()
        table, index, given = list(cid_font["/W"]), 0, {}
        while index < len(table):
            first, following = int(table[index]), table[index + 1]
            if isinstance(following, list):  # first [w1 w2 ...]
                given.update({first + n: float(w) for n, w in enumerate(following)})
                index += 2
            else:  # first last w
                given.update(
                    dict.fromkeys(range(first, int(following) + 1), float(table[index + 2]))
                )
                index += 3
        found[str(cid_font["/BaseFont"])] = given
    return found


def written(tmp_path: Path, name: str) -> tuple[Path, bytes]:
    pdf = tmp_path / f"{name}.pdf"
    weasyprint.HTML(string=PAGE).write_pdf(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "100", "-png", "-singlefile", pdf, tmp_path / name], check=True
    )
    return pdf, (tmp_path / f"{name}.png").read_bytes()


def test_every_glyph_keeps_its_width_and_the_page_its_pixels(tmp_path: Path) -> None:
    widths.uninstall()
    try:
        long_pdf, long_png = written(tmp_path, "long")
    finally:
        assert widths.install()
    short_pdf, short_png = written(tmp_path, "short")
    before, after = glyph_widths(long_pdf), glyph_widths(short_pdf)
    assert before.keys() == after.keys() and len(before) == 2
    for font, used in before.items():
        assert {glyph: after[font][glyph] for glyph in used} == used
    sizes = [
        len(
            PdfReader(pdf)
            .pages[0]["/Resources"]["/Font"][name]
            .get_object()["/DescendantFonts"][0]
            .get_object()["/W"]
        )
        for pdf in (long_pdf, short_pdf)
        for name in sorted(PdfReader(pdf).pages[0]["/Resources"]["/Font"])
    ]
    assert sum(sizes[2:]) * 2 < sum(sizes[:2])
    assert short_png == long_png


def test_compact_joins_equal_neighbours_only() -> None:
    assert widths.compact({}) == []
    assert widths.compact({9: 1000, 3: 1000, 40: 500, 41: 1000}) == [
        3,
        9,
        1000,
        40,
        40,
        500,
        41,
        41,
        1000,
    ]
