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
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from publish.pdf.overlays import links_of, overlay_html, stamp_html
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


def read_specimen(rendered: Rendered, pdf: Any, name: str, digits: int) -> Specimen | None:
    """What the specimen `rendered` (open as `pdf`) vouches for; None if it vouches for nothing."""
    models: dict[Key, Model] = {}
    glyphs: dict[int, bytes] = {}
    for index, page in enumerate(pdf.pages):
        number = str(10 ** (digits - 1) + index)
        cut = _cut(page.obj, number, index)
        if cut is None or not _same_glyphs(number, cut[1], glyphs):
            return None
        model, key = cut[0], (name, index % 2, len(number))
        first = models.setdefault(key, model)
        if (first.before, first.between, first.after) != (model.before, model.between, model.after):
            return None  # two pages of a key differ beyond their numbers
    return Specimen(rendered, models, glyphs)


def _same_glyphs(number: str, shown: list[bytes], glyphs: dict[int, bytes]) -> bool:
    """Note the glyph of each digit of `number`; False if a digit was drawn by another glyph
    before (not a plain figure)."""
    for digit, glyph in zip(number, shown, strict=True):
        if glyphs.setdefault(int(digit), glyph) != glyph:
            return False
    return True


def _cut(page: Any, number: str, index: int) -> tuple[Model, list[bytes]] | None:
    """Page `index`'s content cut around its one number, and the glyphs it shows; None if it
    does not draw exactly `number`, once, one glyph a digit."""
    data = _content(page)
    if data is None:
        return None
    actual, shown = list(_ACTUAL.finditer(data)), list(_SHOWN.finditer(data))
    if len(actual) != 1 or len(shown) != 1 or len(_OTHER_TEXT.findall(data)) != 1:
        return None
    actual_at, shown_at = actual[0].span(1), shown[0].span(1)
    glyphs = _GLYPH.findall(shown[0].group(1))
    if actual[0].group(1) != number.encode() or len(glyphs) != len(number):
        return None
    if actual_at[1] > shown_at[0]:
        return None
    cut = data[: actual_at[0]], data[actual_at[1] : shown_at[0]], data[shown_at[1] :]
    return Model(index, *cut), glyphs


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


# TOC page numbers: a long TOC's numbers overlays cost WeasyPrint ~35 ms a page (~2.5 s of a
# 1,000-entry TOC). A number is drawn by the same operators wherever its slot is, for slots of
# one kind (same link, same elements around it, same column and width) and digit count, moved
# by as much as its slot. The specimen: one page for each digit count and variant, each with one
# slot of every kind, the second variant's moved by SHIFT and drawn with other digits. A made
# page draws the numbers alone, each between q and Q, in the specimen's page frame.

SHIFT = 40.0
"""CSS px a second variant's slots are moved by, to see the numbers move with them."""
VARIANTS = (("7", "4"), ("90", "56"), ("318", "762"), ("5049", "2381"))
"""The first kind's number in the two variants of each digit count: every digit among them."""
KINDS = 9
"""Kinds of slot a specimen holds at most (the k-th kind's digits are the first's plus k)."""
SPECIMEN_FOLIO = 1000
"""The folio of the specimen's first page: no slot's number is one from 1000 to 1007."""

Kind = tuple[float, float, str, str, tuple[str, ...]]
"""(x, width, 'before' or 'after', the link's attributes, the elements around it) of a slot."""

_BLOCK = re.compile(rb"/Span\n<</ActualText \((\d+)\)>>\nBDC\n(.*?)EMC\n", re.S)
_PLACED = re.compile(rb"1 0 0 -1 (-?[\d.]+) (-?[\d.]+) Tm")
_FRAME = re.compile(rb"[^q]*? cm\nq\n[^q]*? cm\n")
_NUMBER = re.compile(rb"-?[\d.]+")


@dataclass(frozen=True)
class Figure:
    """A number's operators as the specimen drew them (between BDC and EMC), cut around its
    text position and glyphs, for a slot at height `slot_y`."""

    before: bytes
    tail: bytes
    after: bytes
    x: float
    y: float
    slot_y: float


@dataclass(frozen=True)
class Figures:
    """A TOC numbers' specimen and what it vouches for."""

    rendered: Rendered
    frame: bytes
    figures: dict[tuple[Kind, int], Figure]
    glyphs: dict[int, bytes]


def kind_of(front: str, slot: Any) -> Kind:
    """What a slot's number looks like depends on, besides its digits and height."""
    _, target, x, _, width, pseudo = slot
    link, held = links_of(front)[target]
    return (x, width, pseudo, link.group(1), tuple(tag for _, tag in held))


def kind_value(number: str, order: int) -> str:
    """The number the `order`-th kind of slot shows where the first shows `number`."""
    shifted = [(int(digit) + order) % 10 for digit in number]
    return "".join(map(str, [shifted[0] or 1, *shifted[1:]]))


def _plan() -> list[tuple[int, str]]:
    """(variant, the first kind's number) of each specimen page."""
    return [(variant, pair[variant]) for pair in VARIANTS for variant in (0, 1)]


def _moved(y: float) -> float:
    """How far a second variant's slot at height `y` is moved (down, unless it is low)."""
    return SHIFT if y < 2 * SHIFT else -SHIFT


def numbers_specimen(split: Split, probe: Rendered) -> tuple[str, tuple[Any, ...]] | None:
    """The specimen of the TOC `probe`'s numbers, and the slot it copies of each kind; None if
    the TOC's pages are not all one named page, or it has too many kinds of slot."""
    assert probe.slots is not None
    kinds: dict[Kind, Any] = {}
    for slot in probe.slots:
        kinds.setdefault(kind_of(split.front, slot), slot)
    if len(set(probe.page_names)) != 1 or not kinds or len(kinds) > KINDS:
        return None
    slots, values = [], []
    for page, (variant, number) in enumerate(_plan()):
        for order, (_, target, x, y, width, pseudo) in enumerate(kinds.values()):
            slots.append((page, target, x, y + _moved(y) * variant, width, pseudo))
            values.append(int(kind_value(number, order)))
    pages = len(_plan())
    sample = replace(probe, slots=tuple(slots), page_names=probe.page_names[:1] * pages)
    html = stamp_html(split, SPECIMEN_FOLIO, sample, {}, 0, pages, values)
    return html, tuple(kinds.values())


def read_figures(
    rendered: Rendered, pdf: Any, front: str, copied: tuple[Any, ...]
) -> Figures | None:
    """What the numbers' specimen `rendered` (open as `pdf`) vouches for, the slots `copied`
    of each kind; None if it vouches for nothing."""
    figures: dict[tuple[Kind, int], Figure] = {}
    glyphs: dict[int, bytes] = {}
    frames = set()
    for page, ((variant, number), specimen) in enumerate(zip(_plan(), pdf.pages, strict=True)):
        data = _content(specimen.obj)
        frame = _FRAME.match(data or b"")
        if data is None or frame is None or not _bare(data[frame.end() :]):
            return None
        frames.add(frame.group(0))
        blocks = {m.group(1): m.group(2) for m in _BLOCK.finditer(data)}
        blocks.pop(str(SPECIMEN_FOLIO + page).encode(), None)  # the page's folio: drawn apart
        if len(blocks) != len(copied):
            return None
        for order, slot in enumerate(copied):
            value = kind_value(number, order)
            y = slot[3] + _moved(slot[3]) * variant
            figure = _figure(blocks.get(value.encode(), b""), value, y, glyphs)
            key = (kind_of(front, slot), len(value))
            if figure is None or not _agrees(figures.setdefault(key, figure), figure):
                return None
    if len(frames) != 1:
        return None
    return Figures(rendered, frames.pop(), figures, glyphs)


def _content(page: Any) -> bytes | None:
    import pikepdf

    contents = page.get("/Contents")
    return contents.read_bytes() if isinstance(contents, pikepdf.Stream) else None


def _bare(drawn: bytes) -> bool:
    """Whether a page draws nothing besides its numbers (blocks): saves, restores and clips,
    none of them around a number."""
    depth, clipped = 0, set()
    for token in _BLOCK.sub(b" BLOCK ", drawn).split():
        if token == b"q":
            depth += 1
        elif token == b"Q":
            clipped.discard(depth)
            depth -= 1
        elif token == b"W":
            clipped.add(depth)
        elif token == b"BLOCK":
            if clipped:
                return False
        elif token not in (b"re", b"n") and not _NUMBER.fullmatch(token):
            return False
    return True


def _figure(block: bytes, value: str, slot_y: float, glyphs: dict[int, bytes]) -> Figure | None:
    """A number's block cut around its position and glyphs, its digits' glyphs noted; None if
    it is not one position and one glyph a digit."""
    placed, shown = list(_PLACED.finditer(block)), list(_SHOWN.finditer(block))
    if len(placed) != 1 or len(shown) != 1 or len(_OTHER_TEXT.findall(block)) != 1:
        return None
    found = _GLYPH.findall(shown[0].group(1))
    if len(found) != len(value) or placed[0].end() > shown[0].start():
        return None
    if not _same_glyphs(value, found, glyphs):
        return None
    x, y = (float(n) for n in placed[0].groups())
    before, tail = block[: placed[0].start()], block[placed[0].end() : shown[0].start()]
    return Figure(before, tail, block[shown[0].end() :], x, y, slot_y)


def _agrees(one: Figure, other: Figure) -> bool:
    """Whether two figures of a kind and digit count are one, moved with its slot."""
    moved = other.y - one.y - (other.slot_y - one.slot_y)
    same = (one.before, one.tail, one.after) == (other.before, other.tail, other.after)
    return same and abs(other.x - one.x) < 1e-3 and abs(moved) < 1e-3


def derive_numbers(
    figures: Figures, probe: Rendered, front: str, folios: dict[str, int], first: int, last: int
) -> Derived | None:
    """The numbers of the TOC pages [first, last) of `probe`, made from `figures`; None if they
    do not vouch for one of them."""
    assert probe.slots is not None
    drawn: list[list[bytes]] = [[] for _ in range(first, last)]
    for slot in probe.slots:
        index, target, _, y = slot[:4]
        if not first <= index < last:
            continue
        value = str(folios[target])
        figure = figures.figures.get((kind_of(front, slot), len(value)))
        if figure is None or any(int(digit) not in figures.glyphs for digit in value):
            return None
        at = b"1 0 0 -1 %s %s Tm" % (_decimal(figure.x), _decimal(figure.y + y - figure.slot_y))
        shown = b"".join(b"<%s>" % figures.glyphs[int(digit)] for digit in value)
        block = b"/Span\n<</ActualText (%s)>>\nBDC\n" % value.encode()
        block += figure.before + at + figure.tail + b"[" + shown + b"] TJ" + figure.after
        drawn[index - first].append(b"q\n" + block + b"EMC\nQ\n")
    content = [figures.frame + b"".join(blocks) + b"Q\n" for blocks in drawn]
    return Derived(tuple((figures.rendered, 0, page) for page in content))


def _decimal(value: float) -> bytes:
    return f"{value:.6f}".rstrip("0").rstrip(".").encode()
