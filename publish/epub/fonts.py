"""Font subsets for embedding: only the characters a book uses, as OpenType (sfnt)."""

from __future__ import annotations

import io

from fontTools import subset
from fontTools.ttLib import TTFont

from publish.errors import EnvironmentProblem
from publish.source.fonts import Font


def subset_sfnt(font: Font, text: str) -> bytes:
    """The face of `font` (its index in a .ttc) cut down to the characters of `text`, as an
    OpenType file (CFF outlines, .otf)."""
    try:
        face = TTFont(font.file, fontNumber=font.index, lazy=True, recalcTimestamp=False)
    except (OSError, ValueError) as error:
        raise EnvironmentProblem(
            f"cannot read font file {font.file} ({font.family}): {error}; "
            "fix: reinstall the font (sudo apt-get install --reinstall fonts-noto-cjk)"
        ) from None
    subsetter = subset.Subsetter(_options())
    subsetter.populate(text=text)
    subsetter.subset(face)
    # plain sfnt, not WOFF: calibre's conversion to Kindle formats drops WOFF, and the zip of
    # the EPUB deflates an sfnt about as well as WOFF's own zlib does
    face.flavor = None
    out = io.BytesIO()
    face.save(out, reorderTables=True)
    return out.getvalue()


def _options() -> subset.Options:
    options = subset.Options()
    # keep every OpenType feature: vert/vrt2 give vertical punctuation, halt/palt compression
    options.layout_features = ["*"]
    options.name_IDs = ["*"]  # keep copyright and licence names (SIL OFL) with the subset
    options.notdef_outline = True
    options.desubroutinize = True  # compiles faster and compresses smaller than subroutines
    return options
