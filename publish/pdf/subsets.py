"""Font subsets of a joined book: one name tag per program, each program stored once.

The parts of a long issue are set by separate WeasyPrint documents, which name a face's subset
after the face (`TSPJMR+Noto-Sans-CJK-SC`) whatever glyphs it holds. Joined, one tag would stand
for several programs, which ISO 32000-1 §9.6.4 forbids (a tag names one subset), and parts that
subset the same glyphs (the folio overlays) store the same program again.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from typing import Any

TAGGED = re.compile(r"^/[A-Z]{6}\+")
"""A subset's name: six capital letters and a plus sign before the font's name."""


def name_apart(pdf: Any) -> int:
    """Store each distinct font program of the pages of `pdf` (a pikepdf.Pdf) once, under a tag
    of its own made from its bytes; return how many programs were dropped as copies (a program
    no font names is not written)."""
    import pikepdf

    kept: dict[bytes, Any] = {}
    tags: dict[bytes, str] = {}
    dropped: set[tuple[int, int]] = set()
    for font in _type0_fonts(pdf):
        for descendant in font.get("/DescendantFonts", ()):
            descriptor = descendant["/FontDescriptor"]
            key = next((k for k in ("/FontFile2", "/FontFile3") if k in descriptor), None)
            if key is None:
                continue
            program = descriptor[key]
            digest = hashlib.sha256(program.read_raw_bytes()).digest()
            first = kept.setdefault(digest, program)
            if first.objgen != program.objgen:
                descriptor[key] = first
                dropped.add(program.objgen)
            tag = tags.get(digest) or tags.setdefault(digest, _tag(digest, set(tags.values())))
            for named, field in ((descriptor, "/FontName"), (descendant, "/BaseFont")):
                named[field] = pikepdf.Name(TAGGED.sub(f"/{tag}+", str(named[field])))
            font["/BaseFont"] = pikepdf.Name(TAGGED.sub(f"/{tag}+", str(font["/BaseFont"])))
    return len(dropped - {program.objgen for program in kept.values()})


def _type0_fonts(pdf: Any) -> list[Any]:
    """The composite fonts of every page's resources, each once."""
    fonts: dict[tuple[int, int], Any] = {}
    for table in font_tables(pdf.pages):
        for _, font in table.items():
            if font.get("/Subtype") == "/Type0":
                fonts.setdefault(font.objgen, font)
    return list(fonts.values())


def font_tables(pages: Iterable[Any]) -> Iterator[Any]:
    """The /Font table of each of `pages` (pikepdf), once for pages sharing their resources."""
    seen: set[tuple[int, int]] = set()
    for page in pages:
        resources = page.obj["/Resources"]
        table = resources.get("/Font")
        shared = resources if resources.is_indirect else table
        if table is None or shared.is_indirect and shared.objgen in seen:
            continue  # a document's pages share their resources
        seen.add(shared.objgen)
        yield table


def _tag(digest: bytes, taken: set[str]) -> str:
    """Six capital letters from a program's digest, unlike any tag already given."""
    number, salt = int.from_bytes(digest[:8], "big"), 0
    while True:
        value, letters = number + salt, []
        for _ in range(6):
            value, rest = divmod(value, 26)
            letters.append(chr(ord("A") + rest))
        tag = "".join(letters)
        if tag not in taken:
            return tag
        salt += 1
