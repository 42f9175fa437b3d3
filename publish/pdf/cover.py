"""Covers as PDFs for the EPUB: the designed e-book cover, or the print cover (page 1 of the
print PDF, or the cover laid out alone)."""

from __future__ import annotations

import tempfile
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


MAX_COVER_NAMES = 12
"""Speakers named on the e-book cover; a long issue's cover keeps its title large instead."""


def ebook_cover_pdf(issue: Issue, edition: Edition, reuse_layout: bool = True) -> bytes:
    """The e-book cover (the layout's epub/cover-image.html.j2: the masthead filling a 1:1.5
    page, 1600 × 2400 CSS px) laid out as a one-page PDF; taken from the layout cache when it
    holds the same cover (`reuse_layout` False: --force), else kept there for the next build."""
    from publish.pdf import reuse
    from publish.run.layoutcache import LayoutCache, cache_folder

    html, base_url = ebook_cover_html(issue, edition), issue.root.resolve().as_uri() + "/"
    context = reuse.context_key(issue.root.resolve(), base_url, {"ebook_cover": True}, None)
    key = reuse.job_key(context, html, False, False)
    cache = LayoutCache(cache_folder(), read=reuse_layout)
    with tempfile.TemporaryDirectory(prefix="publish-cover-") as folder:
        kept = Path(folder) / "cover.pdf"
        if cache.take(key, kept) is None:
            from publish.pdf.render import IssueFetcher, allowed_roots, weasyprint
            from publish.pdf.weasy import arrays, fontsubset

            arrays.install()  # the same PDF, subset without a C parse per glyph count
            fontsubset.install()  # and in one pass where a second would trim little
            fetcher = IssueFetcher(allowed_roots(issue))
            weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf(kept)
            cache.put(key, kept, {})
        return kept.read_bytes()


def ebook_cover_html(issue: Issue, edition: Edition) -> str:
    """The e-book cover's HTML, from the layout's epub/cover-image.html.j2."""
    from publish.source import templates
    from publish.source.fonts import font_roles, font_set
    from publish.text.toc import speaker_toc
    from publish.text.typeset import headline_parts

    font_set(edition.script)  # a missing font stops here, with the apt-get line
    env = templates.environment(templates.layout_dirs(issue.root, issue.config.layout))
    config, date = issue.config, issue.config.date
    names = [e.speaker.name for e in speaker_toc(issue) if e.speaker is e.article.speakers[0]]
    return env.get_template("epub/cover-image.html.j2").render(
        lang=edition.tag,
        fonts=font_roles(edition.script),
        special_issue=issue.words.get("special_issue", ""),
        date_text=f"{date.year}年{date.month}月{date.day}日" if date else "",
        title_parts=headline_parts(config.title),
        subtitle=config.subtitle,
        names=names if len(names) <= MAX_COVER_NAMES else [],
        publisher=config.publisher,
    )
