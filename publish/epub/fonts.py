"""Font subsets for embedding: only the characters a book uses, as WOFF."""

from __future__ import annotations

import io

from fontTools import subset
from fontTools.ttLib import TTFont

from publish.errors import EnvironmentProblem
from publish.source.fonts import Font


def subset_woff(font: Font, text: str) -> bytes:
    """The face of `font` (its index in a .ttc) cut down to the characters of `text`, as WOFF."""
    try:
        face = TTFont(font.file, fontNumber=font.index, lazy=True, recalcTimestamp=False)
    except (OSError, ValueError) as error:
        raise EnvironmentProblem(
            f"cannot read font file {font.file} ({font.family}): {error}; "
            "fix: reinstall the font (sudo apt-get install --reinstall fonts-noto-cjk)"
        ) from None
    options = _options()
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(face)
    face.flavor = options.flavor  # the subsetter leaves the container format to the caller
    out = io.BytesIO()
    face.save(out, reorderTables=True)
    return out.getvalue()


def _options() -> subset.Options:
    options = subset.Options()
    options.flavor = "woff"  # zlib only: WOFF2 would need brotli, a further dependency
    # keep every OpenType feature: vert/vrt2 give vertical punctuation, halt/palt compression
    options.layout_features = ["*"]
    options.name_IDs = ["*"]  # keep copyright and licence names (SIL OFL) with the subset
    options.notdef_outline = True
    options.desubroutinize = True  # compiles faster and compresses smaller than subroutines
    return options
