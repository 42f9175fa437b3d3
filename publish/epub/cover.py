"""EPUB cover images: the designed e-book cover, or the print edition's cover page rasterised."""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2

from publish.model import Edition, Issue, replace

COVER_WIDTH_PX = 1200
"""Width of the cover image; its height follows the print trim's proportions."""


_PRINTED: dict[str, tuple[Issue, Path | bytes]] = {}
"""Per edition tag, the issue whose print PDF this process wrote last, and where (or what)."""


def remember_print(issue: Issue, edition: Edition, pdf: Path | bytes) -> None:
    """Note that `pdf` (a file, or its bytes) starts with this issue's print layout: its EPUB
    cover is then page 1 of it."""
    _PRINTED[edition.tag] = (issue, pdf)


def cover_png(issue: Issue, edition: Edition) -> bytes:
    """Page 1 of the print layout (the cover), without bleed or marks, as PNG bytes."""
    printed, pdf = _PRINTED.get(edition.tag, (None, None))
    there = isinstance(pdf, bytes) or (pdf is not None and pdf.is_file())
    if there and printed is issue and plain_trim(issue):
        return _rasterise(pdf)  # laid out already: no second layout
    from publish.pdf.render import render_cover_document  # WeasyPrint loads only when used

    document = render_cover_document(cover_only(issue), edition)
    return _rasterise(document.copy(document.pages[:1]).write_pdf())


def plain_trim(issue: Issue) -> bool:
    """Whether the print PDF's page 1 is the cover as `cover_only` lays it out (no bleed, marks,
    or output intent that could change its pixels)."""
    pdf = issue.config.pdf
    return pdf == replace(pdf, bleed=0.0, marks=(), standard=None)


def cover_only(issue: Issue) -> Issue:
    """The issue with empty bodies and a plain trim page: the cover stays, layout takes a second."""
    pdf = replace(issue.config.pdf, bleed=0.0, marks=(), standard=None)
    articles = tuple(replace(a, body="") for a in issue.articles)
    return replace(issue, config=replace(issue.config, pdf=pdf), articles=articles)


def _rasterise(pdf: bytes | Path, width: int = COVER_WIDTH_PX) -> bytes:
    """Page 1 of a PDF (bytes, or a file read lazily) as PNG bytes `width` pixels wide."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0]
        image = page.render(scale=width / page.get_width()).to_pil().convert("RGB")
    finally:
        document.close()
    out = io.BytesIO()
    # no text chunks, no timestamps: the same page gives the same bytes
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


DESIGNED_SIZE = (1600, 2400)
"""The e-book cover in pixels: 1:1.5, the proportion stores and reading systems show."""
MAX_COVER_NAMES = 12
"""Speakers named on the cover; a long issue's cover keeps its title large instead."""


def designed_cover_png(issue: Issue, edition: Edition) -> bytes:
    """The e-book cover (the layout's epub/cover-image.html.j2, masthead filling a 1:1.5
    page), laid out by WeasyPrint and rasterised to 1600 × 2400 px PNG bytes."""
    from publish.pdf.render import IssueFetcher, allowed_roots, weasyprint
    from publish.source import templates
    from publish.source.fonts import font_roles, font_set
    from publish.text.toc import speaker_toc
    from publish.text.typeset import headline_parts

    font_set(edition.script)  # a missing font stops here, with the apt-get line
    env = templates.environment(templates.layout_dirs(issue.root, issue.config.layout))
    config = issue.config
    names = [e.speaker.name for e in speaker_toc(issue) if e.speaker is e.article.speakers[0]]
    date = config.date
    html = env.get_template("epub/cover-image.html.j2").render(
        lang=edition.tag,
        fonts=font_roles(edition.script),
        special_issue=issue.words.get("special_issue", ""),
        date_text=f"{date.year}年{date.month}月{date.day}日" if date else "",
        title_parts=headline_parts(config.title),
        subtitle=config.subtitle,
        names=names if len(names) <= MAX_COVER_NAMES else [],
        publisher=config.publisher,
    )
    document = weasyprint.HTML(
        string=html,
        base_url=issue.root.resolve().as_uri() + "/",
        url_fetcher=IssueFetcher(allowed_roots(issue)),
    ).render()
    return _rasterise(document.write_pdf(), DESIGNED_SIZE[0])
