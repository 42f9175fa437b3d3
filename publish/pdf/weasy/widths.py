"""Compact glyph width tables in the PDF: a version-guarded extension of WeasyPrint 70.

WeasyPrint 70 writes a font's widths (the /W array of its CID font) as `first [w1 w2 …]` per run
of consecutive glyph ids. The glyphs a Chinese text uses are scattered over the font, so nearly
every glyph gets a run of its own: some 6,000 PDF objects per chunk of a long issue, 70 % of all
its objects, which the join (publish.pdf.join) parses, copies and writes again in pure Python.
The PDF's other form, `first last w`, gives one width to a range of ids; the ideographs all have
the same width, so `install()` writes ranges over the glyphs used: a few dozen objects per font.
The widths of the glyphs used are the same (ids in between are not in the font subset).
"""

from __future__ import annotations

from typing import Any

import pydyf
from weasyprint.pdf import fonts

from publish.pdf.weasy.extension import Extension


def compact(widths: dict[int, float]) -> list[float]:
    """`first last width` triples for the sorted glyph ids of `widths`, a run per width."""
    triples: list[list[float]] = []
    for glyph in sorted(widths):
        if triples and triples[-1][2] == widths[glyph]:
            triples[-1][1] = glyph
        else:
            triples.append([glyph, glyph, widths[glyph]])
    return [value for triple in triples for value in triple]


def build_vector_font_dictionary(
    font_dictionary: Any, pdf: Any, font: Any, widths: dict[int, float], *args: Any
) -> None:
    """WeasyPrint's CID font dictionary, its /W array then written as ranges."""
    EXTENSION.original("_build_vector_font_dictionary")(font_dictionary, pdf, font, widths, *args)
    reference = font_dictionary["DescendantFonts"][0]  # b"<number> 0 R"
    subfont = pdf.objects[int(reference.split()[0])]
    subfont["W"] = pydyf.Array(compact(widths))


def _requires() -> bool:
    probe = pydyf.PDF()
    return hasattr(probe, "objects") and hasattr(probe, "add_object")


EXTENSION = Extension(
    logger=__name__,
    without="PDF font width tables are long (slower joins of long issues)",
    replacements=((fonts, "_build_vector_font_dictionary", build_vector_font_dictionary),),
    requires=_requires,
)
install, uninstall, supported = EXTENSION.install, EXTENSION.uninstall, EXTENSION.supported
