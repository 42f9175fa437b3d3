"""The EPUB 3 edition: layout templates to XHTML, packaged by ebooklib, zipped reproducibly."""

from __future__ import annotations

import io
import posixpath
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import jinja2
from ebooklib import epub
from lxml import etree
from markupsafe import Markup, escape

from publish.epub.container import repack
from publish.epub.cover import cover_png
from publish.epub.figures import Picture, book_pictures, image_srcs
from publish.epub.fonts import subset_woff
from publish.errors import InputError
from publish.model import Article, Edition, Issue
from publish.run.moment import build_moment
from publish.source import templates as layout
from publish.source.fonts import font_roles, font_set
from publish.text.markup import Target, body_html
from publish.text.names import issue_names, people
from publish.text.toc import speaker_toc
from publish.text.typeset import headline_parts

BOOK_IDS = uuid.UUID("6f1c2a0e-4d53-5b8e-9a51-7075626c6973")
"""Namespace of book identifiers: uuid5(BOOK_IDS, "<slug>/<edition>") never changes for a book."""
WORDS = ("toc", "cover", "landmarks", "bodymatter", "accessibility_summary")
"""Keys of the layout's words.yaml the e-book prints."""
CSS = "styles/epub.css"
COVER_PAGE = "cover.xhtml"
COVER_IMAGE = "images/cover.png"
NAV = "nav.xhtml"
XHTML = "application/xhtml+xml"
TCY_OPEN = '<span class="tcy">'
MARKUP_BITS = re.compile(r"(<[^>]*>|&[#\w]+;)")
TWO_DIGITS = re.compile(r"(?<![0-9])(?<![0-9][.,])[0-9]{2}(?![0-9])(?![.,][0-9])")
"""Exactly two digits: not part of a longer number or a decimal such as 13.5."""
ACCESSIBILITY = (
    ("schema:accessMode", "textual"),
    ("schema:accessMode", "visual"),
    ("schema:accessModeSufficient", "textual"),
    ("schema:accessibilityFeature", "tableOfContents"),
    ("schema:accessibilityFeature", "readingOrder"),
    ("schema:accessibilityFeature", "structuralNavigation"),
    ("schema:accessibilityFeature", "alternativeText"),
    ("schema:accessibilityFeature", "displayTransformability"),
    ("schema:accessibilityHazard", "none"),
)
"""EPUB Accessibility 1.1 claims the book's structure supports (the cover is the only image)."""


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


@dataclass(frozen=True)
class Face:
    """An embedded font subset: the CSS family it serves and its file in the book."""

    role: str
    family: str
    href: str
    data: bytes

    @property
    def css_url(self) -> str:
        """The font file as the stylesheet refers to it."""
        return posixpath.relpath(self.href, posixpath.dirname(CSS))


class _Verbatim(epub.EpubItem):
    """An ebooklib item written byte for byte (EpubHtml re-parses pages and drops their <head>)."""

    def __init__(self, document: Document) -> None:
        super().__init__(document.uid, document.href, XHTML, document.xhtml)
        self.properties = list(document.properties)


def write_epub(issue: Issue, edition: Edition, target: Path, cover: Path | bytes) -> int:
    """Write the EPUB 3 of `issue` (already in `edition`'s script) to `target`; count its XHTML.
    `cover`: a PDF whose page 1 is the print cover (publish.pdf.cover), its image in the book."""
    if not issue.articles:
        raise InputError(
            f"{issue.config.source}: the issue has no articles; fix: add articles/*.md"
        )
    vertical = is_vertical(issue, edition)
    env = _environment(issue, vertical)
    words = layout_words(issue)
    hrefs = article_hrefs(issue.articles)
    entries = nav_entries(issue, hrefs)
    common = {"lang": edition.tag, "mode": "vertical" if vertical else "horizontal", "words": words}
    pictures = book_pictures(issue)
    names = issue_names(issue)
    documents = [
        _cover_page(env, issue, common),
        _nav_page(env, entries, hrefs, common),
        *(
            _article_page(env, a, hrefs[a.slug], common, vertical, (pictures, names))
            for a in issue.articles
        ),
    ]
    faces = embedded_faces(edition, documents) if issue.config.epub.embed_fonts else []
    css = env.get_template("epub/epub.css").render(
        mode=common["mode"], script=edition.script, roles=font_roles(edition.script), faces=faces
    )
    image = cover_png(cover)
    book = _book(issue, edition, words, vertical)
    _add_items(book, documents, css, faces, image)
    _add_pictures(book, pictures.values())
    book.toc = [epub.Link(e.href, e.label, f"toc-{n}") for n, e in enumerate(entries, 1)]
    book.guide = _guide(words, hrefs[issue.articles[0].slug])
    _write(book, target, issue)
    return len(documents)


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
    """The TOC by speaker; an issue without speakers lists its headlines (a TOC is never empty)."""
    entries = [
        NavEntry(e.speaker.name, e.speaker.role, e.article.title, hrefs[e.article.slug])
        for e in speaker_toc(issue)
    ]
    return entries or [NavEntry("", "", a.title, hrefs[a.slug]) for a in issue.articles]


def upright_digits(text: str) -> Markup:
    """`text` escaped, each run of exactly two digits in a span set upright in one square."""
    # split() alternates text and markup: parts[n - 1] is the tag before text parts[n]
    parts = MARKUP_BITS.split(str(escape(text)))
    done = [n % 2 or (n and parts[n - 1] == TCY_OPEN) for n in range(len(parts))]
    return Markup("".join(p if d else _tcy(p) for p, d in zip(parts, done, strict=True)))


def _tcy(text: str) -> str:
    return TWO_DIGITS.sub(lambda m: f"{TCY_OPEN}{m.group()}</span>", text)


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
    env: jinja2.Environment, entries: list[NavEntry], hrefs: dict[str, str], common: dict
) -> Document:
    first = next(iter(hrefs.values()))
    xhtml = _render(
        env,
        "epub/nav.xhtml",
        NAV,
        entries=entries,
        cover_href=COVER_PAGE,
        bodymatter_href=first,
        **common,
    )
    return Document("nav", NAV, xhtml, ("nav",))


def _article_page(
    env: jinja2.Environment,
    article: Article,
    href: str,
    common: dict,
    vertical: bool,
    context: tuple[dict[str, Picture], tuple[str, ...]],
) -> Document:
    pictures, names = context
    target = Target(notes="popup", images=image_srcs(article.images, pictures, href))
    body = body_html(article.body, target, names)
    xhtml = _render(
        env,
        "epub/article.xhtml",
        href,
        article=article,
        headline_parts=headline_parts(article.title),
        body=upright_digits(body) if vertical else body,
        **common,
    )
    uid = "article-" + posixpath.splitext(posixpath.basename(href))[0]
    return Document(uid, href, xhtml)


def embedded_faces(edition: Edition, documents: list[Document]) -> list[Face]:
    """Subsets of the body and heading fonts holding every character the documents show."""
    text = "".join(sorted({c for d in documents for c in _text(d.xhtml)}))
    fonts = font_set(edition.script)
    return [
        Face(
            role,
            f"{fonts[role].family} Embedded",
            f"fonts/{role}.woff",
            subset_woff(fonts[role], text),
        )
        for role in ("body", "heading")
    ]


def _text(xhtml: bytes) -> str:
    return "".join(etree.fromstring(xhtml).itertext())


def book_identifier(issue: Issue, edition: Edition) -> str:
    """A UUID URN derived from the slug and the edition: the same book keeps the same id."""
    return uuid.uuid5(BOOK_IDS, f"{issue.config.slug}/{edition.tag}").urn


def _book(issue: Issue, edition: Edition, words: dict[str, str], vertical: bool) -> epub.EpubBook:
    config = issue.config
    book = epub.EpubBook()
    book.set_identifier(book_identifier(issue, edition))
    book.set_title(config.title)
    book.set_language(edition.tag)
    if config.subtitle:
        book.add_metadata("DC", "description", config.subtitle)
    if config.publisher:
        book.add_metadata("DC", "publisher", config.publisher)
    if config.date:
        book.add_metadata("DC", "date", config.date.isoformat())
    _contributors(book, issue)
    for prop, value in ACCESSIBILITY:
        book.add_metadata(None, "meta", value, {"property": prop})
    book.add_metadata(
        None, "meta", words["accessibility_summary"], {"property": "schema:accessibilitySummary"}
    )
    if vertical:
        book.set_direction("rtl")  # spine page-progression-direction
        book.add_metadata(
            None, "meta", "", {"name": "primary-writing-mode", "content": "vertical-rl"}
        )
    return book


def _contributors(book: epub.EpubBook, issue: Issue) -> None:
    """Speakers as interviewees (marc:relators ive), reporters as interviewers (ivr)."""
    relators = {"speaker": "ive", "reporter": "ivr"}
    for number, (name, part) in enumerate(people(issue), 1):
        relator = relators[part]
        uid = f"contributor-{number}"
        book.add_metadata("DC", "contributor", name, {"id": uid})
        book.add_metadata(
            None,
            "meta",
            relator,
            {"refines": f"#{uid}", "property": "role", "scheme": "marc:relators"},
        )


def _add_items(
    book: epub.EpubBook, documents: list[Document], css: str, faces: list[Face], cover: bytes
) -> None:
    book.set_cover(COVER_IMAGE, cover, create_page=False)
    items = [_Verbatim(d) for d in documents]
    for item in items:
        book.add_item(item)
    book.add_item(epub.EpubItem("css", CSS, "text/css", css.encode("utf-8")))
    for face in faces:
        book.add_item(epub.EpubItem(f"font-{face.role}", face.href, "font/woff", face.data))
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


def _write(book: epub.EpubBook, target: Path, issue: Issue) -> None:
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
    writer = epub.EpubWriter(raw, book, options)
    writer.process()
    writer.write()
    repack(raw.getvalue(), target, moment)
