"""The pictures of an EPUB: each figure's image scaled for a reading screen, once per file."""

from __future__ import annotations

import hashlib
import io
import posixpath
from dataclasses import dataclass

from PIL import Image as PillowImage

from publish.model import Image, Issue

LONG_SIDE = 1600
"""Pixels on the long side a reader gets at most: sharp on a tablet, a fraction of print size."""
FOLDER = "images/figures"
MEDIA_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png"}


@dataclass(frozen=True)
class Picture:
    """One image file of the book: its manifest id, path in the book, media type and bytes."""

    uid: str
    href: str
    media_type: str
    data: bytes


def book_pictures(issue: Issue) -> dict[str, Picture]:
    """Every figure's picture, scaled, keyed by its file in the issue (one entry per file)."""
    pictures: dict[str, Picture] = {}
    for article in issue.articles:
        for image in article.images:
            key = str(image.path)
            if key not in pictures:
                pictures[key] = _picture(image)
    return pictures


def image_srcs(images: tuple[Image, ...], pictures: dict[str, Picture], page: str) -> list[str]:
    """The src of each figure of an article, relative to its content document `page`."""
    folder = posixpath.dirname(page) or "."
    return [posixpath.relpath(pictures[str(i.path)].href, folder) for i in images]


def _picture(image: Image) -> Picture:
    raw = image.path.read_bytes()
    digest = hashlib.sha1(raw).hexdigest()[:12]
    extension = "jpg" if image.format == "JPEG" else "png"
    return Picture(
        uid=f"figure-{digest}",
        href=f"{FOLDER}/{digest}.{extension}",
        media_type=MEDIA_TYPES[image.format],
        data=_scaled(raw, image),
    )


def _scaled(raw: bytes, image: Image) -> bytes:
    """The picture no longer than LONG_SIDE pixels; the file itself when it is small enough."""
    if max(image.width, image.height) <= LONG_SIDE:
        return raw
    with PillowImage.open(io.BytesIO(raw)) as picture:
        picture.thumbnail((LONG_SIDE, LONG_SIDE), PillowImage.Resampling.LANCZOS)
        out = io.BytesIO()
        if image.format == "JPEG":
            picture.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
        else:
            picture.save(out, "PNG", optimize=True)  # keeps the alpha channel
    return out.getvalue()
