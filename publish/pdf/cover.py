"""The print cover as the EPUB takes it: page 1 of the print PDF, or the cover laid out alone."""

from __future__ import annotations

from pathlib import Path

from publish.model import Edition, Issue, replace


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


def cover_pdf(issue: Issue, edition: Edition, printed: Path | bytes | None = None) -> Path | bytes:
    """A PDF whose page 1 is the issue's cover on its trim: `printed` (the print PDF of this
    issue and edition, a file or its bytes) where it is one, else the cover laid out alone."""
    there = isinstance(printed, bytes) or (printed is not None and printed.is_file())
    if printed is not None and there and plain_trim(issue):
        return printed  # laid out already: no second layout
    from publish.pdf.render import render_cover_document  # WeasyPrint loads only when used

    document = render_cover_document(cover_only(issue), edition)
    return document.copy(document.pages[:1]).write_pdf()
