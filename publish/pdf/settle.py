"""The front matter settled once the articles are laid out: where the book's pages begin, and
the TOC set again with its real numbers, for layouts whose numbers could move its lines.

The TOC is set in two halves on two processes where its probe shows a clean page to cut at, and
again, whole, if it does not come out as the probe did.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from publish.model import PageStart
from publish.pdf.overlays import article_folios
from publish.pdf.parts import Split, front_html, open_elements
from publish.pdf.worker import Rendered
from publish.run.pools import Job


def book_starts(fronts: Sequence[Rendered], chunks: Sequence[Rendered]) -> tuple[PageStart, ...]:
    """Where the book's pages begin: each chunk's own starts moved past the pages before it."""
    before, starts = sum(front.pages for front in fronts), []
    for chunk in chunks:
        starts += [replace(start, page=start.page + before) for start in chunk.starts]
        before += chunk.pages
    return tuple(starts)


def hand_over(
    fronts: Sequence[Rendered],
    chunks: Sequence[Rendered],
    pages_ready: Callable[[tuple[PageStart, ...]], object] | None,
) -> None:
    """Give the book's page starts to whoever waits for them."""
    if pages_ready is not None:
        pages_ready(book_starts(fronts, chunks))


def halves(split: Split, probe: Rendered) -> tuple[list[Split], int] | None:
    """The TOC part cut in two at a page that starts with a list item of its own, the one
    nearest the middle, and the pages before it; None where there is no such page, or the
    list items of the HTML are not those the probe laid out."""
    found = [m.start() for m in re.finditer(r"<li\b", split.front)]
    starts = [(page, first) for page, first in enumerate(probe.items) if page and first > 0]
    if not starts or probe.item_count != len(found):
        return None
    page, first = min(starts, key=lambda start: abs(2 * start[0] - probe.pages))
    cut = found[first]
    held = open_elements(split.front[:cut])  # the list and what holds it: closed, then reopened
    closing = "".join(f"</{name}>" for name, _ in reversed(held))
    before = replace(split, front=split.front[:cut] + closing)
    after = replace(split, front="".join(tag for _, tag in held) + split.front[cut:])
    return [before, after], page


class Settled:
    """The TOC with real numbers after `before` pages, its first try submitted at once: in two
    halves on two processes where the probe shows a clean page to cut at, else whole.
    `result()` sets it again, whole, if the halves did not fall as the probe did or the
    numbers changed its length (which moves every article)."""

    def __init__(
        self,
        split: Split,
        probe: Rendered,
        chunks: list[Rendered],
        before: int,
        submit: Callable[[str, str], Job],
    ) -> None:
        self.split, self.chunks, self.before, self.submit = split, chunks, before, submit
        self.pages, self.attempt = before + probe.pages, 0
        self.cut = halves(split, probe)
        self.pending = self._set()

    def _set(self) -> list[Job]:
        folios = article_folios(self.chunks, self.pages)
        self.attempt += 1
        if self.cut is None:
            html = front_html(self.split, folios, self.before + 1 if self.before else 0)
            return [self.submit(f"toc{self.attempt}", html)]
        (first, second), page = self.cut
        return [
            self.submit(
                f"toc{self.attempt}a",
                front_html(first, folios, self.before + 1 if self.before else 0),
            ),
            self.submit(f"toc{self.attempt}b", front_html(second, folios, self.before + page + 1)),
        ]

    def result(self) -> list[Rendered]:
        while True:
            fronts = [future.result() for future in self.pending]
            if self.cut and fronts[0].pages != self.cut[1]:
                self.cut = None  # the halves broke elsewhere than one render: set it whole
            elif self.before + sum(front.pages for front in fronts) == self.pages:
                return fronts
            else:
                self.pages = self.before + sum(front.pages for front in fronts)
            if self.attempt == 3:
                raise RuntimeError("the table of contents does not settle on a page count")
            self.pending = self._set()
