"""One part of a long issue laid out and written in a worker process, and what it reports."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from publish.model import PageStart
from publish.pdf.parts import PLACEHOLDER
from publish.pdf.weasy import pagemap, pages
from publish.run import layoutcache
from publish.run.logs import WarningCollector, collect_warnings

if TYPE_CHECKING:
    from publish.pdf.weasy.sharedfonts import Glyphs, Program
    from publish.run.layoutcache import LayoutCache


@dataclass(frozen=True)
class Settings:
    """What every render of one book shares; handed to the workers when they fork, not pickled."""

    base_url: str | None = None
    options: dict[str, Any] = field(default_factory=dict)
    """write_pdf options (PDF variant, identifier)."""
    prepare: Callable[[], Any] | None = None
    """Called in the worker before rendering, e.g. to install layout extensions."""
    fetcher: Callable[..., Any] | None = None
    """WeasyPrint URL fetcher; None for the default."""
    font_files: dict[int, tuple[str, ...]] | None = None
    """Known font files by size (sharedfonts.font_files): the chunks share one program per
    face; None: each render embeds its own font subsets."""
    layout_key: str = ""
    """All of a render's layout-cache key but its HTML (publish.pdf.reuse.context_key); empty:
    no layout cache."""
    reuse_layout: bool = True
    """Whether renders found in the layout cache are taken (False: laid out again, --force)."""


_SETTINGS = Settings()
"""This worker's settings: set once, by start_worker, the initialiser of the pool it runs in
(a forked process belongs to one book), and read by every render_job it runs."""


def start_worker(settings: Settings) -> None:
    """The pool initialiser: keep the book's settings for this process's render jobs, install
    the layout extensions and, when the book shares its fonts, the font sharing."""
    global _SETTINGS
    _SETTINGS = settings
    if settings.prepare is not None:
        settings.prepare()
    if settings.font_files is not None:
        from publish.pdf.weasy import sharedfonts

        sharedfonts.install()
        sharedfonts.sharing(False, settings.font_files)


@dataclass(frozen=True)
class Rendered:
    """What a worker reports about the PDF it wrote; positions in PDF points."""

    out: Path
    pages: int
    anchors: tuple[pages.Anchor, ...]
    """(id, page index, x, y) of every element with an id."""
    bookmarks: tuple[pages.Bookmark, ...]
    """(page index, level, label, x, y, state) in document order."""
    page_names: tuple[str, ...]
    """The CSS named page of every page ('' for none), for the folio overlay."""
    starts: tuple[PageStart, ...] = ()
    """Where its pages begin in the articles' text (publish.pdf.weasy.pagemap), numbered
    from 1 in this document: the schedule moves them to the book's numbers."""
    items: tuple[int, ...] = ()
    """Of a front matter probe: for every page, the ordinal of the list item (<li>) it starts
    with, or -1 when it starts inside one (or holds none)."""
    item_count: int = 0
    """Of a front matter probe: how many list items it laid out."""
    slots: tuple[pages.Slot, ...] | None = None
    """Of a front matter probe: where it laid out each TOC page number, hidden, as (page index,
    target id, x, y, width, 'before' or 'after'), in CSS px from the page's content area; None
    where a number's width could change the layout (then the TOC is set again with them)."""
    warnings: tuple[tuple[str, str], ...] = ()
    """(logger, message) of every warning the render logged, to be logged again by the parent."""
    glyphs: tuple[Glyphs, ...] = ()
    """The glyphs of each face whose font file it holds only as a placeholder (its fonts were
    shared): the book's one program of the face must hold them."""
    reused: bool = False
    """Taken from the layout cache rather than laid out (publish.pdf.reuse)."""
    fresh: tuple[str, ...] | None = None
    """Of a chunk made from pieces (publish.pdf.pieces): the ids of the articles laid out; None
    when all were, or none (`reused`)."""


def render_job(html: str, out: Path, items: bool = False, share: bool = False) -> Rendered:
    """Lay out and write one document (runs in a worker process); `items`: report where its
    list items fall; `share`: its fonts are shared, if the settings allow (their programs are
    placeholders, put in when the book is joined). A render the layout cache holds is taken
    from it; any other is kept there for the next build."""
    from publish.pdf import reuse

    share = share and _SETTINGS.font_files is not None
    cache = reuse.cache_of(_SETTINGS.layout_key, _SETTINGS.reuse_layout)
    key = reuse.job_key(_SETTINGS.layout_key, html, items, share) if cache else ""
    if cache is None:
        return _render(html, out, items, share)
    with collect_warnings() as collector:  # an unsound entry: said by the parent, once
        kept = cache.take(key, out)
    if kept is not None:
        return rendered_from(kept, out)
    with collect_warnings() as pieced:
        rendered = _chunk_from_pieces(cache, html, out, key, share) if not items else None
    if rendered is None:
        rendered = _render(html, out, items, share)
        cache.put(key, out, report_of(rendered))
    # of what was logged while pieced, the renders' own warnings are in their reports already
    faults = [w for w in _logged(pieced) if w[0] == layoutcache.LOGGER.name]
    said = (*_logged(collector), *faults)
    return replace(rendered, warnings=(*dict.fromkeys(said), *rendered.warnings))


def shared_programs(faces: Sequence[Glyphs], folder: Path) -> list[Program]:
    """The book's one program of each face its parts share (sharedfonts.subset_face), taken
    from the layout cache where this book had the same glyphs of a face before (an edit that
    brings no new character: ~0.1 s a CJK face), else subset and kept there."""
    from publish.pdf import reuse
    from publish.pdf.weasy.sharedfonts import Program, subset_face

    cache = reuse.cache_of(_SETTINGS.layout_key, _SETTINGS.reuse_layout)
    programs = []
    for number, glyphs in enumerate(faces):
        target = folder / f"face{number}.bin"
        key = layoutcache.digest(_SETTINGS.layout_key, "font program", repr(glyphs))
        kept = cache.take(key, target) if cache is not None else None
        if kept is not None and isinstance(kept.get("length"), int):
            programs.append(Program(glyphs.face, target, kept["length"]))
            continue
        programs.append(subset_face(glyphs, target))
        if cache is not None:
            cache.put(key, target, {"length": programs[-1].length})
    return programs


def taken(
    settings: Settings, html: str, out: Path, items: bool = False, share: bool = False
) -> tuple[Rendered | None, tuple[tuple[str, str], ...]]:
    """The render the layout cache holds for this job, copied to `out` (in the parent: a job
    whose pages are kept needs no process of its own), or None; and what taking it logged (a
    damaged entry, dropped: the job laid out in a worker says it no more)."""
    from publish.pdf import reuse

    share = share and settings.font_files is not None
    cache = reuse.cache_of(settings.layout_key, settings.reuse_layout)
    if cache is None:
        return None, ()
    with _held() as collector:
        kept = cache.take(reuse.job_key(settings.layout_key, html, items, share), out)
    return (rendered_from(kept, out) if kept is not None else None), _logged(collector)


@contextlib.contextmanager
def _held() -> Iterator[WarningCollector]:
    """The layout cache's warnings collected, not logged: the parent logs them once a book."""
    collector, logger = WarningCollector(), layoutcache.LOGGER
    propagate, logger.propagate = logger.propagate, False
    logger.addHandler(collector)
    try:
        yield collector
    finally:
        logger.removeHandler(collector)
        logger.propagate = propagate


def _chunk_from_pieces(
    cache: LayoutCache, html: str, out: Path, key: str, share: bool
) -> Rendered | None:
    """A chunk not in the cache whole made of its articles' pages that are (only the others laid
    out), kept, with a reference to each article's pages; None if `html` is no chunk of
    articles, or none of its articles is in the cache (nothing is kept: see render_job)."""
    from publish.pdf import pieces

    split = pieces.chunk_parts(html)
    if split is None:
        return None
    keys = pieces.article_keys(_SETTINGS.layout_key, split, share)

    def lay_out(text: str, path: Path) -> Rendered:
        return _render(text, path, False, share)

    rendered = pieces.assemble(cache, keys, split, out, rendered_from, lay_out)
    if rendered is None:
        rendered = _render(html, out, False, share)
    cache.put(key, out, report_of(rendered))
    pieces.index(cache, keys, split, key, rendered)
    return rendered


def _logged(collector: WarningCollector) -> tuple[tuple[str, str], ...]:
    """(logger, message) of every warning a collector counted."""
    return tuple(tuple(m.split(": ", 1)) for m in collector.counts.elements())  # type: ignore[misc]


def _render(html: str, out: Path, items: bool, share: bool) -> Rendered:
    """Lay out and write one document: see render_job."""
    import weasyprint

    from publish.pdf.weasy import sharedfonts

    # WeasyPrint 70 has no default_url_fetcher function: no fetcher given means its own
    fetcher = {"url_fetcher": _SETTINGS.fetcher} if _SETTINGS.fetcher else {}
    sharedfonts.sharing(share)
    try:
        with collect_warnings() as collector:
            document = weasyprint.HTML(string=html, base_url=_SETTINGS.base_url, **fetcher)
            document = document.render()
            document.write_pdf(out, **_SETTINGS.options)
        glyphs = sharedfonts.take_glyphs()
    finally:  # a long-lived worker (a Dask one) writes other PDFs next: the e-book cover's
        sharedfonts.sharing(False)
    rendered = replace(report(document, out), glyphs=glyphs)
    if items:
        firsts, count = pages.list_items(document)
        slots = pages.number_slots(document, PLACEHOLDER)
        rendered = replace(rendered, items=firsts, item_count=count, slots=slots)
    return replace(rendered, warnings=_logged(collector))


def report(document: Any, out: Path) -> Rendered:
    """The report of a laid-out document written to `out`."""
    return Rendered(
        out,
        len(document.pages),
        pages.anchors(document),
        pages.bookmarks(document),
        pages.page_names(document),
        pagemap.page_starts(document),
    )


def report_of(rendered: Rendered) -> dict[str, Any]:
    """A render's report as JSON-ready data, for the layout cache (its PDF's path left out)."""
    data = asdict(rendered)
    data.pop("out")
    return data


def rendered_from(report: dict[str, Any], out: Path) -> Rendered:
    """The render's report as the layout cache kept it, for the PDF now at `out`."""
    from publish.pdf.weasy.sharedfonts import Face, Glyphs

    def tuples(value: Any) -> Any:
        return tuple(tuples(v) for v in value) if isinstance(value, list) else value

    taken = ("glyphs", "reused", "fresh", "starts")
    fields = {k: tuples(v) for k, v in report.items() if k not in taken}
    glyphs = tuple(
        Glyphs(Face(**g["face"]), tuple(g["ids"]), bool(g["notdef"])) for g in report["glyphs"]
    )
    starts = tuple(PageStart(**start) for start in report["starts"])
    return Rendered(out=out, glyphs=glyphs, starts=starts, reused=True, **fields)
