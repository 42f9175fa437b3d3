"""The package metadata of an e-book: Dublin Core, contributors, accessibility, rendition."""

from __future__ import annotations

import uuid

from ebooklib import epub

from publish.model import Edition, Issue
from publish.text.names import issue_author, people

BOOK_IDS = uuid.UUID("6f1c2a0e-4d53-5b8e-9a51-7075626c6973")
"""Namespace of book identifiers: uuid5(BOOK_IDS, "<slug>/<edition>") never changes for a book."""
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
CONFORMANCE = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"
CERTIFIER = "publish test suite: Ace by DAISY 1.4.6 and EPUBCheck, special-issue layout"
"""Who checked the claim: the automatic checks the shipped layout passes (see the README)."""


def book_identifier(issue: Issue, edition: Edition) -> str:
    """A UUID URN derived from the slug and the edition: the same book keeps the same id."""
    return uuid.uuid5(BOOK_IDS, f"{issue.config.slug}/{edition.tag}").urn


def print_source(issue: Issue, edition: Edition, words: dict[str, str]) -> str:
    """dc:source: the print edition the page list follows, e.g. 济阳三千会专访 印刷版 A4 PDF."""
    width, height = issue.config.pdf.page_size
    return f"{issue.config.title} {words['print_edition']} {edition.tag} ({width:g}×{height:g} mm)"


def package_metadata(
    book: epub.EpubBook,
    issue: Issue,
    edition: Edition,
    words: dict[str, str],
    *,
    paged: bool,
    conforms: bool,
) -> None:
    """Set the book's metadata. `paged`: it has the print edition's page list; `conforms`: it
    was made by the layout the accessibility checks were run on."""
    config = issue.config
    book.set_identifier(book_identifier(issue, edition))
    book.set_title(config.title)
    book.set_language(edition.tag)
    if config.subtitle:
        book.add_metadata("DC", "description", config.subtitle)
    if issue_author(issue):
        book.add_author(issue_author(issue))
    if config.publisher:
        book.add_metadata("DC", "publisher", config.publisher)
    if config.date:
        book.add_metadata("DC", "date", config.date.isoformat())
    _contributors(book, issue)
    _accessibility(book, words, paged=paged, conforms=conforms)
    if paged:
        source = print_source(issue, edition, words)
        book.add_metadata("DC", "source", source)
        book.add_metadata(None, "meta", source, {"property": "pageBreakSource"})


def _accessibility(
    book: epub.EpubBook, words: dict[str, str], *, paged: bool, conforms: bool
) -> None:
    claims = ACCESSIBILITY + (
        (("schema:accessibilityFeature", "printPageNumbers"),) if paged else ()
    )
    for prop, value in claims:
        book.add_metadata(None, "meta", value, {"property": prop})
    book.add_metadata(
        None, "meta", words["accessibility_summary"], {"property": "schema:accessibilitySummary"}
    )
    if conforms:
        book.add_metadata(None, "meta", CONFORMANCE, {"property": "dcterms:conformsTo"})
        book.add_metadata(None, "meta", CERTIFIER, {"property": "a11y:certifiedBy"})


def _contributors(book: epub.EpubBook, issue: Issue) -> None:
    """Speakers as interviewees (marc:relators ive), reporters as interviewers (ivr)."""
    relators = {"speaker": "ive", "reporter": "ivr"}
    for number, (name, part) in enumerate(people(issue), 1):
        uid = f"contributor-{number}"
        book.add_metadata("DC", "contributor", name, {"id": uid})
        book.add_metadata(
            None,
            "meta",
            relators[part],
            {"refines": f"#{uid}", "property": "role", "scheme": "marc:relators"},
        )


def rendition(book: epub.EpubBook, vertical: bool) -> None:
    """A vertical book turns its pages right to left and says so for older readers."""
    if vertical:
        book.set_direction("rtl")  # spine page-progression-direction
        book.add_metadata(
            None, "meta", "", {"name": "primary-writing-mode", "content": "vertical-rl"}
        )
