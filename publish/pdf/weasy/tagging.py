"""A structure tree a screen reader can follow: a version-guarded extension of WeasyPrint 70.

WeasyPrint 70 tags a PDF/UA page by page: running heads and folios are marked as real content
but left out of the tree, a paragraph that continues in the next column or on the next page
becomes a second P, a list is a list whatever it lists, and a link is described by its target's
name (`01-yan-li-ran`). `install()` changes that, for tagged PDFs only:

- what a margin box draws (running heads, folios) and a leader's dots are artifacts;
- the pieces of one element (a paragraph, an article) cut by columns or pages are one element,
  the later pieces' content referenced by page (ISO 32000-1 §14.7.4.3, marked-content references);
- a list inside a `<nav>` is a TOC of TOCI (ISO 32000-1 §14.8.4.3);
- a link whose element has `data-link-label` is described by it, `{page}` replaced by the page
  number its target is on ("闫立然 · 打赢新区建设攻坚战 当好发展改革排头兵 第3页").
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import pydyf
from weasyprint import document as weasy_document
from weasyprint import pdf as weasy_pdf
from weasyprint.formatting_structure import boxes
from weasyprint.layout.absolute import AbsolutePlaceholder
from weasyprint.pdf import stream as weasy_stream
from weasyprint.pdf import tags

from publish.pdf.weasy.extension import Extension

LINK_LABEL = "data-link-label"
"""The attribute a link's description comes from; `{page}` is its target's page number."""

TARGET_PAGES: ContextVar[dict[str, int] | None] = ContextVar("target_pages", default=None)
"""Page numbers (from 1) of the anchors of the document being tagged."""
FURNITURE: ContextVar[frozenset[int]] = ContextVar("furniture", default=frozenset())
"""The ids of the furniture boxes of the document being tagged."""


def draw_page(page: Any, stream: Any) -> None:
    """WeasyPrint's page drawing, knowing which boxes are the page's furniture."""
    if stream._tags is not None:
        stream.publish_artifacts = furniture(page)
    EXTENSION.original("draw_page")(page, stream)


def furniture(page: Any) -> frozenset[int]:
    """The ids of every box in the page's margin boxes (running heads, folios) and leaders."""
    found: set[int] = set()
    stack = [(box, False) for box in page.children]
    while stack:
        box, inside = stack.pop()
        inside = inside or isinstance(box, boxes.MarginBox) or getattr(box, "is_leader", False)
        if inside:
            found.add(id(box))
        stack.extend((child, inside) for child in getattr(box, "children", ()))
    return frozenset(found)


@contextmanager
def marked(self: Any, box: Any, tag: str) -> Iterator[None]:
    """Stream.marked, the page's furniture marked as an artifact instead."""
    if self._tags is not None and id(box) in getattr(self, "publish_artifacts", ()):
        with self.artifact():
            yield
        return
    with EXTENSION.original("marked")(self, box, tag):
        yield


def build_box_tree(
    box: Any, parent: Any, pdf: Any, page_number: int, nums: Any, annotations: Any, tags: Any
) -> Iterator[Any]:
    """WeasyPrint's structure of a box, without the furniture, each element noting its source."""
    if isinstance(box, AbsolutePlaceholder):
        box = box._box
    if id(box) in FURNITURE.get():
        return
    if box.link_annotation is not None:
        _describe(box)
    passing = isinstance(box, boxes.PageBox) or (
        box.element is not None and box.element_tag in ("html", "body")
    )
    original = EXTENSION.original("_build_box_tree")
    for element in original(box, parent, pdf, page_number, nums, annotations, tags):
        if not passing and box.element is not None and not hasattr(element, "source"):
            element.source = (box.element, box.element_tag)
        yield element


def _describe(box: Any) -> None:
    label = box.element.get(LINK_LABEL) if box.element is not None else None
    destination = box.link_annotation.get("Dest")
    target = getattr(destination, "string", destination)
    if label:
        page = (TARGET_PAGES.get() or {}).get(target)
        text = label.replace("{page}", str(page) if page else "").strip()
        box.link_annotation["Contents"] = pydyf.String(text)


def add_tags(pdf: Any, document: Any, pdf_version: Any, page_streams: Any) -> None:
    """WeasyPrint's structure tree, then the pieces of one element joined and TOCs named."""
    pages: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=1):
        for name in page.anchors:  # an element cut by pages has its anchor on each: the first
            pages.setdefault(name, number)
    ids = frozenset().union(*(furniture(page._page_box) for page in document.pages))
    tokens = TARGET_PAGES.set(pages), FURNITURE.set(ids)
    try:
        EXTENSION.original("add_tags")(pdf, document, pdf_version, page_streams)
    finally:
        TARGET_PAGES.reset(tokens[0])
        FURNITURE.reset(tokens[1])
    root = _object(pdf, pdf.catalog["StructTreeRoot"])
    tree = Tree(pdf)
    for kid in list(root["K"]):
        tree.join_pieces(_object(pdf, kid))
    tree.repoint(_object(pdf, root["ParentTree"]))


class Tree:
    """The structure elements of a PDF being written, joined where one element was cut."""

    def __init__(self, pdf: Any) -> None:
        self.pdf = pdf
        self.replaced: dict[bytes, bytes] = {}

    def join_pieces(self, element: Any, parent: Any = None) -> None:
        """Join consecutive kids of `element` that are pieces of one source element, and kids
        that are pieces of `element` itself (its columns); recurse."""
        kept: list[Any] = []
        pending = list(element["K"])
        while pending:
            reference = pending.pop(0)
            kid = _object(self.pdf, reference) if isinstance(reference, bytes) else None
            previous = _object(self.pdf, kept[-1]) if kept and isinstance(kept[-1], bytes) else None
            if kid is not None and _same_source(element, kid):
                # a column of the element: its kids take its place
                pending[:0] = [self._adopt(element, kid, k) for k in kid["K"]]
                self.replaced[kid.reference] = element.reference
            elif kid is not None and previous is not None and _same_source(previous, kid):
                previous["K"].extend(self._adopt(previous, kid, k) for k in kid["K"])
                self.replaced[kid.reference] = previous.reference
            else:
                kept.append(reference)
        element["K"] = pydyf.Array(kept)
        for reference in kept:
            kid = _object(self.pdf, reference) if isinstance(reference, bytes) else None
            if kid is not None and kid.get("Type") == "/StructElem":
                _name_toc(kid, element)
                _scope_header(kid, element, parent)
                self.join_pieces(kid, element)

    def _adopt(self, parent: Any, piece: Any, kid: Any) -> Any:
        """A kid of `piece` as a kid of `parent`: its marked content referenced by page."""
        if isinstance(kid, int) and piece.get("Pg") != parent.get("Pg"):
            return pydyf.Dictionary({"Type": "/MCR", "Pg": piece["Pg"], "MCID": kid})
        if isinstance(kid, bytes):
            child = _object(self.pdf, kid)
            if child.get("Type") == "/StructElem":
                child["P"] = parent.reference
        return kid

    def repoint(self, parent_tree: Any) -> None:
        """Point the parent tree's entries of the joined pieces at the element they joined."""
        final = {old: self._final(old) for old in self.replaced}
        nums = parent_tree["Nums"]
        for index in range(1, len(nums), 2):
            entry = nums[index]
            if isinstance(entry, pydyf.Array):
                nums[index] = pydyf.Array(final.get(ref, ref) for ref in entry)
            elif entry in final:
                nums[index] = final[entry]

    def _final(self, reference: bytes) -> bytes:
        while reference in self.replaced:
            reference = self.replaced[reference]
        return reference


def _same_source(first: Any, later: Any) -> bool:
    source = getattr(first, "source", None)
    return (
        source is not None
        and source == getattr(later, "source", None)
        and (first["S"] == later["S"])
    )


def _name_toc(element: Any, parent: Any) -> None:
    """A list inside a `<nav>` is a TOC, its items TOCI (their bodies are plain groupings)."""
    source = getattr(element, "source", None)
    if source is None:
        return
    html, tag = source
    if element["S"] == "/L" and tag in ("ol", "ul") and _inside_nav(html, parent):
        element["S"] = "/TOC"
    elif element["S"] == "/LI" and parent["S"] == "/TOC":
        element["S"] = "/TOCI"
    elif element["S"] == "/LBody" and parent["S"] == "/TOCI":
        element["S"] = "/NonStruct"


def _scope_header(cell: Any, row: Any, group: Any) -> None:
    """A header cell heads its column in a table's head, its row elsewhere (ISO 32000-1
    §14.8.5.7, Table 349), so that a screen reader can tell what a data cell is under."""
    if cell["S"] != "/TH" or row["S"] != "/TR":
        return
    attributes = cell.get("A")
    if attributes is None:
        attributes = cell["A"] = pydyf.Dictionary({"O": "/Table"})
    in_head = group is not None and group["S"] == "/THead"
    attributes["Scope"] = "/Column" if in_head else "/Row"


def _inside_nav(html: Any, parent: Any) -> bool:
    source = getattr(parent, "source", None)
    return source is not None and source[1] == "nav"


def _object(pdf: Any, reference: Any) -> Any:
    """The object a reference (b'12 0 R') names, or the object itself."""
    if isinstance(reference, bytes):
        return pdf.objects[int(reference.split()[0])]
    return reference


EXTENSION = Extension(
    logger=__name__,
    without="a PDF/UA's running heads are untagged and its paragraphs cut at columns and pages",
    replacements=(
        (weasy_document, "draw_page", draw_page),
        (weasy_stream.Stream, "marked", marked),
        (tags, "_build_box_tree", build_box_tree),
        (weasy_pdf, "add_tags", add_tags),
    ),
    requires=lambda: hasattr(tags, "add_tags") and weasy_pdf.add_tags is tags.add_tags,
)
install, uninstall, supported = EXTENSION.install, EXTENSION.uninstall, EXTENSION.supported
