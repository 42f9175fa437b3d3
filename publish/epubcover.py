"""The EPUB cover image: the print edition's cover page, laid out by WeasyPrint and rasterised."""

from __future__ import annotations

import io

import pypdfium2

from publish.model import Edition, Issue, replace

COVER_WIDTH_PX = 1200
"""Width of the cover image; its height follows the print trim's proportions."""


def cover_png(issue: Issue, edition: Edition) -> bytes:
    """Page 1 of the print layout (the cover), without bleed or marks, as PNG bytes."""
    from publish.pdf import render_cover_document  # WeasyPrint loads only when used

    document = render_cover_document(cover_only(issue), edition)
    pdf = document.copy(document.pages[:1]).write_pdf()
    return _rasterise(pdf)


def cover_only(issue: Issue) -> Issue:
    """The issue with empty bodies and a plain trim page: the cover stays, layout takes a second."""
    pdf = replace(issue.config.pdf, bleed=0.0, marks=(), standard=None)
    articles = tuple(replace(a, body="") for a in issue.articles)
    return replace(issue, config=replace(issue.config, pdf=pdf), articles=articles)


def _rasterise(pdf: bytes) -> bytes:
    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0]
        image = page.render(scale=COVER_WIDTH_PX / page.get_width()).to_pil().convert("RGB")
    finally:
        document.close()
    out = io.BytesIO()
    # no text chunks, no timestamps: the same page gives the same bytes
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
