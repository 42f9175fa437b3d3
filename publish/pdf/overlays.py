"""Overlays drawn on a long issue's pages once the page counts are known: folios, TOC numbers.

A chunk is set without its folios, and a TOC set apart with its page numbers hidden; each overlay
is a document of empty pages drawing only those, merged onto the book (publish.pdf.join).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from publish.pdf.parts import (
    BODY_OPEN,
    PLACEHOLDER,
    TOC_LINK,
    Split,
    front_css,
    link_stubs,
    map_styles,
    overlay_css,
    walk_tags,
)

if TYPE_CHECKING:
    from publish.pdf.worker import Rendered


@functools.lru_cache(maxsize=2)
def links_of(front: str) -> dict[str, tuple[re.Match[str], list[tuple[str, str]]]]:
    """The first link to each target in `front`, with the elements open around it (read once
    per front: each TOC numbers' overlay asks again; ~25 ms for 1,000 entries)."""
    found: dict[str, tuple[re.Match[str], list[tuple[str, str]]]] = {}
    stack: list[tuple[str, str]] = []
    for tag in walk_tags(front, stack):
        link = TOC_LINK.match(front, tag.start())
        if link and link.group(2) not in found:
            found[link.group(2)] = (link, list(stack))
    return found


def overlay_html(split: Split, start: int, names: Sequence[str]) -> str:
    """Empty pages, one per article page, that draw only the folios from page `start`."""
    head = map_styles(split.head, lambda css: overlay_css(css, start))
    head = BODY_OPEN.sub("<body>", head)
    pages = "".join(
        f'<div class="folio-page" style="page: {n}"></div>'
        if n
        else '<div class="folio-page"></div>'
        for n in names
    )
    return head + pages + "</body></html>"


_STAMP_CSS = (
    "".join(
        f'[data-stamp="{pseudo}"]::{pseudo} {{ display: block !important }}'
        f'[data-stamp="{pseudo}"]::{other} {{ content: none !important }}'
        for pseudo, other in (("before", "after"), ("after", "before"))
    )
    + "[data-inert] { display: block !important; position: static !important;"
    " float: none !important; margin: 0 !important; padding: 0 !important; border: 0 !important;"
    " width: auto !important; height: auto !important; columns: auto !important;"
    " text-indent: 0 !important; list-style: none !important; break-before: auto !important;"
    " break-after: auto !important; page: auto !important }"
    "[data-place] { display: block !important; position: absolute !important;"
    " float: none !important; margin: 0 !important; padding: 0 !important; border: 0 !important }"
    "html, body { margin: 0 !important; padding: 0 !important; border: 0 !important }"
)
"""For the TOC numbers' overlay: the elements around a number keep the styles they pass on but
lose their boxes ([data-inert]); the innermost takes the place and width of the probe's number
box ([data-place]), and the number's box is a block at its top: the same box, no line around."""


def stamp_html(
    split: Split,
    start: int,
    probe: Rendered,
    folios: dict[str, int],
    first: int,
    last: int,
    values: Sequence[int] = (),
) -> str:
    """Empty pages, one per page [first, last) of the TOC `probe`, that draw its folios from
    page `start` and its page numbers where the probe laid them out, hidden; `values`, if
    given: the number of each of the probe's slots, instead of its target's folio.

    Each number is the same pseudo-element of a copy of the same link, inside copies of the same
    elements (so it inherits the same styles), positioned where the probe put its box.
    """
    assert probe.slots is not None
    head = map_styles(split.head, lambda css: overlay_css(front_css(css), start) + _STAMP_CSS)
    links = links_of(split.front)
    names = probe.page_names[first:last]
    pages: list[list[tuple[list[tuple[str, str]], str]]] = [[] for _ in names]
    targets = set()
    for number, (index, target, x, y, width, pseudo) in enumerate(probe.slots):
        if not first <= index < last:
            continue
        value = values[number] if values else folios.get(target, PLACEHOLDER)
        targets.add(target)
        link, held = links[target]
        place = f"left: {x!r}px; top: {y!r}px; width: {width!r}px"
        anchor = (
            f'<a{link.group(1)}data-folio="{value}" '
            f'data-stamp="{pseudo}" data-inert href="#{target}"></a>'
        )
        entry = _with(held[-1][1], f'data-place style="{place}"') + anchor + f"</{held[-1][0]}>"
        pages[index - first].append((held[:-1], entry))
    body = []
    for name, entries in zip(names, pages, strict=True):
        body.append(f'<div class="folio-page" style="position: relative; page: {name or "auto"}">')
        around: list[tuple[str, str]] = []
        for held, entry in entries:  # the elements around consecutive entries opened once
            if held != around:
                body += [f"</{name}>" for name, _ in reversed(around)]
                body += [_with(tag, "data-inert") for _, tag in held]
                around = held
            body.append(entry)
        body += [f"</{name}>" for name, _ in reversed(around)] + ["</div>"]
    # stubs for these pages' links only: a thousand empty spans would cost more than the numbers
    stubs = link_stubs(split, targets)
    return BODY_OPEN.sub("<body>", head) + stubs + "".join(body) + "</body></html>"


def _with(tag: str, attributes: str) -> str:
    """An opening tag with `attributes` added, its own style attribute dropped."""
    tag = re.sub(r'\sstyle="[^"]*"', "", tag)
    return f"{tag[:-1].rstrip('/')} {attributes}>"


def numbered_pages(toc: Rendered, folios: dict[str, int], first: int) -> int:
    """The end of the run of TOC pages from `first` whose numbers are all in `folios`."""
    assert toc.slots is not None
    waiting = {index for index, target, *_ in toc.slots if target not in folios}
    end = first
    while end < toc.pages and end not in waiting:
        end += 1
    return end


def article_folios(chunks: Sequence[Rendered], front_pages: int) -> dict[str, int]:
    """Page number of every anchor in the chunks, counted after `front_pages` front pages."""
    folios: dict[str, int] = {}
    offset = front_pages
    for chunk in chunks:
        for name, index, _, _ in chunk.anchors:
            folios.setdefault(name, offset + index + 1)
        offset += chunk.pages
    return folios
