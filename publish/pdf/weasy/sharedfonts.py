"""One font program per face in a book joined from chunks: a version-guarded extension of
WeasyPrint 70.

Every WeasyPrint render subsets each font face it used (HarfBuzz, twice over a 20 MB CJK face)
and compresses the subset into its PDF: ~0.3 s per chunk of a long issue (publish.pdf.chunked), and
the same face embedded once per chunk. With `install()` and `sharing(True)` in a worker, a font
whose face is a known font file is not subset: its font file in the chunk's PDF is a placeholder
naming the face, and the glyph ids it drew are kept for the report (`take_glyphs`). Once every
chunk is laid out, `subset_face` subsets each face once, to the union of those glyphs, and the
book (publish.pdf.join) points every font descriptor of the face at that one program. WeasyPrint
subsets with the glyph ids kept (HarfBuzz's RETAIN_GIDS), so each chunk's glyph ids, widths and
text mapping are valid against the union, and the pages draw the same glyphs.

WeasyPrint also copies each face's whole file into memory when a render first uses it (20 MB
a CJK collection: ~15 ms and 5,000 page faults a face, in every chunk). `install()` lets it
read the file where HarfBuzz holds it instead; `clean` copies what is still needed after.

Not for PDF 1.4 (PDF/A-1): there each font descriptor lists the glyphs of its program (/CIDSet).
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from weasyprint.pdf import fonts
from weasyprint.text import ffi as weasy_ffi

from publish.pdf.weasy.extension import Extension

MARK = b"%publish-shared-face "
"""What follows the font type's 4 bytes in a placeholder font file, then the face as JSON."""
HEAD = 65536
"""Bytes of a font file compared, with its size, to tell which file a face was loaded from."""


@dataclass(frozen=True, order=True)
class Face:
    """A font face in a file, and how it is subset."""

    path: str
    index: int
    """The face's index in a collection (.ttc); 0 for a single face."""
    hinting: bool
    cff: bool
    """Whether its subset is CFF-flavoured OpenType ('OTTO', PDF /FontFile3) or TrueType."""

    def placeholder(self) -> bytes:
        """The font file a chunk's PDF holds instead of a subset of this face."""
        kind = b"OTTO" if self.cff else b"\0\1\0\0"  # what WeasyPrint reads the font type from
        face = [self.path, self.index, self.hinting, self.cff]
        return kind + MARK + json.dumps(face).encode()

    @classmethod
    def from_placeholder(cls, data: bytes) -> Face | None:
        """The face a placeholder font file names; None for a real font file."""
        if data[4 : 4 + len(MARK)] != MARK:
            return None
        path, index, hinting, cff = json.loads(data[4 + len(MARK) :])
        return cls(path, index, hinting, cff)


@dataclass(frozen=True)
class Glyphs:
    """The glyph ids of a face one render drew, and whether one was missing from it."""

    face: Face
    ids: tuple[int, ...]
    notdef: bool
    """Some character was not in the face: its subset keeps the outline of glyph 0."""


@dataclass(frozen=True)
class Program:
    """A face subset to the union of the glyphs of a book, compressed, written to `file`."""

    face: Face
    file: Path
    length: int
    """Its size before compression (/Length1 of a TrueType font file)."""


def font_files(extra: Iterable[Path] = ()) -> dict[int, tuple[str, ...]]:
    """Every font file fontconfig knows, and `extra` (files an issue loads itself), by size."""
    listed = []
    if shutil.which("fc-list"):
        out = subprocess.run(
            ["fc-list", "--format", "%{file}\n"], capture_output=True, text=True, check=False
        ).stdout
        listed = out.splitlines()
    by_size: dict[int, set[str]] = {}
    for name in (*listed, *map(str, extra)):
        try:
            by_size.setdefault(os.stat(name).st_size, set()).add(os.path.abspath(name))
        except OSError:
            continue
    return {size: tuple(sorted(names)) for size, names in by_size.items()}


_STATE = SimpleNamespace(files={}, on=False, used=[])
"""This process's known font files by size, whether fonts are shared now, glyphs drawn. A
module global because WeasyPrint calls our replacements with its own arguments only: the files
are set once per worker by its pool initialiser (publish.pdf.worker.start_worker), `on` by each
render job before it lays out, `used` taken by the same job after (take_glyphs)."""


def pdf_version(options: dict[str, Any]) -> str:
    """The PDF version WeasyPrint writes with these write_pdf options (variant, version)."""
    from weasyprint.pdf import VARIANTS

    variant = VARIANTS.get(options.get("pdf_variant") or "", (None, {}))[1]
    return str(options.get("pdf_version") or variant.get("pdf_version") or "1.7")


def sharing(on: bool, files: dict[int, tuple[str, ...]] | None = None) -> None:
    """Share the fonts of the renders that follow (in this process) or not; `files`: see
    font_files. Forgets the glyphs taken so far."""
    if files is not None:
        _STATE.files = files
    _STATE.on, _STATE.used = on, []


def take_glyphs() -> tuple[Glyphs, ...]:
    """The glyphs of every shared face drawn since sharing was turned on, then forgotten."""
    taken = tuple(union([_STATE.used]))
    _STATE.used = []
    return taken


def _file_of(content: bytes) -> str | None:
    """The known font file whose bytes `content` is (the whole file a face was loaded from)."""
    for path in _STATE.files.get(len(content), ()):
        try:
            with open(path, "rb") as file:
                if file.read(HEAD) == content[:HEAD]:
                    return path
        except OSError:
            continue
    return None


def face_data(hb_object: Any, ot_color: str | None = None, glyph: int | None = None) -> Any:
    """WeasyPrint's bytes of a HarfBuzz face's file, as a view of HarfBuzz's memory rather than a
    copy (colour glyphs as WeasyPrint reads them); the view keeps HarfBuzz's blob alive."""
    if ot_color is not None:
        return EXTENSION.original("get_hb_object_data")(hb_object, ot_color, glyph)
    ffi, harfbuzz = weasy_ffi.ffi, weasy_ffi.harfbuzz
    blob = harfbuzz.hb_face_reference_blob(hb_object)
    length = ffi.new("unsigned int *")
    data = harfbuzz.hb_blob_get_data(blob, length)
    if data == ffi.NULL:
        harfbuzz.hb_blob_destroy(blob)
        return None
    return ffi.buffer(ffi.gc(data, lambda _: harfbuzz.hb_blob_destroy(blob)), length[0])


def clean(font: Any, to_unicode: dict[int, str], hinting: bool) -> None:
    """WeasyPrint's font clean-up (subset, variations, colour glyphs), or, for a plain face of
    a known file while sharing, a placeholder and the glyph ids noted."""
    plain = not ("fvar" in font.tables or font.png or font.svg or font.colr)
    path = _file_of(font.file_content) if _STATE.on and plain and to_unicode else None
    if path is None:
        EXTENSION.original("clean")(font, to_unicode, hinting)
        font.file_content = _bytes(font.file_content)  # written into the PDF as it is
        return
    face = Face(path, font.index, bool(hinting), "CFF " in font.tables or "CFF2" in font.tables)
    _STATE.used.append(Glyphs(face, tuple(to_unicode), bool(font.missing)))
    font.file_content = face.placeholder()


def union(parts: Iterable[Sequence[Glyphs]]) -> list[Glyphs]:
    """The glyphs of each face over every part."""
    merged: dict[Face, tuple[set[int], bool]] = {}
    for glyphs in parts:
        for each in glyphs:
            ids, notdef = merged.setdefault(each.face, (set(), False))
            ids.update(each.ids)
            merged[each.face] = (ids, notdef or each.notdef)
    return [
        Glyphs(face, tuple(sorted(ids)), notdef) for face, (ids, notdef) in sorted(merged.items())
    ]


def subset_face(glyphs: Glyphs, target: Path) -> Program:
    """The face subset to its glyphs as WeasyPrint subsets, compressed into `target`."""
    data = _subset(glyphs)
    target.write_bytes(zlib.compress(data))
    return Program(glyphs.face, target, len(data))


def _subset(glyphs: Glyphs) -> bytes:
    """The face cut down to `glyphs`, by WeasyPrint's own HarfBuzz subsetting."""
    face = glyphs.face
    hb = _harfbuzz()
    blob = hb.lib.hb_blob_create_from_file_or_fail(face.path.encode())
    if blob == hb.ffi.NULL:
        raise OSError(f"cannot read font file {face.path}")
    hb_face = hb.lib.hb_face_create(blob, face.index)
    try:
        # the face as WeasyPrint's bindings type it, in a stand-in for its Font
        pointer = weasy_ffi.ffi.cast("hb_face_t *", int(hb.ffi.cast("uintptr_t", hb_face)))
        font = SimpleNamespace(
            hb_face=pointer,
            missing={0: 0} if glyphs.notdef else {},
            family=face.path,
            file_content=b"",
        )
        fonts.Font._harfbuzz_subset(font, dict.fromkeys(glyphs.ids, ""), face.hinting)
    finally:
        hb.lib.hb_face_destroy(hb_face)
        hb.lib.hb_blob_destroy(blob)
    if font.file_content[:4] not in (b"OTTO", b"\0\1\0\0", b"true"):
        raise OSError(f"HarfBuzz could not subset font file {face.path} (face {face.index})")
    return _bytes(font.file_content)


def _bytes(data: Any) -> Any:
    """`data` as bytes, if it is a view of HarfBuzz's memory (see face_data)."""
    return data[:] if isinstance(data, weasy_ffi.ffi.buffer) else data


_BINDINGS = """
typedef struct hb_blob_t hb_blob_t;
typedef struct hb_face_t hb_face_t;
hb_blob_t *hb_blob_create_from_file_or_fail (const char *file_name);
hb_face_t *hb_face_create (hb_blob_t *blob, unsigned int index);
void hb_face_destroy (hb_face_t *face);
void hb_blob_destroy (hb_blob_t *blob);
"""
"""The two HarfBuzz calls WeasyPrint's bindings lack: a face from a file."""
LIBRARY_NAMES = ("libharfbuzz.so.0", "harfbuzz", "libharfbuzz-0", "libharfbuzz.0.dylib")


@functools.cache
def _harfbuzz() -> SimpleNamespace:
    import cffi

    ffi = cffi.FFI()
    ffi.cdef(_BINDINGS)
    for name in LIBRARY_NAMES:
        try:
            return SimpleNamespace(ffi=ffi, lib=ffi.dlopen(name))
        except OSError:
            continue
    raise OSError("libharfbuzz is not found: sudo apt-get install libharfbuzz0b")


def _requires() -> bool:
    subset = getattr(fonts.Font, "_harfbuzz_subset", None)
    return (
        subset is not None
        and getattr(fonts, "harfbuzz_subset", None) is not None
        and hasattr(fonts.Font, "type")
    )


EXTENSION = Extension(
    logger=__name__,
    without="each chunk of a long issue embeds its own font subsets (slower, larger PDF)",
    replacements=((fonts.Font, "clean", clean), (fonts, "get_hb_object_data", face_data)),
    requires=_requires,
)
install, uninstall, supported = EXTENSION.install, EXTENSION.uninstall, EXTENSION.supported
