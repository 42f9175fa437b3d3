"""Folios set by example: a long issue's folio pages copied from a few set by WeasyPrint.

A folio overlay has a page for every article page, each drawing one number in a margin box, and
costs WeasyPrint ~3 ms a page (~3 s of a 1,000-article build). What a page draws depends only on
its named page, its side (its place in its overlay document) and how many digits its folio has:
two such pages differ in the digits' glyph ids and the number in the ActualText, nothing else
(the figures are tabular: one advance, so one position). So WeasyPrint sets a specimen of ten
pages for each named page and digit count, and every folio page is its specimen's content with
the digits swapped. A specimen is trusted only as far as it shows it: one number a page, written
as one glyph per digit, every page of a key the same but for its number, each digit one glyph;
a page it does not vouch for leaves its overlay to WeasyPrint, as before.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from publish.pdf.overlays import overlay_html
from publish.pdf.parts import Split

if TYPE_CHECKING:
    from publish.pdf.worker import Rendered

SPECIMEN_PAGES = 10
"""Pages of a specimen: every digit in the last place, five pages of each side."""
MOST_DIGITS = 4
"""Folios up to 9,999 are set by example; a longer book's last overlays by WeasyPrint."""

_ACTUAL = re.compile(rb"/ActualText \((\d+)\)")
_SHOWN = re.compile(rb"\[((?:<[0-9a-f]{4}>)+)\] TJ")
_GLYPH = re.compile(rb"<([0-9a-f]{4})>")
_OTHER_TEXT = re.compile(rb"(?:TJ|Tj|')\s")

Key = tuple[str, int, int]
"""(named page, side: the page's index in its overlay document modulo 2, digits of its folio)."""


@dataclass(frozen=True)
class Model:
    """A folio page as a specimen set it, cut around its number: content before the digits of
    its ActualText, between them and its glyphs, after."""

    page: int
    """The specimen page's index in its document."""
    before: bytes
    between: bytes
    after: bytes


@dataclass(frozen=True)
class Specimen:
    """A specimen document and what it vouches for."""

    rendered: Rendered
    models: dict[Key, Model]
    glyphs: dict[int, bytes]
    """The glyph id (4 hex digits) of each digit."""


@dataclass(frozen=True)
class Derived:
    """A folio overlay made from specimens: for each page, the specimen and page whose
    resources it uses, and its content."""

    pages: tuple[tuple[Rendered, int, bytes], ...]


def specimen_html(split: Split, name: str, digits: int) -> str:
    """The specimen of pages named `name` with folios of `digits` digits (from 1, 10, 100, …)."""
    return overlay_html(split, 10 ** (digits - 1), [name] * SPECIMEN_PAGES)


def digit_counts(start: int) -> range:
    """The digit counts of the folios from `start` on that specimens are set for."""
    return range(len(str(start)), MOST_DIGITS + 1)


def read_specimen(rendered: Rendered, pdf: Any, name: str, digits: int) -> Specimen | None:
    """What the specimen `rendered` (open as `pdf`) vouches for; None if it vouches for nothing."""
    start, models, glyphs = 10 ** (digits - 1), {}, {}
    shapes: dict[Key, bytes] = {}
    for index, page in enumerate(pdf.pages):
        cut = _cut(page.obj, str(start + index).encode())
        if cut is None:
            return None
        model, shown = cut
        for digit, glyph in zip(str(start + index), shown, strict=True):
            if glyphs.setdefault(int(digit), glyph) != glyph:
                return None  # a digit drawn by two glyphs: not a plain figure
        key = (name, index % 2, len(str(start + index)))
        shape = model.before + b"\0" + model.between + b"\0" + model.after
        if shapes.setdefault(key, shape) != shape:
            return None  # two pages of a key differ beyond their numbers
        models.setdefault(key, Model(index, model.before, model.between, model.after))
    return Specimen(rendered, models, glyphs)


def _cut(page: Any, number: bytes) -> tuple[Model, list[bytes]] | None:
    """A page's content cut around its one number, and the glyphs it shows; None if it does not
    draw exactly `number`, once, one glyph a digit."""
    import pikepdf

    contents = page.get("/Contents")
    if not isinstance(contents, pikepdf.Stream):
        return None
    data = contents.read_bytes()
    actual, shown = list(_ACTUAL.finditer(data)), list(_SHOWN.finditer(data))
    if len(actual) != 1 or len(shown) != 1 or len(_OTHER_TEXT.findall(data)) != 1:
        return None
    actual_at, shown_at = actual[0].span(1), shown[0].span(1)
    glyphs = _GLYPH.findall(shown[0].group(1))
    if actual[0].group(1) != number or len(glyphs) != len(number) or actual_at[1] > shown_at[0]:
        return None
    model = Model(-1, data[: actual_at[0]], data[actual_at[1] : shown_at[0]], data[shown_at[1] :])
    return model, glyphs


def derive(specimens: Sequence[Specimen], names: Sequence[str], start: int) -> Derived | None:
    """The folio overlay of pages named `names` from folio `start`, made from `specimens`; None
    if they do not vouch for one of its pages."""
    found: dict[Key, tuple[Specimen, Model]] = {}
    for specimen in specimens:
        for key, model in specimen.models.items():
            found.setdefault(key, (specimen, model))
    pages = []
    for index, name in enumerate(names):
        number = str(start + index)
        if (name, index % 2, len(number)) not in found:
            return None
        specimen, model = found[name, index % 2, len(number)]
        if any(int(digit) not in specimen.glyphs for digit in number):
            return None
        shown = b"".join(b"<%s>" % specimen.glyphs[int(digit)] for digit in number)
        content = model.before + number.encode() + model.between + shown + model.after
        pages.append((specimen.rendered, model.page, content))
    return Derived(tuple(pages))
