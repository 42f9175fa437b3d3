"""Font subsets of a joined book: one name tag per program, each program stored once.

The parts of a long issue are set by separate WeasyPrint documents, which name a face's subset
after the face (`TSPJMR+Noto-Sans-CJK-SC`) whatever glyphs it holds. Joined, one tag would stand
for several programs, which ISO 32000-1 §9.6.4 forbids (a tag names one subset), and parts that
subset the same glyphs (the folio overlays) store the same program again.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

TAGGED = re.compile(r"^/[A-Z]{6}\+")
"""A subset's name: six capital letters and a plus sign before the font's name."""


def name_apart(writer: Any) -> int:
    """Store each distinct font program of `writer`'s pages once, under a tag of its own made
    from its bytes; return how many programs were dropped as copies."""
    kept: dict[bytes, Any] = {}
    tags: dict[bytes, str] = {}
    dropped: set[int] = set()
    for font in _type0_fonts(writer):
        for descendant in font.get("/DescendantFonts", ()):
            descendant = descendant.get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            key = next((k for k in ("/FontFile2", "/FontFile3") if k in descriptor), None)
            if key is None:
                continue
            reference = descriptor.raw_get(key)
            digest = hashlib.sha256(reference.get_object()._data).digest()
            first = kept.setdefault(digest, reference)
            if first.idnum != reference.idnum:
                descriptor[_name(key)] = first
                dropped.add(reference.idnum)
            tag = tags.get(digest) or tags.setdefault(digest, _tag(digest, set(tags.values())))
            for named, field in ((descriptor, "/FontName"), (descendant, "/BaseFont")):
                named[_name(field)] = _name(TAGGED.sub(f"/{tag}+", str(named[field])))
            font[_name("/BaseFont")] = _name(TAGGED.sub(f"/{tag}+", str(font["/BaseFont"])))
    kept_ids = {reference.idnum for reference in kept.values()}
    for idnum in dropped - kept_ids:
        writer._objects[idnum - 1] = None  # written as a free object
    return len(dropped - kept_ids)


def _type0_fonts(writer: Any) -> list[Any]:
    """The composite fonts of every page's resources, each once."""
    fonts: dict[int, Any] = {}
    seen: set[int] = set()
    for page in writer.pages:
        resources = page["/Resources"].get_object()
        table = resources.get("/Font")
        table = table.get_object() if table is not None else {}
        if id(table) in seen:  # a part's pages share their resources
            continue
        seen.add(id(table))
        for reference in table.values():
            font = reference.get_object()
            if font.get("/Subtype") == "/Type0":
                fonts.setdefault(id(font), font)
    return list(fonts.values())


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


def _name(text: str) -> Any:
    from pypdf.generic import NameObject

    return NameObject(text)
