"""The EPUB cover image: page 1 of the e-book cover's PDF (publish.pdf.cover), rasterised, and
kept in the layout cache beside that PDF so that a rebuild with the same cover encodes no PNG."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import pypdfium2

COVER_WIDTH_PX = 1600
"""Width of the cover image; its height follows the page's proportions (2400 px for the
special-issue layout's 1:1.5 e-book cover)."""
DESIGNED_SIZE = (1600, 2400)


def cover_png(pdf: Path | bytes, kept: bool | None = None) -> bytes:
    """Page 1 of a PDF (a file, read lazily, or its bytes) as PNG bytes, 1600 px wide.

    `kept` (as write_epub's): the image of a PDF given as bytes is kept in the layout cache and
    taken from there when True (False: --force, made again and kept; None: not kept)."""
    if kept is None or not isinstance(pdf, bytes):
        return rasterise(pdf)
    from publish.run.cache import program_digest
    from publish.run.layoutcache import LayoutCache, cache_folder, digest

    cache = LayoutCache(cache_folder(), read=kept)
    key = digest("cover-png", program_digest(), str(COVER_WIDTH_PX), pdf)
    with tempfile.TemporaryDirectory(prefix="publish-cover-") as folder:
        image = Path(folder) / "cover.png"
        if cache.take(key, image) is None:
            image.write_bytes(rasterise(pdf))
            cache.put(key, image, {})
        return image.read_bytes()


def rasterise(pdf: Path | bytes) -> bytes:
    """Page 1 of a PDF as PNG bytes, 1600 px wide."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0]
        image = page.render(scale=COVER_WIDTH_PX / page.get_width()).to_pil().convert("RGB")
    finally:
        document.close()
    out = io.BytesIO()
    # no text chunks, no timestamps: the same page gives the same bytes. zlib's default level,
    # not optimize=True: that tries every filter and level, 0.25 s a cover for 2 % fewer bytes
    image.save(out, format="PNG")
    return out.getvalue()
