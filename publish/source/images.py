"""The pictures of an article's figures: found inside the issue folder, opened and measured."""

from __future__ import annotations

import warnings
from pathlib import Path, PurePosixPath

from PIL import Image as PillowImage

from publish.model import Finding, Image, Source
from publish.text.markup import figures

MAX_PIXELS = 60_000_000
"""Largest picture accepted (60 megapixels, a 9000 × 6700 photo): larger is a decompression bomb
or a scan no print page needs."""
FORMATS = ("JPEG", "PNG")


class ImageProblem(Exception):
    """A figure's picture cannot be used; the message says why and the fix."""


def article_images(
    path: Path, body: str, body_line: int, root: Path
) -> tuple[tuple[Image, ...], list[Finding]]:
    """The picture of every figure of a body, and a finding for each one that is unusable."""
    images: list[Image] = []
    findings: list[Finding] = []
    for figure in figures(body):
        at = Source(path, body_line + figure.line)
        try:
            images.append(open_image(figure.src, path.parent, root, at))
        except ImageProblem as problem:
            findings.append(Finding(at, str(problem)))
    return tuple(images), findings


def resolve(src: str, folder: Path, root: Path) -> Path:
    """The file `src` names, relative to the article's folder or else to the issue folder."""
    written = PurePosixPath(src)
    if not src.strip():
        raise ImageProblem(
            "an image has no file name (`![caption]()`); fix: write the picture's path between "
            "the parentheses, e.g. ![王小明](images/photo.jpg), or remove the image"
        )
    if "://" in src or src.lower().startswith(("data:", "mailto:")) or ":" in written.parts[0]:
        raise ImageProblem(
            f"image {src!r} is a URL; fix: save the picture into the issue's images/ folder "
            "and write its path, e.g. images/photo.jpg"
        )
    if written.is_absolute() or ".." in written.parts or "\\" in src:
        raise ImageProblem(
            f"image {src!r} points outside the issue folder; fix: copy it into the issue's "
            "images/ folder and write a relative path without '..', e.g. images/photo.jpg"
        )
    inside = root.resolve()
    for base in (folder, root):
        candidate = (base / written).resolve()
        if not candidate.is_relative_to(inside):
            raise ImageProblem(
                f"image {src!r} is a link to a file outside the issue folder; fix: copy the "
                "picture itself into the issue's images/ folder"
            )
        if candidate.is_file():
            return candidate
    raise ImageProblem(
        f"image {src!r} not found (looked in {folder} and {root}); fix: put the file there "
        "or correct the path"
    )


def open_image(src: str, folder: Path, root: Path, at: Source) -> Image:
    """The picture `src` names, opened and measured; ImageProblem when it cannot be printed."""
    path = resolve(src, folder, root)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PillowImage.DecompressionBombWarning)
            with PillowImage.open(path) as picture:
                width, height, kind = picture.width, picture.height, picture.format
                if width * height <= MAX_PIXELS:
                    picture.verify()  # a truncated or corrupt file fails here, not in the build
    except (PillowImage.DecompressionBombError, PillowImage.DecompressionBombWarning):
        width, height, kind = 0, 0, "bomb"
    except (OSError, SyntaxError, ValueError) as error:
        raise ImageProblem(
            f"image {src!r} is not a readable JPEG or PNG ({error}); fix: export it again "
            "as JPEG or PNG"
        ) from None
    if kind == "bomb" or width * height > MAX_PIXELS:
        raise ImageProblem(
            f"image {src!r} has more than {MAX_PIXELS // 1_000_000} million pixels; fix: "
            "scale it down (3000 pixels across is plenty for a full page)"
        )
    if kind not in FORMATS:
        raise ImageProblem(
            f"image {src!r} is {kind}, not JPEG or PNG; fix: export it as JPEG or PNG"
        )
    return Image(path=path, width=width, height=height, format=kind, source=at)
