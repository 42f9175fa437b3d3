"""The copy desk on figures: a picture with no words for the blind, or too coarse to print."""

from __future__ import annotations

from collections.abc import Iterator

from publish.model import Article, Finding, Image, PdfOptions, Source
from publish.text.blocks import Block, text_blocks
from publish.text.markup import figures, inline_images

MIN_PPI = 200
"""Effective resolution below which a photo prints visibly soft (300 is the press ideal)."""
BOX_SHARE = 0.4
"""Share of the column a figure inside a box (a 人物简介 portrait) is printed at."""
MM_PER_INCH = 25.4


def check_figures(article: Article, options: PdfOptions) -> Iterator[Finding]:
    """A finding for each figure without alt text or caption, and each under MIN_PPI."""
    for line, src in inline_images(article.body):
        yield Finding(
            Source(article.source.path, article.body_line + line),
            f"image {src!r} is inside a sentence, so only its alt text is printed; fix: give "
            "it a paragraph of its own to make it a figure",
        )
    boxed = {b.line for b in text_blocks(article.body) if _boxed_caption(b)}
    for figure, image in zip(figures(article.body), article.images, strict=False):
        if not figure.label:
            yield Finding(
                image.source,
                f"figure {figure.src!r} has neither alt text nor caption; fix: write what it "
                'shows, ![王小明在接受采访](…) or ![](… "caption")',
            )
        width = printed_width(options, figure.wide, figure.line in boxed)
        ppi = effective_ppi(image, width)
        if ppi < MIN_PPI:
            yield Finding(
                image.source,
                f"figure {figure.src!r} prints at {ppi:.0f} ppi ({image.width} pixels across "
                f"{width:.0f} mm); fix: use a picture of at least "
                f"{width / MM_PER_INCH * MIN_PPI:.0f} pixels across",
            )


def _boxed_caption(block: Block) -> bool:
    return block.kind == "caption" and bool(block.box)


def printed_width(options: PdfOptions, wide: bool, boxed: bool) -> float:
    """Millimetres a figure is printed across: a column, the whole text width, or a box share."""
    text_width = options.page_size[0] - options.margins[1] - options.margins[3]
    column = (text_width - options.column_gap * (options.columns - 1)) / options.columns
    width = text_width if wide else column
    return width * BOX_SHARE if boxed else width


def effective_ppi(image: Image, width_mm: float) -> float:
    """Pixels per inch of a picture printed `width_mm` across."""
    return image.width / (width_mm / MM_PER_INCH)
