"""Font subsetting in one pass: the same glyphs at the same ids, drawn the same, as WeasyPrint's
own two passes, each face ending at its last glyph used."""

from __future__ import annotations

import io

import pikepdf
import pypdfium2
import pytest
from fontTools.ttLib import TTFont

from publish.pdf.weasy import fontsubset
from tests.pdf.weasy.test_arrays import pdf_of

HAN = "中文排版，一行。另一段文字「引号」：字数不同的一行。"
"""Han characters and marks: glyphs near the end of Noto CJK's 65,535."""
DIGITS = "2020 ABC"
"""Only the first glyphs of the CJK faces: a face of some 40 glyphs, not 65,535."""


@pytest.fixture
def installed():
    """The extension installed for the test, as it was found afterwards."""
    was = bool(fontsubset.EXTENSION.originals)
    assert fontsubset.install()
    yield
    if not was:
        fontsubset.uninstall()


def theirs(text: str) -> bytes:
    """The PDF of `text` with WeasyPrint's own subsetting."""
    was = bool(fontsubset.EXTENSION.originals)
    fontsubset.uninstall()
    try:
        return pdf_of(text)
    finally:
        if was:
            fontsubset.install()


def glyph_counts(pdf: bytes) -> dict[str, int]:
    """The glyph count of every embedded font program, by font name (without its subset tag)."""
    counts = {}
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            for font in page.Resources.Font.values():
                descriptor = font.DescendantFonts[0].FontDescriptor
                program = descriptor.get("/FontFile3") or descriptor.get("/FontFile2")
                face = TTFont(io.BytesIO(program.read_bytes()))
                counts[str(descriptor.FontName).split("+")[-1]] = face["maxp"].numGlyphs
    return counts


def pixels(pdf: bytes) -> bytes:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return bytes(document[0].render(scale=2).buffer)
    finally:
        document.close()


@pytest.mark.parametrize("text", [HAN, DIGITS])
def test_the_page_is_drawn_the_same_from_fonts_ending_at_the_same_glyph(
    text: str, installed: None
) -> None:
    ours, plain = pdf_of(text), theirs(text)
    assert pixels(ours) == pixels(plain)
    assert glyph_counts(ours) == glyph_counts(plain)
    assert len(glyph_counts(ours)) == 2


def test_a_cjk_face_is_subset_in_one_pass(installed: None, monkeypatch: pytest.MonkeyPatch) -> None:
    passes = []
    cut = fontsubset._cut

    def counted(face, glyphs, flags, dropped):  # noqa: ANN001, ANN202
        passes.append(len(list(glyphs)))
        return cut(face, glyphs, flags, dropped)

    monkeypatch.setattr(fontsubset, "_cut", counted)
    pdf = pdf_of(HAN)
    assert len(passes) == 2  # one a face, for its glyphs used only
    assert max(passes) < 40
    assert min(glyph_counts(pdf).values()) > 60_000  # at their ids, near the faces' end
