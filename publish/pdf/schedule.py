"""The long-issue scheduler: parts of a book laid out on a pool of workers and joined as they come.

The front matter (cover, TOC with its numbers hidden) and the article chunks are laid out at
once; each run of OVERLAY_CHUNKS chunks gets its folio overlay as soon as it is in, and is joined
into the book; each run of TOC pages whose articles are all laid out gets its numbers' overlay.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from publish.model import PageStart
from publish.pdf.join import Book
from publish.pdf.overlays import article_folios, numbered_pages, overlay_html, stamp_html
from publish.pdf.parts import Split, chunk_bounds, chunk_html, cut_front, front_html
from publish.pdf.samples import Samples, Sketch
from publish.pdf.settle import hand_over
from publish.pdf.specimens import Derived
from publish.pdf.worker import Rendered, render_job, shared_programs
from publish.run.pools import Job, Pool

if TYPE_CHECKING:
    from publish.pdf.weasy.sharedfonts import Program

progress = logging.getLogger("publish.progress")
"""Progress of long work; the command line shows it unless --quiet."""

OVERLAY_CHUNKS = 4
"""Chunks whose folios one overlay draws: each job costs ~0.1 s besides its ~3 ms a page."""
TAPER_TO = 10
"""Articles of the smallest chunks, the last ones (each chunk has a fixed cost of ~0.15 s)."""
SPECIMENS_FROM = 100
"""Articles from which the folio and TOC number overlays are made from specimens
(publish.pdf.specimens): a folio specimen costs as much as ~20 pages of an overlay."""
NUMBERS_PAGES = 16
"""TOC pages whose numbers one overlay draws, as soon as their articles are laid out (in a TOC
in article order the first pages' numbers are known early)."""


Taker = Callable[[str, Path, bool, bool], tuple[Rendered | None, tuple[tuple[str, str], ...]]]
"""(html, out, items, share) -> the render the layout cache holds, copied to `out`, or None;
and the warnings taking it logged (publish.pdf.worker.taken)."""


@dataclass(frozen=True)
class Done:
    """A job done without a process: its render was in the layout cache."""

    rendered: Rendered

    def done(self) -> bool:
        return True

    def result(self) -> Rendered:
        return self.rendered


@dataclass
class Laid:
    """What the chunk pool made: the front parts and their probes, the chunks, the book so far,
    the TOC number overlays, the shared font programs."""

    parts: list[Split]
    probes: list[Rendered]
    chunks: list[Rendered]
    book: Book
    numbers: list[Rendered]
    """Overlays of the TOC's page numbers, drawn on the book already (if `stamped`)."""
    stamped: bool
    """Whether the TOC is in the book as laid out, its numbers drawn on by `numbers`."""
    programs: list[Program]
    """The font programs the chunks share, one per face."""
    bounds: list[tuple[int, int]]
    """The [first, last) articles of each chunk."""
    said: list[tuple[str, str]] = field(default_factory=list)
    """(logger, message) of the warnings taking renders from the layout cache logged."""


@dataclass
class Schedule:
    """Front matter parts, each set once with placeholder TOC numbers; the article chunks; the
    book, holding the final front parts and the chunks, their folios drawn on by overlays (each
    for up to OVERLAY_CHUNKS chunks in a row), joined while the next chunks are laid out; the
    overlays of the TOC's numbers, NUMBERS_PAGES pages each, drawn as soon as the articles of
    their pages are laid out; the programs of the fonts the parts share."""

    split: Split
    pool: Pool
    jobs: int
    folder: Path
    chunk_size: int
    pages_ready: Callable[[tuple[PageStart, ...]], object] | None = None
    """Given where the book's pages begin in the articles, once the chunks are laid out and
    the TOC's page count is final (its numbers drawn on, not set again)."""
    take: Taker | None = None
    """Takes a render the layout cache holds in this process (no job for it), see Taker."""
    said: list[tuple[str, str]] = field(default_factory=list)
    """What taking renders from the layout cache logged (logger, message): a damaged entry."""
    parts: list[Split] = field(init=False)
    probes: list[Job] = field(init=False)
    """The front parts' jobs."""
    bounds: list[tuple[int, int]] = field(init=False)
    pending: list[Job] = field(default_factory=list)
    """The chunks' jobs, submitted no faster than the workers take them."""
    counted: list[Rendered] = field(default_factory=list)
    """The front parts as laid out, once all are."""
    chunks: list[Rendered] = field(default_factory=list)
    """The chunks laid out, in order."""
    overlays: list[tuple[Job | Sketch, int, int]] = field(default_factory=list)
    """Folio overlays and the chunks [first, last) each draws on."""
    samples: Samples | None = None
    """A long issue's specimens, its folios and TOC numbers made from them."""
    toc_keys: tuple[tuple[str, int], ...] = ()
    """The folio specimens of the TOC's pages."""
    numbers: list[tuple[Job | Sketch, int]] = field(default_factory=list)
    """TOC number overlays and the first TOC page each draws on."""
    book: Book | None = None
    programs: Job | None = None
    """The job making the shared font programs, once every part sharing them is in."""
    programs_asked: bool = False
    start: int = 0
    """The folio of the next folio overlay's first page."""
    drawn: int = 0
    """Chunks whose folio overlay is submitted."""
    joined: int = 0
    """Folio overlays joined into the book, with their chunks."""
    numbered: int = 0
    """TOC pages whose number overlay is submitted."""
    drawn_on: int = 0
    """TOC number overlays drawn on the book."""

    def __post_init__(self) -> None:
        self.parts = cut_front(self.split)
        # a TOC set apart is laid out once, its numbers hidden: they are drawn on when known
        self.probes = [
            self.submit(f"front{i}", front_html(part, {}, stamped=i > 0), True, share=True)
            for i, part in enumerate(self.parts)
        ]
        count = len(self.split.articles)
        # on one process no worker waits for another: chunks of the full size, no taper
        taper = TAPER_TO if self.jobs > 1 else 0
        self.bounds = chunk_bounds(count, self.chunk_size, self.jobs, taper)
        if count >= SPECIMENS_FROM:
            self.samples = Samples(
                self.split, lambda name, text: self.submit(name, text, share=True)
            )
        self.top_up()

    def submit(self, name: str, text: str, items: bool = False, share: bool = False) -> Job:
        """A render job of `text` into the scratch folder: done at once where the layout cache
        holds its render (after an edit, nearly every part), else run by the pool."""
        out = self.folder / f"{name}.pdf"
        if self.take is not None:
            kept, said = self.take(text, out, items, share)
            self.said += said
            if kept is not None:
                return Done(kept)
        return self.pool.submit(render_job, text, out, items, share)

    def top_up(self) -> None:
        """No more chunks waiting than workers: a folio overlay, submitted as soon as its
        chunks are laid out, then comes next rather than after every chunk."""
        pending, bounds = self.pending, self.bounds
        while len(pending) < len(bounds) and sum(not f.done() for f in pending) < self.jobs:
            number = len(pending)
            text = chunk_html(self.split, *bounds[number])
            pending.append(self.submit(f"chunk{number}", text, share=True))

    def run(self) -> Laid:
        """Lay out every part, joining the book as they come (what the layout cache held is
        done at once: joined before the first wait)."""
        while True:
            self.top_up()
            if all(probe.done() for probe in self.probes):
                self._advance()
            if not self._unfinished():
                return self._laid()
            self._wait()

    def _advance(self) -> None:
        """Take in what is done: chunks, overlays, the TOC's numbers; submit what they allow."""
        self.counted = [probe.result() for probe in self.probes]
        self.start = self.start or sum(probe.pages for probe in self.counted) + 1
        self._take_chunks()
        stamped = len(self.counted) > 1 and bool(self.counted[-1].slots)
        if self.book is None:  # a TOC whose numbers will be drawn on is final as laid out
            self.book = Book(self.counted if stamped else self.counted[:-1])
        self._join_overlays()
        if stamped and self.numbered < self.counted[-1].pages:
            self._number_toc()
        self._draw_numbers()
        if not self.programs_asked and (not stamped or self.numbered == self.counted[-1].pages):
            self._share_programs()

    def _share_programs(self) -> None:
        """Once every part that shares fonts is laid out (front parts, chunks, folio and TOC
        number overlays), the job making one program of each face for all their glyphs: a part
        of its own subsets each CJK face it uses, ~0.05 s each however few its glyphs."""
        if len(self.chunks) < len(self.bounds) or self.joined < len(self.overlays):
            return  # every folio overlay in: none left to be set by WeasyPrint instead
        if self.drawn_on < len(self.numbers):
            return
        overlays = [job for job, *_ in self.overlays if not isinstance(job, Sketch)]
        overlays += [job for job, _ in self.numbers if not isinstance(job, Sketch)]
        overlays += self.samples.jobs() if self.samples else []
        if not all(job.done() for job in overlays):
            return
        parts = [*self.counted, *self.chunks, *(job.result() for job in overlays)]
        self.programs, self.programs_asked = _subset_shared(self.pool, parts, self.folder), True

    def _unfinished(self) -> bool:
        return (
            not self.programs_asked
            or len(self.chunks) < len(self.bounds)
            or self.joined < len(self.overlays)
            or self.drawn_on < len(self.numbers)
        )

    def _wait(self) -> None:
        running = (
            *self.probes,
            *self.pending[len(self.chunks) :],
            *(job for job, *_ in self.overlays[self.joined :] if not isinstance(job, Sketch)),
            *(job for job, _ in self.numbers[self.drawn_on :] if not isinstance(job, Sketch)),
            *(self.samples.jobs() if self.samples else []),
        )
        waiting = [f for f in running if not f.done()]
        if waiting and self.book is not None:  # parts that are in, for the book's next turns
            self.book.read_ahead(self._ready())
        if waiting:
            self.pool.wait(waiting)

    def _ready(self) -> list[Rendered]:
        """Chunks and overlays done but not yet in the book (after an edit: mostly those after
        the one chunk laid out)."""
        joined = self.overlays[self.joined - 1][2] if self.joined else 0
        chunks = [job for job in self.pending[joined:] if job.done()]
        overlays = [
            job
            for job, *_ in self.overlays[self.joined :]
            if not isinstance(job, Sketch) and job.done()
        ]
        return [job.result() for job in [*overlays, *chunks]]

    def _take_chunks(self) -> None:
        """The chunks laid out, in order; their folio overlays; the cover, once all are in."""
        chunks, pending, total = self.chunks, self.pending, len(self.bounds)
        while len(chunks) < len(pending) and pending[len(chunks)].done():
            chunks.append(pending[len(chunks)].result())
            if total > 1:  # a short issue's one chunk is not news
                progress.info("laid out articles chunk %d of %d", len(chunks), total)
            # on one worker an overlay drawn early overlaps nothing: one for the book
            every = OVERLAY_CHUNKS if self.jobs > 1 else total
            if len(chunks) % every == 0 or len(chunks) == total:
                names = [name for chunk in chunks[self.drawn :] for name in chunk.page_names]
                self.overlays.append((self._folios(names), self.drawn, len(chunks)))
                self.start, self.drawn = self.start + len(names), len(chunks)
            final = len(self.counted) > 1 and bool(self.counted[-1].slots)  # front pages final
            if len(chunks) == total and final:
                hand_over(self.counted, chunks, self.pages_ready)

    def _folios(self, names: list[str]) -> Job | Sketch:
        """The folio overlay of pages named `names` from folio self.start: a long issue's made
        from specimens (asked for here, those of each digit count to the book's likely end)."""
        if self.samples is None:
            text = overlay_html(self.split, self.start, names)
            return self.submit(f"overlay{len(self.chunks)}", text, share=True)
        pages = sum(chunk.pages for chunk in self.chunks)
        likely = self.start + len(names) + 2 * pages * len(self.bounds) // len(self.chunks)
        keys = self.samples.ask_folios(names, self.start, likely)
        return Sketch(tuple(names), self.start, keys)

    def _join_overlays(self) -> None:
        """Join the chunks whose folio overlay is in, in order (one made from specimens that do
        not vouch for all its pages is submitted to WeasyPrint instead)."""
        assert self.book is not None
        while self.joined < len(self.overlays):
            job, first, last = self.overlays[self.joined]
            if isinstance(job, Sketch):
                assert self.samples is not None
                if not self.samples.ready(job.specimens):
                    return
                made = self.samples.folio_overlay(
                    job.specimens, job.names, job.start, self.book.opened
                )
                if made is None:
                    text = overlay_html(self.split, job.start, list(job.names))
                    redo = self.submit(f"overlay{last}", text, share=True)
                    self.overlays[self.joined] = (redo, first, last)
                    continue
                self.book.add(self.chunks[first:last], [made])
            elif job.done():
                self.book.add(self.chunks[first:last], [job.result()])
            else:
                return
            self.joined += 1

    def _before_toc(self) -> int:
        return sum(probe.pages for probe in self.counted[:-1])

    def _number_toc(self) -> None:
        """The overlays of the runs of TOC pages whose articles are all laid out.

        The runs are fixed, NUMBERS_PAGES each from the first page, whenever the chunks come
        in: after an edit, when the chunks come from the layout cache all at once, the same
        overlays are asked for as in the cold build, and are taken from the cache too."""
        toc = self.counted[-1]
        folios = article_folios(self.chunks, sum(p.pages for p in self.counted))
        last = len(self.chunks) == len(self.bounds)
        ready = toc.pages if last else numbered_pages(toc, folios, self.numbered)
        first = self.numbered
        if self.samples is not None and not self.toc_keys and first < ready:
            names = toc.page_names
            self.samples.ask_numbers(self.parts[-1], toc)
            start = self._before_toc() + 1
            self.toc_keys = self.samples.ask_folios(names, start, start + len(names) - 1)
        while first < ready and min(first + NUMBERS_PAGES, toc.pages) <= ready:
            end = min(first + NUMBERS_PAGES, toc.pages)
            page = self._before_toc() + 1 + first
            if self.samples is not None:
                names = toc.page_names[first:end]
                sketch = Sketch(names, page, self.toc_keys, folios, first)
                self.numbers.append((sketch, first))
            else:
                text = stamp_html(self.parts[-1], page, toc, folios, first, end)
                self.numbers.append((self.submit(f"numbers{first}", text, share=True), first))
            first = end
        self.numbered = first

    def _draw_numbers(self) -> None:
        """Draw the TOC numbers' overlays that are in, in order (those made from specimens that
        do not vouch for all their pages are submitted to WeasyPrint instead)."""
        assert self.book is not None
        while self.drawn_on < len(self.numbers):
            job, first = self.numbers[self.drawn_on]
            at = self._before_toc() + first
            if isinstance(job, Sketch):
                made = self._made_numbers(job)
                if made is None:
                    return
                self.book.draw_on(at, [made[0]])  # the numbers, then the folios
                self.book.draw_on(at, [made[1]])
            elif job.done():
                self.book.draw_on(at, [job.result()])
            else:
                return
            self.drawn_on += 1

    def _made_numbers(self, sketch: Sketch) -> tuple[Derived, Derived] | None:
        """The TOC numbers and folios of `sketch`, made from specimens; None while those are not
        in, and where they do not vouch for its pages (its overlay then submitted instead)."""
        assert self.samples is not None and self.book is not None and sketch.folios is not None
        if not self.samples.ready(sketch.specimens, numbers=True):
            return None
        toc, probe = self.parts[-1], self.counted[-1]
        if made := self.samples.toc_overlays(toc, probe, sketch, self.book.opened):
            return made
        end = sketch.first + len(sketch.names)
        text = stamp_html(toc, sketch.start, probe, sketch.folios, sketch.first, end)
        self.numbers[self.drawn_on] = (
            self.submit(f"numbers{sketch.first}", text, share=True),
            sketch.first,
        )
        return None

    def _laid(self) -> Laid:
        assert self.book is not None
        counted = [probe.result() for probe in self.probes]
        shared = self.programs.result() if self.programs is not None else []
        numbers_drawn = [job.result() for job, _ in self.numbers if not isinstance(job, Sketch)]
        numbers_drawn += [job.result() for job in self.samples.jobs()] if self.samples else []
        stamped = len(self.book.fronts) == len(counted)  # the TOC is in as laid out
        return Laid(
            self.parts,
            counted,
            self.chunks,
            self.book,
            numbers_drawn,
            stamped,
            shared,
            self.bounds,
            self.said,
        )


def _subset_shared(pool: Pool, parts: Sequence[Rendered], folder: Path) -> Job | None:
    """A job making the one program of each face the parts share (None if they share none)."""
    from publish.pdf.weasy import sharedfonts

    faces = sharedfonts.union(part.glyphs for part in parts)
    return pool.submit(shared_programs, faces, folder) if faces else None
