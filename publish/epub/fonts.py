"""Font subsets for embedding: only the characters a book uses, as OpenType (sfnt)."""

from __future__ import annotations

import io
import logging
import posixpath
from collections.abc import Iterable
from dataclasses import dataclass

from fontTools import subset
from fontTools.ttLib import TTFont
from lxml import etree

from publish.errors import EnvironmentProblem
from publish.model import Edition
from publish.source.fonts import Font, font_set, resolve_font

PROGRESS = logging.getLogger("publish.progress")
"""Shown by the command line: what the embedded fonts weigh."""
FONT_MEDIA_TYPE = "font/otf"
BOLD_TEXT = "//x:h1 | //x:h2 | //x:h3 | //x:strong | //x:b | //x:th | //x:span[@class='name']"
"""Elements the stylesheet (or the reading system's defaults) sets bold."""


@dataclass(frozen=True)
class Face:
    """An embedded font subset: the CSS family and weight it serves, its file in the book."""

    role: str
    family: str
    href: str
    weight: str
    """CSS font-weight the face serves: normal or bold."""
    css_url: str
    """The file as the stylesheet refers to it."""
    data: bytes


def embedded_faces(edition: Edition, documents: list[bytes], stylesheet: str) -> list[Face]:
    """Subsets of the body and heading fonts holding every character the XHTML documents show,
    and of the bold heading face holding the text set bold (headlines, names in the TOC)."""
    pages = [etree.fromstring(xhtml) for xhtml in documents]
    text = _characters("".join(page.itertext()) for page in pages)
    bold = _characters(_bold_text(page) for page in pages)
    fonts = font_set(edition.script)
    wanted = [(fonts["body"], "normal", text), (fonts["heading"], "normal", text)]
    if bold:
        heading = fonts["heading"]
        wanted.append((resolve_font(heading.family, "heading", bold=True), "bold", bold))
    return [_face(edition, font, weight, chars, stylesheet) for font, weight, chars in wanted]


def _face(edition: Edition, font: Font, weight: str, chars: str, stylesheet: str) -> Face:
    name = font.role if weight == "normal" else f"{font.role}-{weight}"
    href = f"fonts/{name}.otf"
    url = posixpath.relpath(href, posixpath.dirname(stylesheet))
    face = Face(font.role, f"{font.family} Embedded", href, weight, url, subset_sfnt(font, chars))
    size = len(face.data) // 1024
    PROGRESS.info("%s: embedded %s, %d characters, %d KB", edition.tag, href, len(chars), size)
    return face


def _characters(texts: Iterable[str]) -> str:
    return "".join(sorted({c for text in texts for c in text}))


def _bold_text(page: etree._Element) -> str:
    found = page.xpath(BOLD_TEXT, namespaces={"x": "http://www.w3.org/1999/xhtml"})
    return "".join(t for element in found for t in element.itertext())


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
