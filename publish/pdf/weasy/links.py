"""One link annotation where a link's area already covers it: a version-guarded extension of
WeasyPrint 70.

WeasyPrint gives every box inside a link (each span, line, leader and page number of a TOC
entry) a link annotation of its own, to the same target, inside the link's own area: ten
annotations per TOC entry, 10,000 PDF objects in the TOC of a 1,000-article issue, that a
reader never tells apart and that the join of a long issue (publish.pdf.join) parses and writes
again. `install()` keeps, of the links a page gathers, only those not inside the area of an
earlier link to the same target: the area that leads somewhere is the same.
"""

from __future__ import annotations

from typing import Any

from weasyprint import document

from publish.pdf.weasy.extension import Extension

TOLERANCE = 0.01
"""How far (CSS px) an edge may stick out of a covering area and still count as inside."""


def gather_anchors(box: Any, anchors: Any, links: list, *args: Any, **kwargs: Any) -> None:
    """WeasyPrint's gathering of a page's anchors, links, bookmarks and forms, its links then
    freed of those an earlier link to the same target covers."""
    EXTENSION.original("gather_anchors")(box, anchors, links, *args, **kwargs)
    links[:] = covering(links)


def covering(links: list[tuple[str, str, tuple[float, ...], Any]]) -> list:
    """The links, in order, without those inside the area of an earlier one to the same
    target."""
    kept: dict[tuple[str, str], list[tuple[float, ...]]] = {}
    result = []
    for link in links:
        kind, target, area, _ = link
        areas = kept.setdefault((kind, target), [])
        if not any(_inside(area, outer) for outer in areas):
            areas.append(area)
            result.append(link)
    return result


def _inside(area: tuple[float, ...], outer: tuple[float, ...]) -> bool:
    left, top, right, bottom = area
    return (
        left >= outer[0] - TOLERANCE
        and top >= outer[1] - TOLERANCE
        and right <= outer[2] + TOLERANCE
        and bottom <= outer[3] + TOLERANCE
    )


EXTENSION = Extension(
    logger=__name__,
    without="TOC entries carry ten link annotations each (larger PDFs, slower joins)",
    # Page.__init__ calls the name document imported; the recursion inside stays WeasyPrint's
    replacements=((document, "gather_anchors", gather_anchors),),
)
install, uninstall, supported = EXTENSION.install, EXTENSION.uninstall, EXTENSION.supported
