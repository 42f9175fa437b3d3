"""Where each printed page begins in the articles' text, read from WeasyPrint's page boxes.

The e-book's page list points at the place in the text where each page of the print edition
begins. WeasyPrint keeps no map from pages back to the source, but its laid-out page boxes
hold the text boxes of each page in document order (columns left to right), each under the
elements it came from: the first text box of an article on a page is where that page begins,
and the article's body characters on the pages before it give its position in the text.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from publish.model import HEAD_OFFSET, PageStart

INVISIBLE = frozenset("\u200b\u2060\u00ad\ufeff")
"""Break marks the print HTML adds (<wbr> and its kin) that the e-book text does not have."""


def page_starts(document: Any) -> tuple[PageStart, ...]:
    """One PageStart per page whose text includes an article, in page order."""
    counted: dict[str, int] = {}
    starts = []
    for number, page in enumerate(document.pages, 1):
        first = None
        for slug, in_head, text in _article_texts(page._page_box, None, False):
            if first is None:
                offset = HEAD_OFFSET if in_head else counted.get(slug, 0)
                first = PageStart(number, slug, offset)
            if not in_head:
                counted[slug] = counted.get(slug, 0) + significant_length(text)
        if first is not None:
            starts.append(first)
    return tuple(starts)


def significant_length(text: str) -> int:
    """Characters that count for a position: not whitespace, not an invisible break mark."""
    return sum(1 for c in text if not c.isspace() and c not in INVISIBLE)


def _article_texts(box: Any, slug: str | None, in_head: bool) -> Iterator[tuple[str, bool, str]]:
    """(article slug, inside its head, text) of every text box under `box`, in order."""
    element = getattr(box, "element", None)
    if element is not None and getattr(box, "element_tag", None) in ("article", "header"):
        classes = (element.get("class") or "").split()
        if "article" in classes and element.get("id"):
            slug, in_head = element.get("id"), False
        elif "article-head" in classes:
            in_head = True
    text = getattr(box, "text", None)
    if text is not None and slug is not None:
        yield slug, in_head, text
    for child in getattr(box, "children", ()):
        yield from _article_texts(child, slug, in_head)
