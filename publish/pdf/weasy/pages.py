"""What a laid-out WeasyPrint document holds that its public API does not say: reads of its
page boxes (`page._page_box`), the only place outside the extensions that touches them."""

from __future__ import annotations

from collections.abc import Iterable
from types import SimpleNamespace
from typing import Any

SCALE = 0.75
"""PDF points per CSS pixel (WeasyPrint's zoom 1)."""

Anchor = tuple[str, int, float, float]
"""(id, page index, x, y) of an element with an id, in PDF points from the bottom left."""
Bookmark = tuple[int, int, str, float, float, str]
"""(page index, level, label, x, y, state) of a bookmark, in PDF points."""
Slot = tuple[int, str, float, float, float, str]
"""(page index, target id, x, y, width, 'before' or 'after') of a TOC page number, in CSS px
from the page's content area."""


def anchors(document: Any) -> tuple[Anchor, ...]:
    """Every element with an id, page by page."""
    found = []
    for index, page in enumerate(document.pages):
        for name, (x, y, _, _) in page.anchors.items():
            found.append((name, index, x * SCALE, (page.height - y) * SCALE))
    return tuple(found)


def bookmarks(document: Any) -> tuple[Bookmark, ...]:
    """Every bookmark, in document order."""
    found = []
    for index, page in enumerate(document.pages):
        for level, label, (x, y), state in page.bookmarks:
            found.append((index, level, label, x * SCALE, (page.height - y) * SCALE, state))
    return tuple(found)


def bookmark_tree(placed: Iterable[tuple[Bookmark, int]]) -> list[Any]:
    """The bookmarks of parts laid out apart, each with the pages before its part, nested by
    WeasyPrint's own rule as one render nests them: [(label, (page, x, y), children, state)]."""
    from weasyprint.anchors import make_page_bookmark_tree
    from weasyprint.matrix import Matrix

    root: list[Any] = []
    skipped: list[int] = []
    last_by_depth: list[list[Any]] = [root]
    previous = 0
    for (index, level, label, x, y, state), offset in placed:
        page = SimpleNamespace(bookmarks=[(level, label, (x, y), state)])
        previous = make_page_bookmark_tree(
            page, skipped, last_by_depth, previous, offset + index, Matrix()
        )
    return root


def page_names(document: Any) -> tuple[str, ...]:
    """The CSS named page of every page ('' for none)."""
    return tuple(page._page_box.page_type.name or "" for page in document.pages)


def list_items(document: Any) -> tuple[tuple[int, ...], int]:
    """The ordinal of the list item each page starts with (-1 if none), and how many there are."""
    ordinals: dict[int, int] = {}
    firsts = []
    for page in document.pages:
        first = None
        for box in page._page_box.descendants():
            if box.element_tag != "li" or box.element is None:
                continue
            new = id(box.element) not in ordinals
            ordinal = ordinals.setdefault(id(box.element), len(ordinals))
            first = ordinal if first is None and new else (-1 if first is None else first)
        firsts.append(-1 if first is None else first)
    return tuple(firsts), len(ordinals)


def number_slots(document: Any, placeholder: str) -> tuple[Slot, ...] | None:
    """Where each page number (a link's pseudo-element showing only `placeholder`) was laid
    out; None if one of them could change the layout with its width (not an inline-block of a
    set width)."""
    slots = []
    for index, page in enumerate(document.pages):
        area = page._page_box
        left, top = area.content_box_x(), area.content_box_y()
        for box in area.descendants():
            found = _number_slot(box, placeholder)
            if found is False:
                return None
            if found:
                target, pseudo = found
                x, y = box.position_x - left, box.position_y - top
                slots.append((index, target, x, y, box.margin_width(), pseudo))
    return tuple(slots)


def _number_slot(box: Any, placeholder: str) -> tuple[str, str] | bool | None:
    """(target, pseudo) if `box` is a page number's box; None if it is none; False if it is one
    whose width could change the layout."""
    from weasyprint.formatting_structure import boxes

    element = box.element
    if (
        (box.element_tag or "").rsplit("::", 1)[-1] not in ("before", "after")
        or element is None
        or element.get("data-folio") is None
        or isinstance(box, (boxes.TextBox, boxes.LineBox))
    ):
        return None
    texts = [b.text for b in box.descendants() if isinstance(b, boxes.TextBox)]
    if (
        texts != [placeholder]
        or not isinstance(box, boxes.InlineBlockBox)
        or box.style["width"] == "auto"
    ):
        return False
    return element.get("href", "").removeprefix("#"), box.element_tag.rsplit("::", 1)[-1]


def harfbuzz_subset_available() -> bool:
    """Whether libharfbuzz-subset is present (without it font subsetting is ~15× slower)."""
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    return bool(harfbuzz_subset) and bool(harfbuzz.hb_version_atleast(4, 1, 0))
