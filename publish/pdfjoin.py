"""Chunk PDFs joined into one book: folios drawn on, one destination tree, one outline.

The parts (front matter, article chunks) were set apart by publish.chunked; here they become the
PDF one render would give: the folio overlays are merged onto the article pages, every anchor gets
a named destination (so the TOC's links land on the articles), and the bookmarks are nested by
WeasyPrint's own rule over the whole book.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from publish.chunked import Rendered


def join(
    fronts: Sequence[Rendered],
    chunks: Sequence[Rendered],
    overlays: Sequence[Rendered],
    target: Path,
) -> int:
    """One PDF: front matter, then each chunk's pages with their folios drawn on top."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=fronts[0].out)
    for front in fronts[1:]:
        writer.append(front.out, import_outline=False)
    for chunk, overlay in zip(chunks, overlays, strict=True):
        first = len(writer.pages)
        writer.append(chunk.out, import_outline=False)
        for index, page in enumerate(PdfReader(overlay.out).pages):
            writer.pages[first + index].merge_page(page)
    _write_destinations(writer, fronts, chunks)
    _write_outline(writer, [*fronts, *chunks])
    writer.write(target)
    return len(writer.pages)


def _placed(parts: Sequence[Rendered], attribute: str) -> Iterator[tuple]:
    """Anchors or bookmarks of the whole book, their page indices shifted to the joined PDF."""
    offset = 0
    for part in parts:
        for item in getattr(part, attribute):
            yield item, offset
        offset += part.pages


def _write_destinations(
    writer: Any, fronts: Sequence[Rendered], chunks: Sequence[Rendered]
) -> None:
    """The named destinations of every anchor, so that TOC links land on the article pages."""
    from pypdf.generic import (
        ArrayObject,
        DictionaryObject,
        FloatObject,
        NameObject,
        TextStringObject,
    )

    in_chunks = {name for chunk in chunks for name, *_ in chunk.anchors}
    front_pages = sum(front.pages for front in fronts)
    places: dict[str, tuple[int, float, float]] = {}
    for (name, index, x, y), offset in _placed([*fronts, *chunks], "anchors"):
        # the front's hidden stubs only kept the TOC links alive; the first real anchor wins
        if offset < front_pages and name in in_chunks:
            continue
        places.setdefault(name, (offset + index, x, y))
    names = ArrayObject()
    for name in sorted(places):
        index, x, y = places[name]
        page = writer.pages[index].indirect_reference
        names += [
            TextStringObject(name),
            ArrayObject([page, NameObject("/XYZ"), FloatObject(x), FloatObject(y), FloatObject(0)]),
        ]
    tree = DictionaryObject({NameObject("/Names"): names})
    root = writer._root_object
    root[NameObject("/Names")] = DictionaryObject({NameObject("/Dests"): writer._add_object(tree)})


def _write_outline(writer: Any, parts: Sequence[Rendered]) -> None:
    """The bookmarks of the whole book, nested the way WeasyPrint nests them in one render."""
    from pypdf.generic import Fit, NameObject
    from weasyprint.anchors import make_page_bookmark_tree
    from weasyprint.matrix import Matrix

    if "/Outlines" in writer._root_object:
        del writer._root_object[NameObject("/Outlines")]
    root: list = []
    skipped: list[int] = []
    last_by_depth: list[list] = [root]
    previous = 0
    for (index, level, label, x, y, state), offset in _placed(parts, "bookmarks"):
        page = _OnePage([(level, label, (x, y), state)])
        previous = make_page_bookmark_tree(
            page, skipped, last_by_depth, previous, offset + index, Matrix()
        )
    _add_items(writer, root, None, Fit)


@dataclass
class _OnePage:
    bookmarks: list


def _add_items(writer: Any, tree: list, parent: Any, fit: Any) -> None:
    for label, (index, x, y), children, state in tree:
        item = writer.add_outline_item(
            title=label,
            page_number=index,
            parent=parent,
            fit=fit.xyz(x, y, 0),
            is_open=state != "closed",
        )
        _add_items(writer, children, item, fit)
