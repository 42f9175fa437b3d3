"""The EPUB 3 edition: layout templates to XHTML, packaged by ebooklib, zipped reproducibly."""

from __future__ import annotations

import io
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import jinja2
from ebooklib import epub
from lxml import etree
from markupsafe import Markup, escape

from publish.epub import pages
from publish.epub.container import repack
from publish.epub.cover import cover_png
from publish.epub.figures import Picture, book_pictures, image_srcs
from publish.epub.fonts import FONT_MEDIA_TYPE, Face, embedded_faces
from publish.epub.metadata import package_metadata, rendition
from publish.errors import InputError
from publish.model import Article, Edition, Issue, PageStart
from publish.run.bodies import kept_bodies, store_path
from publish.run.moment import build_moment
from publish.source import templates as layout
from publish.source.fonts import font_roles
from publish.text.markup import Target, body_html
from publish.text.names import issue_names
from publish.text.toc import speaker_toc
from publish.text.typeset import headline_parts

WORDS = (
    "toc",
    "cover",
    "landmarks",
    "bodymatter",
    "page_list",
    "print_edition",
    "accessibility_summary",
)
"""Keys of the layout's words.yaml the e-book prints."""
CSS = "styles/epub.css"
COVER_PAGE = "cover.xhtml"
COVER_IMAGE = "images/cover.png"
NAV = "nav.xhtml"
XHTML = "application/xhtml+xml"
CHECKED_LAYOUT = "special-issue"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
HEADING = re.compile(r"<h([1-6])[\s>]")
HEADING_TAG = re.compile(r"(</?)h([1-6])(?=[\s>])")
UPRIGHT_OPENS = ('<span class="tcy">', '<span class="upright">')
MARKUP_BITS = re.compile(r"(<[^>]*>|&[#\w]+;)")
NUMBER = re.compile(r"[0-9]+(?:[.,:][0-9]+)*")
"""A run of digits, with the separators of a decimal, a thousands group or a time (336.58)."""


@dataclass(frozen=True)
class Document:
    """One XHTML content document: its manifest id, its path in the book and its bytes."""

    uid: str
    href: str
    """Path relative to the package document, e.g. text/01-yan-li-ran.xhtml."""
    xhtml: bytes
    properties: tuple[str, ...] = ()
    """Manifest properties, e.g. ("nav",)."""


@dataclass(frozen=True)
class NavEntry:
    """A line of the table of contents: speaker, role and headline, linking to the article."""

    name: str
    role: str
    headline: str
    href: str

    @property
    def label(self) -> str:
        """The entry as plain text, for the NCX."""
        return " — ".join(
            p for p in (" · ".join(p for p in (self.name, self.role) if p), self.headline) if p
        )


class _Verbatim(epub.EpubItem):
    """An ebooklib item written byte for byte (EpubHtml re-parses pages and drops their <head>)."""

    def __init__(self, document: Document) -> None:
        super().__init__(document.uid, document.href, XHTML, document.xhtml)
        self.properties = list(document.properties)


def write_epub(
    issue: Issue,
    edition: Edition,
    target: Path,
    cover: Path | bytes,
    page_starts: tuple[PageStart, ...] | None = None,
    kept: bool | None = None,
) -> int:
    """Write the EPUB 3 of `issue` (already in `edition`'s script) to `target`; count its XHTML.
    `cover`: a PDF whose page 1 is the cover (publish.pdf.cover), its image in the book;
    `page_starts`: where the print edition's pages begin, for the page list (None: no list);
    `kept`: the bodies' XHTML is kept across builds (publish.run.bodies), and taken from there
    if True (False: --force)."""
    if not issue.articles:
        raise InputError(
            f"{issue.config.source}: the issue has no articles; fix: add articles/*.md"
        )
    vertical = is_vertical(issue, edition)
    env = _environment(issue, vertical)
    words = layout_words(issue)
    hrefs = article_hrefs(issue.articles)
    entries = nav_entries(issue, hrefs)
    starts = page_starts or ()
    page_list = pages.page_targets(starts, hrefs)
    common = {"lang": edition.tag, "mode": "vertical" if vertical else "horizontal", "words": words}
    pictures = book_pictures(issue)
    bodies = _bodies(issue, edition, hrefs, pictures, kept)
    documents = [
        _cover_page(env, issue, common),
        _nav_page(env, entries, hrefs, page_list, common),
        *(
            _article_page(env, a, hrefs[a.slug], common, vertical, body, starts)
            for a, body in zip(issue.articles, bodies, strict=True)
        ),
    ]
    embed = issue.config.epub.embed_fonts
    faces = embedded_faces(edition, [d.xhtml for d in documents], CSS) if embed else []
    css = env.get_template("epub/epub.css").render(
        mode=common["mode"], script=edition.script, roles=font_roles(edition.script), faces=faces
    )
    image = cover_png(cover, kept)
    book = epub.EpubBook()
    package_metadata(
        book, issue, edition, words, paged=bool(page_list), conforms=checked_layout(issue)
    )
    rendition(book, vertical)
    _add_items(book, documents, css, faces, image)
    _add_pictures(book, pictures.values())
    book.toc = [epub.Link(e.href, e.label, f"toc-{n}") for n, e in enumerate(entries, 1)]
    book.guide = _guide(words, hrefs[issue.articles[0].slug])
    _write(book, target, issue, edition)
    return len(documents)


def checked_layout(issue: Issue) -> bool:
    """Whether the e-book comes from the shipped special-issue templates, those the
    accessibility checks were run on (an issue's own e-book templates were not)."""
    own = issue.root / "layouts" / issue.config.layout / "epub"
    return issue.config.layout == CHECKED_LAYOUT and not own.is_dir()


def is_vertical(issue: Issue, edition: Edition) -> bool:
    """Vertical writing applies to Traditional editions only; Simplified stay horizontal."""
    return issue.config.epub.writing_mode == "vertical" and edition.traditional


def layout_words(issue: Issue) -> dict[str, str]:
    """The words the e-book prints, or an error naming the missing words.yaml keys."""
    missing = [key for key in WORDS if not issue.words.get(key)]
    if missing:
        raise InputError(
            f"layout {issue.config.layout!r}: words.yaml lacks {', '.join(missing)}; "
            f"fix: add them to layouts/{issue.config.layout}/words.yaml (e.g. toc: 目录)"
        )
    return {key: issue.words[key] for key in WORDS}


def article_hrefs(articles: Iterable[Article]) -> dict[str, str]:
    """Article slug → its XHTML file: the slug where it is a safe file name, else its number."""
    hrefs: dict[str, str] = {}
    for number, article in enumerate(articles, 1):
        stem = re.sub(r"[^A-Za-z0-9_-]+", "-", article.slug).strip("-")
        href = f"text/{stem}.xhtml"
        hrefs[article.slug] = (
            href if stem and href not in hrefs.values() else f"text/{number:02d}.xhtml"
        )
    return hrefs


def nav_entries(issue: Issue, hrefs: dict[str, str]) -> list[NavEntry]:
    """The TOC by speaker; an issue without speakers lists its headlines (a TOC is never empty).
    An article's first speaker links to the article, each further one to their name in its
    speaker line: one target per entry, as the NCX requires."""
    entries = [
        NavEntry(
            e.speaker.name,
            e.speaker.role,
            e.article.title,
            hrefs[e.article.slug] + _speaker_fragment(e.article.speakers.index(e.speaker)),
        )
        for e in speaker_toc(issue)
    ]
    return entries or [NavEntry("", "", a.title, hrefs[a.slug]) for a in issue.articles]


def _speaker_fragment(index: int) -> str:
    return f"#{speaker_id(index)}" if index else ""


def speaker_id(index: int) -> str:
    """The id of the `index`-th (0-based) speaker's name in an article's speaker line."""
    return f"speaker-{index + 1}"


def speaker_line(article: Article) -> list[tuple[str, str]]:
    """The subtitle cut into (text, id) parts: each speaker's name is a part with its id (an
    empty part at the start where the line does not name them)."""
    parts: list[tuple[str, str]] = []
    rest = article.subtitle
    for index, speaker in enumerate(article.speakers):
        before, found, after = rest.partition(speaker.name) if speaker.name else ("", "", rest)
        if not found:
            parts.insert(0, ("", speaker_id(index)))
            continue
        parts += [(before, ""), (speaker.name, speaker_id(index))]
        rest = after
    return [*parts, (rest, "")]


def sub_heads_under_headline(body: Markup) -> Markup:
    """The body's headings moved up or down together so the highest is an h2: the article's
    headline is the page's h1, and a level skipped (h1 to h3) breaks the outline (axe's
    heading-order)."""
    levels = [int(level) for level in HEADING.findall(str(body))]
    shift = 2 - min(levels) if levels else 0
    if not shift:
        return body
    return Markup(
        HEADING_TAG.sub(lambda m: f"{m.group(1)}h{min(6, int(m.group(2)) + shift)}", str(body))
    )


def upright_digits(text: str) -> Markup:
    """`text` escaped, as Taiwan sets numbers in vertical text: a run of one or two digits
    upright in one square, a longer number (or one with a point) upright digit by digit."""
    # split() alternates text and markup: parts[n - 1] is the tag before text parts[n]
    parts = MARKUP_BITS.split(str(escape(text)))
    done = [n % 2 or (n and parts[n - 1] in UPRIGHT_OPENS) for n in range(len(parts))]
    return Markup("".join(p if d else _upright(p) for p, d in zip(parts, done, strict=True)))


def _upright(text: str) -> str:
    return NUMBER.sub(lambda m: f"{UPRIGHT_OPENS[len(m.group()) > 2]}{m.group()}</span>", text)


def _environment(issue: Issue, vertical: bool) -> jinja2.Environment:
    env = layout.environment(layout.layout_dirs(issue.root, issue.config.layout))
    env.filters["upright"] = upright_digits if vertical else escape
    return env


def _render(env: jinja2.Environment, name: str, href: str, **context: object) -> bytes:
    """A template rendered to XHTML, checked to be well-formed so no broken page is packed."""
    css_href = posixpath.relpath(CSS, posixpath.dirname(href) or ".")
    template = env.get_template(name)
    text = template.render(context, css_href=css_href).encode("utf-8")
    try:
        etree.fromstring(text)
    except etree.XMLSyntaxError as error:
        raise InputError(
            f"{template.filename}: gives {href} that is not well-formed XHTML ({error}); "
            "fix: close every element and escape & and < in the template"
        ) from None
    return text


def _cover_page(env: jinja2.Environment, issue: Issue, common: dict) -> Document:
    alt = " ".join(t for t in (issue.config.title, issue.config.subtitle) if t)
    xhtml = _render(env, "epub/cover.xhtml", COVER_PAGE, image_href=COVER_IMAGE, alt=alt, **common)
    return Document("cover", COVER_PAGE, xhtml)


def _nav_page(
    env: jinja2.Environment,
    entries: list[NavEntry],
    hrefs: dict[str, str],
    page_list: list[pages.PageTarget],
    common: dict,
) -> Document:
    first = next(iter(hrefs.values()))
    xhtml = _render(
        env,
        "epub/nav.xhtml",
        NAV,
        entries=entries,
        page_list=page_list,
        cover_href=COVER_PAGE,
        bodymatter_href=first,
        **common,
    )
    return Document("nav", NAV, xhtml, ("nav",))


def _bodies(issue: Issue, edition: Edition, hrefs: dict, pictures: dict, kept: bool | None):
    """Each article's body as e-book XHTML, kept across builds if `kept` is not None."""
    names = issue_names(issue)

    def target(article: Article) -> Target:
        srcs = image_srcs(article.images, pictures, hrefs[article.slug])
        return Target(notes="popup", images=srcs)

    def made(article: Article) -> Markup:
        return body_html(article.body, target(article), names)

    if kept is None:
        return [made(a) for a in issue.articles]
    store = store_path(issue.root, f"{edition.tag}.epub")
    return kept_bodies(issue.articles, names, target, made, store, kept)


def _article_page(
    env: jinja2.Environment,
    article: Article,
    href: str,
    common: dict,
    vertical: bool,
    body: Markup,
    starts: tuple[PageStart, ...],
) -> Document:
    marker = env.get_template("epub/pagebreak.xhtml").module.pagebreak
    body = pages.with_page_breaks(sub_heads_under_headline(body), starts, article.slug, marker)
    xhtml = _render(
        env,
        "epub/article.xhtml",
        href,
        article=article,
        headline_parts=headline_parts(article.title),
        speaker_line=speaker_line(article),
        head_pages=pages.head_pages(starts, article.slug),
        pagebreak=marker,
        body=upright_digits(body) if vertical else body,
        **common,
    )
    uid = "article-" + posixpath.splitext(posixpath.basename(href))[0]
    return Document(uid, href, xhtml)


def _add_items(
    book: epub.EpubBook, documents: list[Document], css: str, faces: list[Face], cover: bytes
) -> None:
    book.set_cover(COVER_IMAGE, cover, create_page=False)
    items = [_Verbatim(d) for d in documents]
    for item in items:
        book.add_item(item)
    book.add_item(epub.EpubItem("css", CSS, "text/css", css.encode("utf-8")))
    for face in faces:
        uid = "font-" + posixpath.splitext(posixpath.basename(face.href))[0]
        book.add_item(epub.EpubItem(uid, face.href, FONT_MEDIA_TYPE, face.data))
    book.add_item(epub.EpubNcx())
    book.spine = items


def _add_pictures(book: epub.EpubBook, pictures: Iterable[Picture]) -> None:
    """The figures' pictures, in the manifest only: content documents show them."""
    for picture in pictures:
        book.add_item(epub.EpubItem(picture.uid, picture.href, picture.media_type, picture.data))


def _guide(words: dict[str, str], bodymatter: str) -> list[dict[str, str]]:
    """The EPUB 2 guide, for readers that predate the nav document's landmarks."""
    return [
        {"type": "cover", "href": COVER_PAGE, "title": words["cover"]},
        {"type": "toc", "href": NAV, "title": words["toc"]},
        {"type": "text", "href": bodymatter, "title": words["bodymatter"]},
    ]


class _Writer(epub.EpubWriter):
    """ebooklib's writer, with the book's language on <package> (Ace's epub-lang), which
    ebooklib has no option for."""

    def __init__(self, out: io.BytesIO, book: epub.EpubBook, options: dict, lang: str) -> None:
        super().__init__(out, book, options)
        self.lang = lang

    def _write_opf_file(self, root: etree._Element) -> None:
        root.set(XML_LANG, self.lang)
        super()._write_opf_file(root)


def _write(book: epub.EpubBook, target: Path, issue: Issue, edition: Edition) -> None:
    """Let ebooklib write the package into memory, then zip it reproducibly to `target`."""
    moment = build_moment(issue)
    options = {
        "mtime": moment,
        "epub3_landmark": False,  # our nav.xhtml carries the landmarks
        "epub3_pages": False,
        "play_order": {"enabled": True, "start_from": 1},  # NCX navPoints need playOrder
        "raise_exceptions": True,
    }
    raw = io.BytesIO()
    writer = _Writer(raw, book, options, edition.tag)
    writer.process()
    writer.write()
    repack(raw.getvalue(), target, moment)
