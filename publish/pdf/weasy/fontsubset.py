"""Font subsetting in one HarfBuzz pass: a version-guarded extension of WeasyPrint 70.

WeasyPrint 70 subsets each font in two passes: the glyphs used, at their own ids (a PDF's text
names glyphs by the font's ids), then again keeping ids 0 to the highest used, to end the face
there. The HarfBuzz of Debian 12 ends a face kept at its ids at its last glyph already, but for
a glyph its layout closure adds (a vertical form, say; the PDF keeps no GSUB to reach it); so the
second pass, which keeps some 63,000 glyphs of a CJK face (a Han character is at id ~63,000 of
Noto's 65,535), drops one glyph or none, for ~20 ms of every face of every PDF (three faces of a
print edition, two or three of its e-book cover: ~0.1 s an edition). `install()` subsets in one
pass without the layout closure: the same glyphs at the same ids, the face ending at its last
glyph used (the default issue's PDFs come out byte for byte as before); a second pass only for
a HarfBuzz that keeps the empty glyphs after it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from weasyprint.pdf import fonts
from weasyprint.text import ffi as weasy_ffi

from publish.pdf.weasy.extension import Extension

DROPPED_TABLES = (b"BASE", b"DSIG", b"EBDT", b"EBLC", b"EBSC", b"GPOS", b"GSUB", b"JSTF")
DROPPED_TABLES += (b"LTSH", b"PCLT", b"SVG ")
"""The tables WeasyPrint 70 leaves out of every subset: a PDF shapes no text and draws no
bitmap or SVG glyph from an embedded program."""


def subset(font: Any, to_unicode: dict[int, str], hinting: bool) -> None:
    """Cut `font` (WeasyPrint's Font) down to the glyph ids of `to_unicode`, at their ids, into
    its file_content: the glyphs WeasyPrint 70's two passes keep, less those only a layout
    closure brings in (the PDF has no GSUB to reach them), in one pass."""
    harfbuzz, sub = weasy_ffi.harfbuzz, weasy_ffi.harfbuzz_subset
    used = sorted(to_unicode)
    flags = sub.HB_SUBSET_FLAGS_PASSTHROUGH_UNRECOGNIZED | sub.HB_SUBSET_FLAGS_DESUBROUTINIZE
    if font.missing:
        flags |= sub.HB_SUBSET_FLAGS_NOTDEF_OUTLINE
    if not hinting:
        flags |= sub.HB_SUBSET_FLAGS_NO_HINTING
    at_ids = sub.HB_SUBSET_FLAGS_RETAIN_GIDS | sub.HB_SUBSET_FLAGS_NO_LAYOUT_CLOSURE
    face = _cut(font.hb_face, used, flags | at_ids, DROPPED_TABLES)
    if face and harfbuzz.hb_face_get_glyph_count(face) > used[-1] + 1:
        # a HarfBuzz that keeps the empty glyphs after the last used: ended there, ids kept
        face = _cut(face, range(used[-1] + 1), flags, ())
    data = fonts.get_hb_object_data(face) if face else None
    if data:
        font.file_content = data
    else:
        fonts.LOGGER.warning('Unable to subset "%s" with HarfBuzz', font.family)


def _cut(face: Any, glyphs: Iterable[int], flags: int, dropped: tuple[bytes, ...]) -> Any:
    """One HarfBuzz subsetting pass of `face`: a new face (freed with its last reference), or
    NULL where HarfBuzz could not."""
    ffi, harfbuzz, sub = fonts.ffi, weasy_ffi.harfbuzz, weasy_ffi.harfbuzz_subset
    plan = ffi.gc(sub.hb_subset_input_create_or_fail(), sub.hb_subset_input_destroy)
    ids = list(glyphs)
    chosen = sub.hb_subset_input_glyph_set(plan)
    harfbuzz.hb_set_add_sorted_array(chosen, ffi.new(f"hb_codepoint_t[{len(ids)}]", ids), len(ids))
    sub.hb_subset_input_set_flags(plan, flags)
    if dropped:
        tags = sorted(harfbuzz.hb_tag_from_string(tag, -1) for tag in dropped)
        tables = sub.hb_subset_input_set(plan, sub.HB_SUBSET_SETS_DROP_TABLE_TAG)
        harfbuzz.hb_set_add_sorted_array(
            tables, ffi.new(f"hb_codepoint_t[{len(tags)}]", tags), len(tags)
        )
    return ffi.gc(sub.hb_subset_or_fail(face, plan), harfbuzz.hb_face_destroy)


EXTENSION = Extension(
    logger=__name__,
    without="each font is subset in two passes (~20 ms more a CJK face of every PDF)",
    replacements=((fonts.Font, "_harfbuzz_subset", subset),),
    # without libharfbuzz-subset WeasyPrint subsets with fontTools and never calls it: no warning
    requires=lambda: (
        hasattr(weasy_ffi.harfbuzz, "hb_face_get_glyph_count")
        and (
            not weasy_ffi.harfbuzz_subset
            or hasattr(weasy_ffi.harfbuzz_subset, "HB_SUBSET_FLAGS_NO_LAYOUT_CLOSURE")
        )
    ),
)
install, uninstall, supported = EXTENSION.install, EXTENSION.uninstall, EXTENSION.supported
