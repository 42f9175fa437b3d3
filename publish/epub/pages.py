"""The print edition's page breaks in the e-book: markers in the text and the page list."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from markupsafe import Markup

from publish.model import HEAD_OFFSET, PageStart

MARKUP_BITS = re.compile(r"(<[^>]*>|&[#\w]+;)")
INVISIBLE = frozenset("\u200b\u2060\u00ad\ufeff")
"""Not counted in a position, as publish.pdf.weasy.pagemap does not count them."""


@dataclass(frozen=True)
class PageTarget:
    """An entry of the page list: the printed page number and where it begins in the book."""

    page: int
    href: str
    """The article document and the marker's id, e.g. text/01-a.xhtml#page-3."""


def marker_id(page: int) -> str:
    """The id of the marker where printed page `page` begins."""
    return f"page-{page}"


def page_targets(starts: Iterable[PageStart], hrefs: dict[str, str]) -> list[PageTarget]:
    """The page list, in page order, of the page starts that fall in the book's articles."""
    return [
        PageTarget(s.page, f"{hrefs[s.article]}#{marker_id(s.page)}")
        for s in starts
        if s.article in hrefs
    ]


def head_pages(starts: Iterable[PageStart], slug: str) -> list[int]:
    """The printed pages that begin with the head of article `slug`."""
    return [s.page for s in starts if s.article == slug and s.offset == HEAD_OFFSET]


def with_page_breaks(
    body: Markup, starts: Iterable[PageStart], slug: str, marker: Callable[[int], Markup]
) -> Markup:
    """`body` with `marker(page)` (markup) put where each printed page that begins inside
    article `slug`'s body begins; the rest of the body is left byte for byte."""
    inside = sorted((s.offset, s.page) for s in starts if s.article == slug and s.offset >= 0)
    if not inside:
        return body
    out: list[str] = []
    count = 0
    # split() alternates text and markup (tags, entities); an entity is one character
    for number, part in enumerate(MARKUP_BITS.split(str(body))):
        if number % 2:
            while inside and inside[0][0] <= count and part.startswith("&"):
                out.append(str(marker(inside.pop(0)[1])))
            out.append(part)
            count += part.startswith("&")
            continue
        for char in part:
            while inside and inside[0][0] <= count and _counts(char):
                out.append(str(marker(inside.pop(0)[1])))
            out.append(char)
            count += _counts(char)
    out.extend(str(marker(page)) for _, page in inside)  # past the end: after the last text
    return Markup("".join(out))


def _counts(char: str) -> bool:
    return not char.isspace() and char not in INVISIBLE
