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
