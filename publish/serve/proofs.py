"""Proofs for the preview: each edition's PDF as page images, with the copy-desk findings of
the articles on each page."""

from __future__ import annotations

import functools
import hashlib
import io
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pypdfium2

from publish.errors import PublishError
from publish.model import Finding, Issue

PAGE_WIDTH_PX = 560
"""Width of a page image: two pages and their findings fit a laptop screen."""


@dataclass(frozen=True)
class Sheet:
    """One printed page as the preview lists it."""

    number: int
    """1-based page number in the PDF."""
    articles: tuple[str, ...]
    """Slugs of the articles printed on the page."""
    findings: tuple[Finding, ...]
    """Findings of the articles that start on this page (each shown once, at its article)."""


@dataclass(frozen=True)
class Proof:
    """One edition's print PDF: its name, bytes and sheets."""

    name: str
    """The output's file name, e.g. jiyang-2020-zh-Hans.pdf."""
    pdf: bytes
    sheets: tuple[Sheet, ...]

    @functools.cached_property
    def version(self) -> str:
        """A short hash of the PDF: page image addresses change when it does."""
        return hashlib.sha256(self.pdf).hexdigest()[:12]

    @property
    def edition(self) -> str:
        """The edition tag, from the file name (<slug>-<edition>.pdf)."""
        stem = self.name.removesuffix(".pdf")
        return next((tag for tag in _TAGS if stem.endswith(f"-{tag}")), stem)


_TAGS = ("zh-Hant-TW", "zh-Hant-HK", "zh-Hans", "zh-Hant")  # longest first: -zh-Hant ends both


def findings_of(issue_dir: Path) -> tuple[Issue | None, tuple[Finding, ...]]:
    """The issue and its `check` findings; (None, ()) when it cannot be read (the build says
    why)."""
    from publish.importer.preflight import check_issue
    from publish.source.reader import read_issue

    try:
        issue = read_issue(issue_dir)
    except PublishError:
        return None, ()
    return issue, tuple(check_issue(issue))


def article_pages(pdf: bytes, slugs: Sequence[str]) -> tuple[int, dict[str, range]]:
    """The page count, and the pages (0-based) of each article, from the named destination at
    its start."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    named = reader.named_destinations
    starts = []
    for slug in slugs:
        if slug in named:
            starts.append((reader.get_destination_page_number(named[slug]), slug))
    starts.sort()
    ends = [start for start, _ in starts[1:]] + [len(reader.pages)]
    # an article ends where the next begins; run-on articles share that page
    spans = zip(starts, ends, strict=True)
    return len(reader.pages), {
        slug: range(start, max(end, start + 1)) for (start, slug), end in spans
    }


def proof(path: Path, issue: Issue | None, findings: Sequence[Finding]) -> Proof:
    """The proof of one written PDF."""
    pdf = path.read_bytes()
    slugs = [a.slug for a in issue.articles] if issue else []
    count, pages = article_pages(pdf, slugs)
    by_file = {a.source.path: a.slug for a in issue.articles} if issue else {}
    sheets = []
    for index in range(count):
        here = tuple(slug for slug, span in pages.items() if index in span)
        starting = {slug for slug in here if pages[slug].start == index}
        found = tuple(f for f in findings if by_file.get(f.source.path) in starting)
        sheets.append(Sheet(index + 1, here, found))
    return Proof(path.name, pdf, tuple(sheets))


def unplaced(proofs: Sequence[Proof], findings: Sequence[Finding]) -> tuple[Finding, ...]:
    """Findings shown beside no page (no PDF yet, or an article missing from it)."""
    placed = {f for p in proofs for s in p.sheets for f in s.findings}
    return tuple(f for f in findings if f not in placed)


class Rasteriser:
    """Page images of proofs, each made once; PDFium is not thread-safe, so one at a time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._images: dict[tuple[str, int], bytes] = {}

    def png(self, proof: Proof, number: int) -> bytes:
        """Page `number` (1-based) of a proof as PNG bytes."""
        key = (proof.version, number)
        with self._lock:
            if key not in self._images:
                self._images[key] = _render(proof.pdf, number - 1)
            return self._images[key]

    def forget(self, keep: Sequence[Proof]) -> None:
        """Drop the images of proofs no longer shown."""
        alive = {p.version for p in keep}
        with self._lock:
            self._images = {k: v for k, v in self._images.items() if k[0] in alive}


def _render(pdf: bytes, index: int) -> bytes:
    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[index]
        image = page.render(scale=PAGE_WIDTH_PX / page.get_width()).to_pil().convert("RGB")
    finally:
        document.close()
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
