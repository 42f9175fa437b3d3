"""The EPUB cover image: the print-size cover page typeset by WeasyPrint, rasterised to PNG."""

from __future__ import annotations

import io

import jinja2
import pypdfium2
import weasyprint

COVER_WIDTH_PX = 1200
"""Width of the cover image; its height follows the print trim's proportions."""


def cover_png(
    env: jinja2.Environment, context: dict[str, object], trim: tuple[float, float]
) -> bytes:
    """The `epub/cover-print.html` template on a page of `trim` millimetres, as PNG bytes."""
    width, height = trim
    html = env.get_template("epub/cover-print.html").render(context, width=width, height=height)
    pdf = weasyprint.HTML(string=html).write_pdf()
    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0]
        scale = COVER_WIDTH_PX / page.get_width()
        image = page.render(scale=scale).to_pil().convert("RGB")
    finally:
        document.close()
    out = io.BytesIO()
    # no text chunks, no timestamps: the same page gives the same bytes
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
