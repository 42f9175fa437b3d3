"""Folios made from specimens are the pages WeasyPrint sets, and only where a specimen vouches."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest
import weasyprint

from publish.pdf import parts
from publish.pdf.overlays import overlay_html
from publish.pdf.specimens import derive, read_specimen, specimen_html
from publish.pdf.worker import Rendered

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True, scope="module")
def _layout() -> None:
    """Our extensions on, as in every render of a build (the tagging writes the ActualText)."""
    from publish.pdf.render import prepare_layout

    prepare_layout()


PAGE = """<html><head><style>
@page {{ size: 100mm 60mm; margin: 10mm; @bottom-center {{ content: counter(page); {folio} }} }}
@page :left {{ @bottom-center {{ margin-left: 8mm }} }}
@page note {{ @bottom-center {{ color: #c00 }} }}
{more}
html {{ font-family: "Noto Sans CJK SC"; font-size: 10pt }}
</style></head><body><article>正文</article></body></html>"""


def split(folio: str = "", more: str = "") -> parts.Split:
    return parts.split_articles(PAGE.format(folio=folio, more=more))


def rendered(html: str, target: Path) -> tuple[Rendered, pikepdf.Pdf]:
    weasyprint.HTML(string=html).write_pdf(target)
    pdf = pikepdf.open(target)
    return Rendered(target, len(pdf.pages), (), (), ()), pdf


def specimens(tmp_path: Path, cut: parts.Split, keys: list[tuple[str, int]]) -> list:
    found = []
    for name, digits in keys:
        made, pdf = rendered(specimen_html(cut, name, digits), tmp_path / f"s-{name}{digits}.pdf")
        found.append(read_specimen(made, pdf, name, digits))
    return found


def test_a_made_folio_page_is_the_page_weasyprint_sets(tmp_path):
    cut = split()
    read = specimens(tmp_path, cut, [("", 2), ("note", 2), ("", 3), ("note", 3)])
    assert all(read)
    # folios 95 to 104, left and right pages, two named pages, two digit counts
    names = ["", "", "note", "", "note", "note", "", "", "note", ""]
    derived = derive(read, names, 95)
    assert derived is not None
    _, set_by_weasyprint = rendered(overlay_html(cut, 95, names), tmp_path / "overlay.pdf")
    assert len(derived.pages) == len(set_by_weasyprint.pages) == 10
    for (specimen, index, content), page in zip(
        derived.pages, set_by_weasyprint.pages, strict=True
    ):
        assert content == page.obj.Contents.read_bytes()
        with pikepdf.open(specimen.out) as pdf:  # the same font, by name, in the specimen
            assert pdf.pages[index].obj.Resources.Font.keys() == page.obj.Resources.Font.keys()


def test_a_folio_that_is_not_a_plain_number_has_no_specimen(tmp_path):
    assert specimens(tmp_path, split("content: counter(page, lower-roman)"), [("", 2)]) == [None]
    assert specimens(tmp_path, split('content: "- " counter(page) " -"'), [("", 2)]) == [None]


def test_pages_that_differ_beyond_their_side_have_no_specimen(tmp_path):
    # every third page's folio is larger: two pages of one side and digit count differ
    third = "@page :nth(3n) { @bottom-center { font-size: 14pt } }"
    assert specimens(tmp_path, split(more=third), [("", 2)]) == [None]


def test_no_page_is_made_from_a_specimen_that_does_not_vouch_for_it(tmp_path):
    read = specimens(tmp_path, split(), [("", 2)])
    assert derive(read, [""] * 5, 96) is None  # folio 100 has three digits
    assert derive(read, ["", "note"], 20) is None  # no specimen of the named page
    assert derive(read, [""] * 4, 20) is not None


FRONT = '<nav class="toc"><ol><li><a class="toc-headline" href="#a1">一</a></li></ol></nav>'
SLOT = (0, "a1", 600.0, 120.0, 31.5, "after")
"""A TOC number's slot, as a probe reports it: (page, target, x, y, width, pseudo)."""
FRAME = b"1 0 0 -1 0 841.889764 cm\nq\n0.75 0 0 0.75 0 0 cm\n"


def number_block(value: str, x: float, y: float) -> bytes:
    """A TOC number as WeasyPrint with our tagging writes it (digits are glyphs 17 to 26)."""
    glyphs = b"".join(b"<%04x>" % (17 + int(digit)) for digit in value)
    return (
        b"q\nq\n/Span\n<</ActualText (%s)>>\nBDC\n/a1.0 gs\n0.1 0.1 0.1 rg\nBT\n"
        b"1 0 0 -1 %s %s Tm\n/F1 14 Tf\n[%s] TJ\nET\nEMC\nQ\nQ\n"
    ) % (value.encode(), str(x).encode(), str(y).encode(), glyphs)


def numbers_pdf(drawn) -> pikepdf.Pdf:
    """A numbers' specimen: `drawn(variant, value, y)` gives each page's number operators."""
    pdf = pikepdf.new()
    for page, (variant, number) in enumerate(specimens_plan()):
        pdf.add_blank_page(page_size=(595, 842))
        y = SLOT[3] - 40.0 * variant + 20.0  # the second variant's slot 40 px higher
        folio = number_block(str(1000 + page), 390.0, 1070.0)
        content = FRAME + drawn(variant, number, y) + folio + b"Q\n"
        pdf.pages[page].obj.Contents = pdf.make_stream(content)
    return pdf


def specimens_plan():
    from publish.pdf.specimens import VARIANTS

    return [(variant, pair[variant]) for pair in VARIANTS for variant in (0, 1)]


def tabular(variant: int, number: str, y: float) -> bytes:
    return number_block(number, 600.0 + 31.5 - 7.8 * len(number), y)


def figures_of(drawn):
    from publish.pdf.specimens import read_figures

    made = Rendered(Path("numbers.pdf"), 8, (), (), ())
    return read_figures(made, numbers_pdf(drawn), FRONT, (SLOT,))


def test_a_made_toc_number_moves_with_its_slot():
    from publish.pdf.specimens import derive_numbers

    figures = figures_of(tabular)
    assert figures is not None
    probe = Rendered(
        Path("toc.pdf"), 1, (), (), ("toc",), slots=((0, "a1", 600.0, 300.0, 31.5, "after"),)
    )
    made = derive_numbers(figures, probe, FRONT, {"a1": 1234}, 0, 1)
    assert made is not None
    ((_, _, content),) = made.pages
    assert content.startswith(FRAME) and content.endswith(b"Q\n")
    assert b"<</ActualText (1234)>>" in content
    assert b"1 0 0 -1 600.3 320 Tm" in content  # 4 digits flush right, 180 px below the copy
    assert b"[<0012><0013><0014><0015>] TJ" in content
    assert derive_numbers(figures, probe, FRONT, {"a1": 12345}, 0, 1) is None  # 5 digits


@pytest.mark.parametrize(
    "drawn",
    [
        # proportional figures: the two variants' numbers of one digit count start apart
        lambda variant, number, y: number_block(number, 600.0 + variant, y),
        # a number that does not move with its slot
        lambda variant, number, y: tabular(0, number, 140.0),
        # something drawn besides the numbers
        lambda variant, number, y: b"0 0 10 10 re f\n" + tabular(variant, number, y),
        # a clip around the number
        lambda variant, number, y: b"q\n0 0 10 10 re W n\n" + tabular(variant, number, y) + b"Q\n",
    ],
    ids=["proportional", "unmoved", "painted", "clipped"],
)
def test_a_numbers_specimen_vouches_for_nothing_it_does_not_show(drawn):
    assert figures_of(drawn) is None
