"""Long issues laid out in chunks on all cores, then joined into the PDF one render would give.

Layout (Pango line breaking) is ~80 % of WeasyPrint's time and grows with pages, so a long
issue is cut at its articles (each starts a new page; publish.pdf.parts) and the chunks are laid
out in parallel processes (publish.pdf.worker, scheduled by publish.pdf.schedule). Nothing a
chunk draws depends on where it starts, because the layout's pages are symmetric (no
:left/:right rules): only what counts pages does. So each chunk is set without its folio; once
the page counts before it are known its folios are drawn by a tiny overlay document (empty pages
with only the folio margin box, `counter-reset: page <start>`; publish.pdf.overlays) and the
parent joins it into the book with qpdf (pikepdf) while the next chunks are laid out. The TOC is
laid out once with its page numbers hidden; as soon as the articles of a run of its pages are
laid out, another overlay draws their numbers where they fell (stamp_html), or, for a layout
whose numbers could move its lines, the TOC is set again with them at the end (Settled). The chunks
and the TOC share one program per font face, subset once the last chunk is in
(publish.pdf.weasy.sharedfonts). The book gets one named-destination tree (TOC links) and one
outline (bookmarks): see publish.pdf.join.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from publish.model import Edition, Issue, PageStart
from publish.pdf import render, reuse
from publish.pdf.parts import (
    SHORT_JOBS,
    Split,
    article_ids,
    cuttable,
    split_articles,
    wants_chunks,
)
from publish.pdf.schedule import Schedule
from publish.pdf.settle import Settled, hand_over
from publish.pdf.weasy import arrays
from publish.pdf.worker import Rendered, Settings, render_job, start_worker, taken
from publish.run import layoutcache
from publish.run.forkpool import ForkPool
from publish.run.layoutcache import LayoutCache, cache_folder
from publish.run.output import scratch_folder
from publish.run.parallel import default_jobs, frozen
from publish.run.pools import InlinePool, Job, LocalRunner, Pool, Runner
from publish.source import fonts

LOGGER = logging.getLogger(__name__)
progress = logging.getLogger("publish.progress")
"""Progress of long work; the command line shows it unless --quiet."""


def write_issue(
    issue: Issue,
    edition: Edition,
    target: Path,
    jobs: int = 0,
    chunk_size: int = 0,
    reuse_layout: bool = True,
    laid_out: list[str] | None = None,
    runner: Runner | None = None,
    ship: Sequence[Path] = (),
    pages_ready: Callable[[tuple[PageStart, ...]], object] | None = None,
) -> int:
    """The print PDF of an edition, laid out in chunks on `jobs` processes (of `runner`, this
    machine's by default); return its pages. `laid_out`, `pages_ready`: see write_chunked;
    `reuse_layout`: take the renders the layout cache holds (False: --force; every render is
    kept there all the same); `ship`: the folders the layout reads, for a runner on other
    machines."""
    fonts.font_set(edition.script)  # a missing font stops here, with the apt-get line
    runner = runner or LocalRunner()
    short = not wants_chunks(issue, runner.cores)  # in pieces, for the layout cache (in_pieces)
    jobs = jobs or (min(SHORT_JOBS, runner.cores) if short else runner.cores)
    options = render.pdf_options(issue)
    settings = Settings(
        base_url=issue.root.resolve().as_uri() + "/",
        options=options,
        prepare=render.prepare_layout,
        fetcher=render.IssueFetcher(render.allowed_roots(issue)),
        font_files=shared_font_files(options),
        reuse_layout=reuse_layout,
    )
    key = reuse.context_key(issue.root.resolve(), settings.base_url, options, settings.font_files)
    settings = replace(settings, layout_key=key)
    # at least four chunks per process to balance the load; at most 40 articles (~40 pages, ~70
    # MB of boxes) each, so that a worker stays near 300 MB, its fixed cost spread over them
    size = chunk_size or min(40, max(10, -(-len(issue.articles) // (4 * jobs))))
    if short:  # one chunk: the layout cache keeps each article's pages all the same (pieces)
        size = chunk_size or len(issue.articles)
    typesetters = 1 if runner.remote else runner.cores  # the bodies: this machine's cores
    html = render.render_print_html(issue, edition, kept=reuse_layout, jobs=typesetters)
    if not cuttable(html):
        LOGGER.info("layout has left/right pages or a page total: one render, not chunks")
        if laid_out is not None:
            laid_out += [article.slug for article in issue.articles]
        return render.write_pdf(issue, edition, target, pages_ready)
    if jobs == 1 and not runner.remote:  # a part at a time: no process to fork for each
        pool: Pool = InlinePool(start_worker, (settings,))
    else:
        pool = runner.pool(jobs, start_worker, (settings,), ship)
    pages = write_chunked(
        html,
        target,
        settings,
        jobs=jobs,
        chunk_size=size,
        laid_out=laid_out,
        pool=pool,
        pages_ready=pages_ready,
    )
    LayoutCache(cache_folder()).trim()
    return pages


def write_chunked(
    html: str,
    target: Path,
    settings: Settings,
    *,
    jobs: int = 0,
    chunk_size: int = 60,
    laid_out: list[str] | None = None,
    pool: Pool | None = None,
    pages_ready: Callable[[tuple[PageStart, ...]], object] | None = None,
) -> int:
    """Write the PDF of `html` to `target`, laid out in chunks of articles; return its pages.

    `pages_ready` is given where the book's pages begin in the articles (the e-book's page
    list), once the chunks are laid out and the front matter's page count is final: while the
    book is joined, or after the TOC is set again. `laid_out` is
    given the ids of the articles laid out (not taken from the layout cache). `pool`: where
    the parts are laid out, a fork pool of `jobs` by default."""
    split = split_articles(html)
    arrays.declare_ahead()  # once here, not in every worker forked below
    with frozen(), scratch_folder(target.parent, "publish-chunks") as folder:
        jobs = jobs or default_jobs()
        with pool or ForkPool(jobs, start_worker, (settings,)) as pool:
            take = functools.partial(taken, settings) if settings.layout_key else None
            schedule = Schedule(split, pool, jobs, folder, chunk_size, pages_ready, take=take)
            laid = schedule.run()
            parts, probes, chunks, book = laid.parts, laid.probes, laid.chunks, laid.book
            # the cover has no page numbers to fill in: as first set, it is final; the TOC's
            # numbers are drawn on already
            fronts = probes
            if not laid.stamped:  # the TOC's numbers could move its lines: set again with them

                def submit(name: str, text: str) -> Job:
                    return pool.submit(render_job, text, folder / f"{name}.pdf")

                progress.info("setting the contents again with their page numbers")
                before = sum(p.pages for p in probes[:-1])
                toc = Settled(parts[-1], probes[-1], chunks, before, submit)
                fronts = [*probes[:-1], *toc.result()]
                hand_over(fronts, chunks, pages_ready)
        log_warnings([*fronts, *chunks, *laid.numbers], laid.said)
        if laid_out is not None:
            laid_out += fresh_articles(split, chunks, laid.bounds)
        return book.finish(fronts, chunks, target, laid.programs)


def log_warnings(parts: Sequence[Rendered], taking: Sequence[tuple[str, str]] = ()) -> None:
    """Log again what the parts' renders logged, and what taking renders from the layout cache
    in this process did (`taking`); the layout cache's fault once for the book."""
    said: set[tuple[str, str]] = set()
    for name, message in [*taking, *(w for part in parts for w in part.warnings)]:
        if name == layoutcache.LOGGER.name and (name, message) in said:
            continue
        said.add((name, message))
        logging.getLogger(name).warning("%s", message)


def fresh_articles(
    split: Split, chunks: Sequence[Rendered], bounds: Sequence[tuple[int, int]]
) -> list[str]:
    """The ids of the articles in chunks that were laid out, not taken from the layout cache."""
    ids = []
    for chunk, (first, last) in zip(chunks, bounds, strict=True):
        if chunk.fresh is not None:  # made of pieces: only some were laid out
            ids += chunk.fresh
        elif not chunk.reused:
            ids += article_ids(split, first, last)
    return ids


def shared_font_files(options: dict[str, Any]) -> dict[int, tuple[str, ...]] | None:
    """The font files chunks may share programs of (see Settings.font_files); None where the
    PDF standard lists each font's glyphs in its descriptor (PDF 1.4, PDF/A-1), or sharing
    is not supported by the installed WeasyPrint (a warning says so)."""
    from publish.pdf.weasy import sharedfonts

    if sharedfonts.pdf_version(options) <= "1.4" or not sharedfonts.install():
        return None
    # read when called, not imported: the fonts/ folder may be another (tests point it elsewhere)
    folder = fonts.FONTS_DIR
    return sharedfonts.font_files(folder.iterdir() if folder.is_dir() else ())
