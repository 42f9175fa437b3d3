"""The print PDF: the issue laid out by the special-issue templates and set by WeasyPrint."""

from __future__ import annotations

import functools
import gc
import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from markupsafe import Markup

from publish.pdf.weasy.startup import weasyprint  # first: it imports WeasyPrint the fast way

# isort: split
from publish.model import Article, Edition, Issue, PageStart
from publish.pdf.parts import cut_front, front_html, kept_whole, split_articles
from publish.pdf.weasy import pagemap, press
from publish.pdf.weasy.registry import install_layout
from publish.run.moment import build_moment, moment_text
from publish.source.fonts import FONTS_DIR, font_faces, font_roles, font_set
from publish.source.templates import environment, find_file, layout_dirs
from publish.text.markup import Target, body_html
from publish.text.names import issue_author, issue_names, longest_first
from publish.text.toc import speaker_toc
from publish.text.typeset import (
    headline_clauses,
    headline_parts,
    marks,
    render,
    typeset_html,
)

LOGGER = logging.getLogger(__name__)
PROGRESS = logging.getLogger("publish.progress")


@dataclass(frozen=True)
class PrintArticle:
    """An article as the print templates show it: typeset body, bookmark and running-head text."""

    slug: str
    title: str
    subtitle: str
    reporters: tuple[str, ...]
    speaker_names: str
    bookmark: str
    body: Markup


def print_article(
    article: Article, names: tuple[str, ...], columns: int = 2, body: Markup | None = None
) -> PrintArticle:
    """The template view of one article (`body`: its body typeset already)."""
    who = "、".join(s.name for s in article.speakers)
    return PrintArticle(
        slug=article.slug,
        title=article.title,
        subtitle=article.subtitle,
        reporters=article.reporters,
        speaker_names=who,
        bookmark=f"{article.title}（{who}）" if who else article.title,
        body=typeset_body(article, names, columns) if body is None else body,
    )


def typeset_body(article: Article, names: tuple[str, ...], columns: int = 2) -> Markup:
    """An article's body as printed: its HTML, typeset."""
    return typeset_html(body_html(article.body, _print_target(article, columns), names), names)


def _print_target(article: Article, columns: int) -> Target:
    """Figures at full resolution from the issue folder; notes at the foot of the page."""
    pictures = tuple(i.path.as_uri() for i in article.images)
    return Target(notes="page", images=pictures, columns=columns > 1)


def headline_html(title: str, whole: bool = False) -> Markup:
    """A headline whose parts each stay whole, so that it breaks at its spaces (rule 5); within
    a part each clause (headline_clauses) is a span of its own, which the layout may keep whole,
    so that a headline too long for a line breaks after a mark (：？、…), not inside a word.
    `whole`: the layout sets each part and clause unbroken (the TOC's `white-space: nowrap`),
    so no run inside them needs a span of its own to stay whole (fewer boxes, the same lines)."""
    parts = []
    for part in headline_parts(title):
        found, clauses = marks(part), headline_clauses(part)
        if whole:
            found = replace(found, nobreak=())
        pieces = [render(part, found, start, end) for start, end in clauses]
        if len(pieces) == 1:  # as before clauses: the same HTML, the same pages
            parts.append(f'<span class="part">{pieces[0]}</span>')
            continue
        inner = "<wbr>".join(f'<span class="clause">{piece}</span>' for piece in pieces)
        parts.append(f'<span class="part clauses">{inner}</span>')
    return Markup(" ".join(parts))


def render_print_html(
    issue: Issue, edition: Edition, kept: bool | None = None, jobs: int = 1
) -> str:
    """The whole print HTML of an issue in one edition (already converted to its script).
    `kept`: the typeset bodies are kept across builds (publish.run.bodies), and taken from
    there if True (False: --force); `jobs`: forked processes that may typeset them."""
    dirs = layout_dirs(issue.root, issue.config.layout)
    env = environment(dirs)
    env.globals["headline"] = headline_html
    env.globals["toc_headline"] = functools.partial(headline_html, whole=True)
    names = longest_first(issue)
    bodies: list[Markup | None] = [None] * len(issue.articles)
    if kept is not None:
        from publish.run.bodies import kept_bodies, store_path

        columns = issue.config.pdf.columns
        store = store_path(issue.root, edition.tag)
        target = functools.partial(_print_target, columns=columns)
        typeset = functools.partial(typeset_body, names=names, columns=columns)
        bodies = [*kept_bodies(issue.articles, names, target, typeset, store, kept, jobs)]
    options = issue.config.pdf
    toc = speaker_toc(issue)
    page_css = env.get_template("page.css.j2").render(
        options=options,
        fonts=font_roles(edition.script),
        font_faces=font_faces(edition.script),
        cmyk_profile=cmyk_profile(issue),
        mark_room=press.MARK_ROOM_MM,
    )
    return env.get_template("print.html.j2").render(
        issue=issue,
        edition=edition,
        options=options,
        articles=[
            print_article(a, names, issue.config.pdf.columns, b)
            for a, b in zip(issue.articles, bodies, strict=True)
        ],
        toc=toc,
        cover_entries=[e for e in toc if e.speaker is e.article.speakers[0]],
        title_parts=headline_parts(issue.config.title),
        date_text=_date_text(issue),
        subject=_subject(issue),
        moment=moment_text(build_moment(issue)),
        author=issue_author(issue),
        page_css=Markup(page_css),
        print_css=Markup(find_file(dirs, "print.css").read_text(encoding="utf-8")),
    )


def _date_text(issue: Issue) -> str:
    date = issue.config.date
    return f"{date.year}年{date.month}月{date.day}日" if date else ""


def _subject(issue: Issue) -> str:
    who = "、".join(issue_names(issue, reporters=False))
    return f"{issue.config.subtitle or issue.config.title}：{who}"


CMYK_PROFILES = {
    # ISO 12647-2 offset on coated paper; `make setup` builds it with ArgyllCMS from the
    # FOGRA39L characterization data in Debian's icc-profiles-free (zlib licence)
    "fogra39": Path(sys.prefix) / "share" / "publish" / "FOGRA39L.icc",
    "ghostscript": Path("/usr/share/color/icc/ghostscript/default_cmyk.icc"),  # libgs-common
}
"""CMYK output profiles for PDF/X-4 by the name `pdf.press_profile` gives them."""


def cmyk_profile(issue: Issue) -> Path | None:
    """The CMYK profile for a PDF/X-4 output intent; another, or None, with a warning, when
    the one asked for is missing."""
    if issue.config.pdf.standard != "pdf/x-4":
        return None
    asked = issue.config.pdf.press_profile
    if CMYK_PROFILES[asked].is_file():
        return CMYK_PROFILES[asked]
    found = next((p for p in CMYK_PROFILES.values() if p.is_file()), None)
    LOGGER.warning(
        "PDF/X-4: the %s press profile %s is missing, %s; fix: make setup",
        asked,
        CMYK_PROFILES[asked],
        f"{found.name} is the output intent instead"
        if found
        else "so the PDF is written as a plain PDF, not claiming PDF/X-4",
    )
    return found


def allowed_roots(issue: Issue) -> tuple[Path, ...]:
    """What the PDF may read: the issue, its layout folders, fonts/ and the ICC profile."""
    dirs = layout_dirs(issue.root, issue.config.layout)
    profile = cmyk_profile(issue)
    extra = (profile,) if profile else ()
    return tuple(p.resolve() for p in (issue.root, *dirs, FONTS_DIR, *extra))


class IssueFetcher(weasyprint.urls.URLFetcher):
    """A URL fetcher serving only local files under the allowed roots; all else is refused."""

    def __init__(self, roots: tuple[Path, ...]) -> None:
        super().__init__(allowed_protocols=("file", "data"))
        self.roots = roots

    def fetch(self, url: str, headers: Any = None) -> Any:
        if url.lower().startswith("data:"):  # inline data reads nothing from the machine
            return super().fetch(url, headers)
        path = _local_path(url)
        if path is None or not any(path == r or path.is_relative_to(r) for r in self.roots):
            # raised, not returned: WeasyPrint logs it as a warning that --strict counts
            raise ValueError(f"refused {url}: only files of the issue, layout and fonts/ are read")
        return super().fetch(path.as_uri(), headers)


def _local_path(url: str) -> Path | None:
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    return Path(unquote(parts.path)).resolve()


FULL_COLLECTION_EVERY = 1000
"""Full garbage collections wait for this many middle-generation ones (Python's default: 10)."""


def prepare_layout() -> None:
    """Ready this process to lay out pages: our WeasyPrint 70 extensions (Chinese justification,
    cheaper layout) on, and full garbage collections rare.

    A layout builds hundreds of thousands of long-lived boxes, and with Python's default
    thresholds each quarter of growth sets off a full collection that walks them all: about a
    tenth of the layout time. The few cycles they hold are collected after each render.
    """
    install_layout()
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_COLLECTION_EVERY)


def render_document(issue: Issue, edition: Edition) -> weasyprint.Document:
    """Lay out the print HTML into pages (separate from writing, so it can run in chunks)."""
    font_set(edition.script)  # a missing font stops here, with the apt-get line
    prepare_layout()
    html = weasyprint.HTML(
        string=render_print_html(issue, edition),
        base_url=issue.root.resolve().as_uri() + "/",
        url_fetcher=IssueFetcher(allowed_roots(issue)),
    )
    return html.render()


def render_cover_document(issue: Issue, edition: Edition) -> weasyprint.Document:
    """Only the cover laid out: neither the TOC nor the articles' pages are ever set."""
    font_set(edition.script)
    prepare_layout()
    cover = cut_front(split_articles(render_print_html(issue, edition)))[0]
    html = weasyprint.HTML(
        string=front_html(cover, {}),
        base_url=issue.root.resolve().as_uri() + "/",
        url_fetcher=IssueFetcher(allowed_roots(issue)),
    )
    return html.render()


def pdf_options(issue: Issue) -> dict[str, Any]:
    """WeasyPrint write options for the PDF standard publish.yaml asks for."""
    standard = issue.config.pdf.standard
    options: dict[str, Any] = {"pdf_identifier": issue.config.slug.encode()}
    if standard == "pdf/x-4" and not any(p.is_file() for p in CMYK_PROFILES.values()):
        return options  # no output intent, no PDF/X: never a claim the file does not meet
    if standard:
        options["pdf_variant"] = standard
    return options


def write_document(document: weasyprint.Document, issue: Issue, target: Path) -> int:
    """Write laid-out pages to `target`; return the page count."""
    document.write_pdf(target, **pdf_options(issue))
    return len(document.pages)


def write_pdf(
    issue: Issue,
    edition: Edition,
    target: Path,
    pages_ready: Callable[[tuple[PageStart, ...]], Any] | None = None,
) -> int:
    """Write the print PDF of an edition to `target` in one render; return its page count.
    `pages_ready` is given where each page begins in the articles (the e-book's page list)."""
    if kept_whole(issue):
        PROGRESS.info(
            "%s: PDF/UA-1 is laid out in one piece on one core, not in chunks on every core, "
            "so that the whole book is tagged: expect up to twice the time of an untagged build",
            edition.tag,
        )
    document = render_document(issue, edition)
    if pages_ready is not None:
        pages_ready(pagemap.page_starts(document))
    return write_document(document, issue, target)
