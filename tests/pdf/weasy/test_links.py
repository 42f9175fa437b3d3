"""One link annotation per area that leads somewhere: the boxes inside a link add none."""

from __future__ import annotations

from pathlib import Path

import weasyprint
from pypdf import PdfReader

from publish.pdf.weasy import links

PAGE = """<html lang="zh-Hans"><style>
@page { size: 120mm 80mm; margin: 8mm }
body { font: 10.5pt 'Noto Serif CJK SC'; margin: 0 }
a { display: block; color: inherit }
a::after { content: "12"; display: inline-block; width: 2em; text-align: right }
.inline { display: inline }
</style><body>
<a href="#one"><span>打赢新区建设攻<b>坚战</b></span> <span>当好发展改革排头兵</span></a>
<a href="#two"><span>真抓实干促发展</span></a>
<p>正文提到<a class="inline" href="#one">第一篇</a>和<a class="inline" href="https://example.org/">网站</a>。</p>
<p>一行很长的链接会断开：<a class="inline" href="#two">{long}</a>。</p>
<h2 id="one">一</h2><h2 id="two">二</h2>
</body></html>""".replace(
    "{long}", "区委、区政府在疫情防控关键时期，组织召开全区三级干部大会，部署全年重点工作"
)


def annotations(pdf: Path) -> list[tuple[str, tuple[float, ...]]]:
    """(target, rectangle) of every link annotation of page 1."""
    found = []
    for reference in PdfReader(pdf).pages[0].get("/Annots", []):
        annotation = reference.get_object()
        target = annotation.get("/Dest") or annotation["/A"]["/URI"]
        found.append((str(target), tuple(round(float(v), 2) for v in annotation["/Rect"])))
    return found


def contains(outer: tuple[float, ...], inner: tuple[float, ...]) -> bool:
    (x1, y1, x2, y2), (u1, v1, u2, v2) = outer, inner
    return (
        min(x1, x2) <= min(u1, u2)
        and max(u1, u2) <= max(x1, x2)
        and min(y1, y2) <= min(v1, v2)
        and max(v1, v2) <= max(y1, y2)
    )


def test_links_inside_a_link_to_the_same_target_are_dropped(tmp_path):
    links.uninstall()
    weasyprint.HTML(string=PAGE).write_pdf(tmp_path / "plain.pdf")
    assert links.install()
    weasyprint.HTML(string=PAGE).write_pdf(tmp_path / "kept.pdf")
    links.uninstall()
    plain, kept = annotations(tmp_path / "plain.pdf"), annotations(tmp_path / "kept.pdf")
    assert len(kept) < len(plain) - 5
    assert set(kept) <= set(plain)
    # every area that led somewhere still does, through a kept link to the same target
    for target, area in plain:
        assert any(t == target and contains(a, area) for t, a in kept), (target, area)
    # the block links keep one area each; the inline link split over lines keeps both lines
    assert [t for t, _ in kept].count("two") >= 3 and [t for t, _ in kept].count("one") == 2
    assert "https://example.org/" in {t for t, _ in kept}


def test_covering_keeps_order_and_separate_targets():
    outer = ("internal", "a", (0.0, 0.0, 100.0, 20.0), None)
    inner = ("internal", "a", (10.0, 2.0, 40.0, 18.0), None)
    other = ("internal", "b", (10.0, 2.0, 40.0, 18.0), None)
    outside = ("internal", "a", (90.0, 0.0, 120.0, 20.0), None)
    assert links.covering([outer, inner, other, outside]) == [outer, other, outside]
    assert links.covering([inner, outer]) == [inner, outer]  # only earlier areas cover
