"""Article bodies: Markdown to (X)HTML. Raw HTML in a body is shown as text, never as markup."""

from __future__ import annotations

from functools import cache

from markdown_it import MarkdownIt
from markupsafe import Markup


@cache
def _parser() -> MarkdownIt:
    # commonmark without raw HTML; links kept but only as text targets we control (see _safe_link)
    md = MarkdownIt("commonmark", {"html": False, "xhtmlOut": True, "linkify": False})
    md.disable(["image"])
    md.validateLink = _safe_link
    return md


def _safe_link(url: str) -> bool:
    """Only web and mail links survive; file:, data:, javascript: and relative paths do not."""
    return url.lower().startswith(("http://", "https://", "mailto:"))


def body_html(markdown: str) -> Markup:
    """The body's paragraphs as HTML that is also well-formed XHTML."""
    return Markup(_parser().render(markdown))
