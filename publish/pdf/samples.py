"""The specimens one long issue's schedule asks for, and the overlays made from them.

The schedule asks for folio specimens as its folio overlays come due and for the TOC numbers'
specimen once the TOC's probe is in; each is a small render job like any other (the layout cache
keeps it for the next build). What a specimen vouches for is read once, in the parent, from
the PDF the book has open; an overlay it does not vouch for is left to WeasyPrint.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from publish.pdf.parts import Split
from publish.pdf.specimens import (
    MOST_DIGITS,
    Derived,
    Figures,
    Specimen,
    derive,
    derive_numbers,
    numbers_specimen,
    read_figures,
    read_specimen,
    specimen_html,
)
from publish.pdf.worker import Rendered
from publish.run.pools import Job

Submit = Callable[[str, str], Job]
"""(name, html) -> the render job of a specimen."""


@dataclass(frozen=True)
class Sketch:
    """An overlay to be made from specimens, once they are in: of folios from `start` on pages
    named `names`, and if `folios`, of the TOC numbers of its pages (from TOC page `first`)."""

    names: tuple[str, ...]
    start: int
    specimens: tuple[tuple[str, int], ...]
    """The (named page, digit count) of the folio specimens it needs."""
    folios: dict[str, int] | None = None
    first: int = 0


@dataclass
class Samples:
    """Specimens asked for and read; folio overlays and TOC numbers made from them."""

    split: Split
    submit: Submit
    folios: dict[tuple[str, int], Job] = field(default_factory=dict)
    """The folio specimens by (named page, digit count)."""
    read: dict[tuple[str, int], Specimen | None] = field(default_factory=dict)
    numbers: Job | None = None
    """The TOC numbers' specimen, once asked for (None also where a TOC has none)."""
    copied: tuple[Any, ...] = ()
    """The slot of each kind the numbers' specimen copies."""
    figures: Figures | None = None
    figures_read: bool = False

    def jobs(self) -> list[Job]:
        """Every specimen job asked for."""
        return [*self.folios.values(), *([self.numbers] if self.numbers else [])]

    def ask_folios(
        self, names: Sequence[str], first: int, last: int
    ) -> tuple[tuple[str, int], ...]:
        """Ask for the folio specimens of pages named `names` with folios from `first` to `last`
        (those of 5 digits and more: never); their keys."""
        wanted = range(len(str(first)), min(len(str(last)), MOST_DIGITS) + 1)
        for name in dict.fromkeys(names):
            for digits in wanted:
                if (name, digits) not in self.folios:
                    text = specimen_html(self.split, name, digits)
                    # named by key, not by turn: the resource names in the book follow
                    label = f"specimen-{name or 'page'}-{digits}"
                    self.folios[name, digits] = self.submit(label, text)
        return tuple(key for key in self.folios if key[0] in names)

    def ask_numbers(self, toc: Split, probe: Rendered) -> None:
        """Ask for the specimen of the TOC `probe`'s numbers (none where it cannot be made)."""
        made = numbers_specimen(toc, probe)
        if made is not None:
            self.numbers = self.submit("specimen-numbers", made[0])
            self.copied = made[1]

    def ready(self, keys: Sequence[tuple[str, int]], numbers: bool = False) -> bool:
        """Whether the specimens of `keys` (and the numbers', if `numbers`) are in."""
        waiting = [self.folios[key] for key in keys]
        if numbers and self.numbers is not None:
            waiting.append(self.numbers)
        return all(job.done() for job in waiting)

    def folio_overlay(
        self, keys: Sequence[tuple[str, int]], names: Sequence[str], start: int, opened: Any
    ) -> Derived | None:
        """The folio overlay of pages named `names` from folio `start`, made from the specimens
        of `keys`; None where they do not vouch for one of its pages. `opened`: a PDF's path
        -> the document open (the book's)."""
        found = [self._specimen(key, opened) for key in keys]
        return derive([s for s in found if s], names, start)

    def numbers_overlay(
        self,
        toc: Split,
        probe: Rendered,
        folios: dict[str, int],
        first: int,
        last: int,
        opened: Any,
    ) -> Derived | None:
        """The numbers of TOC pages [first, last) made from the numbers' specimen, or None."""
        if not self.figures_read and self.numbers is not None:
            rendered = self.numbers.result()
            pdf = opened(rendered.out)
            self.figures = read_figures(rendered, pdf, toc.front, self.copied)
        self.figures_read = True
        if self.figures is None:
            return None
        return derive_numbers(self.figures, probe, toc.front, folios, first, last)

    def toc_overlays(
        self, toc: Split, probe: Rendered, sketch: Sketch, opened: Any
    ) -> tuple[Derived, Derived] | None:
        """The TOC numbers and the folios of the TOC pages of `sketch`, or None."""
        assert sketch.folios is not None
        end = sketch.first + len(sketch.names)
        folios = self.folio_overlay(sketch.specimens, sketch.names, sketch.start, opened)
        numbers = self.numbers_overlay(toc, probe, sketch.folios, sketch.first, end, opened)
        return (numbers, folios) if folios is not None and numbers is not None else None

    def _specimen(self, key: tuple[str, int], opened: Callable[[Path], Any]) -> Specimen | None:
        if key not in self.read:
            rendered = self.folios[key].result()
            self.read[key] = read_specimen(rendered, opened(rendered.out), *key)
        return self.read[key]
