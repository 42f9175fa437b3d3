"""What a reader sees of a PDF, page by page, to compare two builds of the same issue."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader


def pdf_summary(path: Path) -> dict:
    """Page count, text of every page, outline, named destinations and links (with targets)."""
    reader = PdfReader(path)
    pages = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages)}

    def page_of(destination) -> int:
        return reader.get_destination_page_number(destination)

    def outline(items, level=0) -> list:
        flat = []
        for item in items:
            if isinstance(item, list):
                flat += outline(item, level + 1)
            else:
                flat.append((level, item.title, page_of(item)))
        return flat

    links = []
    for number, page in enumerate(reader.pages):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") != "/Link":
                continue
            rect = tuple(round(float(v), 1) for v in annotation["/Rect"])
            target = annotation.get("/Dest")
            if target is None and "/A" in annotation:
                action = annotation["/A"]
                target = action.get("/D") or action.get("/URI")
            links.append((number, rect, str(target)))
    named = {name: page_of(d) for name, d in reader.named_destinations.items()}
    assert all(p in pages.values() for p in named.values())
    return {
        "pages": len(reader.pages),
        "text": [page.extract_text() for page in reader.pages],
        "outline": outline(reader.outline),
        "named": named,
        "links": links,
    }
