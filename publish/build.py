"""The build, in one function that reads top to bottom: read → per edition convert → PDF, EPUB."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import importlib
import logging
import os
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from publish.errors import InputError, PublishError, StrictError
from publish.model import Edition, Issue, PageStart, Written
from publish.pdf.parts import in_pieces, wants_chunks
from publish.run.cache import RebuildCache, inputs_digest, output_key, program_fixed
from publish.run.logs import collect_warnings
from publish.run.moment import build_moment
from publish.run.output import atomic_target, check_writable, output_path, staged, sweep
from publish.run.pools import Job, LocalRunner, Runner
from publish.run.stack import roomy
from publish.source.fonts import match_ahead
from publish.source.reader import read_issue
from publish.source.schema import chosen
from publish.source.templates import shipped_folders
from publish.text.convert import convert_issue, opencc_converter
from publish.text.editions import EDITIONS, edition_for

log = logging.getLogger("publish")
progress = logging.getLogger("publish.progress")
"""Progress of the build, shown by the command line unless --quiet."""


@dataclass
class BuildReport:
    """What a build wrote, the warnings it logged (message → count), and the issues that failed
    (folder, error), the others written all the same."""

    written: list[Written] = field(default_factory=list)
    warnings: Counter[str] = field(default_factory=Counter)
    laid_out: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """For every PDF written, the slugs of the articles whose pages were laid out for it."""
    failed: list[tuple[Path, PublishError]] = field(default_factory=list)


@dataclass(frozen=True)
class EditionWork:
    """One edition of one issue to write: the outputs not up to date."""

    issue: Issue
    edition: Edition
    kinds: tuple[str, ...]
    label: str
    """How progress names it: the edition, with the issue's slug in a batch."""
    inputs: str
    """The digest of the issue's inputs, for the rebuild cache."""


def build(
    issue_dir: Path,
    out: Path,
    *,
    editions: Sequence[str] = (),
    formats: Sequence[str] = (),
    strict: bool = False,
    force: bool = False,
    runner: Runner | None = None,
) -> BuildReport:
    """Build the issue's editions and formats into `out`; each output replaced atomically.
    `force` rebuilds outputs that are up to date (see the rebuild cache)."""
    report = build_issues([issue_dir], out, editions, formats, strict, force, runner)
    if report.failed:
        raise report.failed[0][1]
    return report


@program_fixed()  # hashed once for the build and its forked workers
@roomy  # room on the frame stack for the layout's recursion, here and in the processes forked
def build_issues(
    issue_dirs: Sequence[Path],
    out: Path,
    editions: Sequence[str] = (),
    formats: Sequence[str] = (),
    strict: bool = False,
    force: bool = False,
    runner: Runner | None = None,
) -> BuildReport:
    """Build several issues into `out` at once, their editions, chunks and EPUBs on every core
    (or cluster worker); an issue that fails is in `failed`, the others written."""
    report = BuildReport()
    issues = _read_all(issue_dirs, report)
    for issue in issues:
        build_moment(issue)  # a bad SOURCE_DATE_EPOCH stops the build before any work
    check_writable(out)
    sweep(out)  # what builds killed before they could clean up left behind
    batch = len(issue_dirs) > 1
    with collect_warnings() as collector:  # a full cache disk stops the build here, before work
        cache = RebuildCache.load(out)
        cache.check()
        plans = [
            _plan(i, out, editions, formats, strict, force, cache, report, batch) for i in issues
        ]
        work = [each for plan in plans for each in plan]
        ready_workers(work)
    report.warnings.update(collector.counts)
    runner = runner or LocalRunner()
    # short editions side by side, one core each; a long one's chunks take every core
    short = [w for w in work if not wants_chunks(w.issue, runner.cores)]
    # on a worker of the cluster an edition is one task: laid out in one process, not forked
    inside = LocalRunner(1) if runner.remote else None
    # in pieces for the next edit, not in a batch (cold: one render is cheaper) or on a cluster
    # worker (no fork in a threaded one); a short EPUB beside its PDF's join if a core is free
    shared = (out, strict, force, inside, not (batch or runner.remote), len(short) < runner.cores)
    calls = [(w.issue, w.edition, w.kinds, *shared) for w in short]
    ships = [shipped_folders(w.issue) for w in short]
    try:  # closed at once on an error, so that its workers are stopped before the sweep
        with contextlib.closing(runner.map(edition_outputs, calls, ships)) as results:
            for index, done, error in results:
                if error is not None and not batch:  # one issue: stop its other editions now
                    raise error
                _take(short[index], done, error, report, cache, strict)
        for each in (w for w in work if wants_chunks(w.issue, runner.cores)):
            try:
                done = edition_outputs(
                    each.issue, each.edition, each.kinds, out, strict, force, runner
                )
            except PublishError as error:
                if not batch:  # one issue: its first failure stops the build
                    raise
                _take(each, None, error, report, cache, strict)
            else:
                _take(each, done, None, report, cache, strict)
    finally:
        sweep(out)  # a worker killed mid-build could not remove its temporary file
    with collect_warnings() as collector:
        cache.save()
    report.warnings.update(collector.counts)
    return report


def _read_all(issue_dirs: Sequence[Path], report: BuildReport) -> list[Issue]:
    """Every issue that reads; those that do not go to `report.failed`. Slugs must differ."""
    issues, seen = [], {}
    for folder in issue_dirs:
        try:
            issues.append(read_issue(folder))
        except PublishError as error:
            if len(issue_dirs) == 1:
                raise
            report.failed.append((folder, error))
            continue
        slug = issues[-1].config.slug
        if slug in seen:
            raise InputError(
                f"{seen[slug]} and {folder} both have the slug {slug!r}, so their outputs "
                "would overwrite each other. Fix: give one of them another 'slug:' in its "
                "publish.yaml"
            )
        seen[slug] = folder
    return issues


def _plan(
    issue: Issue,
    out: Path,
    editions: Sequence[str],
    formats: Sequence[str],
    strict: bool,
    force: bool,
    cache: RebuildCache,
    report: BuildReport,
    batch: bool,
) -> list[EditionWork]:
    """The issue's editions with outputs to write; those up to date go straight to `report`."""
    tags = chosen(editions, issue.config.editions, EDITIONS, "--edition")
    kinds = chosen(formats, issue.config.formats, ("pdf", "epub"), "--format")
    inputs, work = inputs_digest(issue.root), []
    for tag in tags:
        label = f"{issue.config.slug} {tag}" if batch else tag
        todo = []
        for kind in kinds:
            target = output_path(out, issue.config.slug, tag, kind)
            reused = None if force else cache.reuse(target, output_key(inputs, target, strict))
            if reused:
                progress.info("%s: %s is up to date (--force rebuilds it)", label, target.name)
                report.written.append(reused)
            else:
                todo.append(kind)
        if todo:
            progress.info(
                "%s: converting text, writing %s", label, " and ".join(k.upper() for k in todo)
            )
            edition = edition_for(tag, issue.config.conversion, issue.config.language)
            work.append(EditionWork(issue, edition, tuple(todo), label, inputs))
    return work


def _take(
    work: EditionWork,
    done: tuple[list[Written], Counter[str], tuple[str, ...]] | None,
    error: BaseException | None,
    report: BuildReport,
    cache: RebuildCache,
    strict: bool,
) -> None:
    """An edition's outcome into the report: its outputs recorded in the rebuild cache, or its
    issue marked failed (an unexpected error is raised: it is a bug, not bad input)."""
    if error is not None:
        if not isinstance(error, PublishError):
            raise error
        report.failed.append((work.issue.root, error))
        return
    assert done is not None
    written, warnings, laid_out = done
    progress.info("wrote %s", ", ".join(f"{w.path.name} ({w.pages})" for w in written))
    report.written += written
    report.warnings.update(warnings)
    for each in written:
        cache.record(each, output_key(work.inputs, each.path, strict))
        if each.path.suffix == ".pdf":
            report.laid_out[each.path.name] = laid_out


WORKER_MODULES = ("publish.pdf.chunked", "publish.pdf.pieces", "publish.epub.book")
"""What the workers import: once before they fork, not in each (an edit: 0.6 of 2.5 CPU s)."""


def ready_workers(work: Sequence[EditionWork]) -> None:
    """Import what the workers use (fontconfig asked for their fonts meanwhile) and load the
    OpenCC configs several editions convert with (~0.17 s each), once, before they fork (none:
    all is up to date); warn of slow subsetting."""
    if not work:
        return
    fonts_matched = match_ahead({w.edition.script for w in work})
    for module in WORKER_MODULES:
        importlib.import_module(module)
    fonts_matched()
    configs = Counter(w.edition.opencc_config for w in work if w.edition.opencc_config)
    for config in (config for config, editions in configs.items() if editions > 1):
        with contextlib.suppress(PublishError):  # a bad config fails its editions, as before
            opencc_converter(config)
    from publish.pdf.weasy.pages import harfbuzz_subset_available

    if any("pdf" in w.kinds for w in work) and not harfbuzz_subset_available():
        log.warning(
            "libharfbuzz-subset is missing: WeasyPrint falls back to fontTools and each PDF takes "
            "~30 s instead of ~2 s. Fix: sudo apt-get install libharfbuzz-subset0"
        )


def edition_outputs(
    issue: Issue,
    edition: Edition,
    kinds: Sequence[str],
    out: Path,
    strict: bool,
    force: bool = False,
    runner: Runner | None = None,
    pieces: bool = True,
    free_core: bool = True,
) -> tuple[list[Written], Counter[str], tuple[str, ...]]:
    """Convert the issue once for an edition and write its outputs (in a worker process): what
    it wrote, the warnings, the slugs of the articles laid out. A chunked EPUB is written in a
    process of its own beside the PDF's join once the chunks say where its pages begin, if
    `free_core` (a long issue's always), else after the PDF. `force`: no page from the layout
    cache; `pieces`: a short issue laid out in pieces (parts.in_pieces), not in one render."""
    runner = runner or LocalRunner()
    text, warnings, written = convert(issue, edition), Counter[str](), []
    laid_out: list[str] = []
    # a short issue in pieces: an edit lays out the edited article again, the rest from the cache
    long = wants_chunks(text, runner.cores)
    chunked = long or pieces and in_pieces(text)
    alongside = chunked and (free_core or long)
    kinds = sorted(kinds, key=lambda kind: kind != "pdf")  # the EPUB's page list: PDF first
    if "epub" in kinds and "pdf" not in kinds:
        progress.info(
            "%s: EPUB without PDF: no page list (it follows the print layout)", edition.tag
        )
    printed: dict[str, tuple[PageStart, ...]] = {}
    epub = output_path(out, text.config.slug, edition.tag, "epub")
    with runner.pool(1, ship=shipped_folders(issue)) as side, staged(epub) as early:
        beside: list[Job] = []

        def starts_ready(starts: tuple[PageStart, ...]) -> None:  # the EPUB, beside the join
            beside.append(side.submit(_epub_beside, text, edition, early, strict, starts, force))

        def printed_starts(starts: tuple[PageStart, ...]) -> None:  # for the EPUB, after
            printed.update(starts=starts)

        for number, kind in enumerate(kinds):
            if kind == "epub" and beside:
                done, counts = beside[0].result()
                os.replace(early, epub)
                written.append(dataclasses.replace(done, path=epub))
                warnings.update(counts)
                continue
            target = output_path(out, text.config.slug, edition.tag, kind)
            if kind == "epub":
                writer = _epub_writer(text, edition, printed.get("starts"), force)
            else:
                later = "epub" in kinds[number:]  # the EPUB beside, given the starts, or after
                keep = (starts_ready if alongside else printed_starts) if later else None
                writer = _pdf_writer(text, edition, chunked, runner, keep, (force, laid_out))
            written.append(write_output(target, writer, strict, warnings))
    return written, warnings, tuple(laid_out)


def _epub_beside(
    issue: Issue, edition: Edition, target: Path, strict: bool, starts: Starts, force: bool
) -> tuple[Written, Counter[str]]:
    """The EPUB of a chunked issue written to `target` beside the PDF's join, its page list
    from where the chunks' pages begin: what it wrote and the warnings."""
    warnings = Counter[str]()
    done = write_output(target, _epub_writer(issue, edition, starts, force), strict, warnings)
    return done, warnings


def convert(issue: Issue, edition: Edition) -> Issue:
    """The issue in the edition's script and quotes (the build's one conversion step)."""
    return convert_issue(issue, edition)


Writer = Callable[[Path], int]
"""Writes one output to the path it is given; returns its page (or document) count."""
Starts = tuple[PageStart, ...] | None
"""Where the print PDF's pages begin, for the EPUB's page list (None: no PDF, no list)."""


def _pdf_writer(
    issue: Issue,
    edition: Edition,
    chunked: bool,
    runner: Runner,
    pages_ready: Callable[[tuple[PageStart, ...]], None] | None = None,
    reuse: tuple[bool, list[str]] | None = None,
) -> Writer:
    """The print PDF's writer: in chunks on every core (of the runner) for a long issue, else
    one render. `pages_ready`: given where its pages begin (the EPUB's page list); `reuse`:
    --force, and the list given the slugs of the articles laid out."""
    force, laid_out = reuse or (False, [])
    if chunked:
        from publish.pdf.chunked import write_issue

        return functools.partial(
            write_issue,
            issue,
            edition,
            runner=runner,
            ship=shipped_folders(issue),
            reuse_layout=not force,
            laid_out=laid_out,
            pages_ready=pages_ready,
        )
    from publish.pdf.render import write_pdf

    laid_out += [article.slug for article in issue.articles]  # one render: every article

    return functools.partial(write_pdf, issue, edition, pages_ready=pages_ready)


def _epub_writer(
    issue: Issue, edition: Edition, starts: Starts = None, force: bool = False
) -> Writer:
    """The EPUB's writer: its cover laid out from the layout's e-book cover template (or taken
    from the layout cache) and its bodies kept across builds, unless `force`; `starts`: where
    the print PDF's pages begin, for the page list (None: no PDF)."""
    from publish.epub.book import write_epub
    from publish.pdf.cover import ebook_cover_pdf

    def write(target: Path) -> int:
        cover = ebook_cover_pdf(issue, edition, reuse_layout=not force)
        return write_epub(issue, edition, target, cover, starts, kept=not force)

    return write


CACHE_FAULT = "publish.run.layoutcache:"
"""The layout cache's warnings: never a reason for --strict to keep the previous output."""


def write_output(target: Path, writer: Writer, strict: bool, warnings: Counter[str]) -> Written:
    """Write one output atomically; under --strict a warning keeps the previous file."""
    started = time.perf_counter()
    with atomic_target(target) as temporary, collect_warnings() as collector:
        pages = writer(temporary)
        warnings.update(collector.counts)
        # a layout cache entry not to be trusted costs time, not the output
        counted = {m: n for m, n in collector.counts.items() if not m.startswith(CACHE_FAULT)}
        if strict and counted:
            raise StrictError(
                f"{target.name}: {sum(counted.values())} warning(s) under --strict; "
                f"the previous {target.name} is kept. Fix the warnings or build without --strict"
            )
    return Written(target, pages, target.stat().st_size, time.perf_counter() - started)
