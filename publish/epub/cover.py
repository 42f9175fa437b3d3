"""The EPUB cover image: page 1 of the e-book cover's PDF (publish.pdf.cover), rasterised."""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2

COVER_WIDTH_PX = 1600
"""Width of the cover image; its height follows the page's proportions (2400 px for the
special-issue layout's 1:1.5 e-book cover)."""
DESIGNED_SIZE = (1600, 2400)


def cover_png(pdf: Path | bytes) -> bytes:
    """Page 1 of a PDF (a file, read lazily, or its bytes) as PNG bytes, 1600 px wide."""
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
