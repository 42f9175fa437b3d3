"""A chunk of articles laid out from pieces: the pages of its unchanged articles taken from the
layout cache, only the edited ones laid out again.

Every article starts a page and nothing it draws depends on what comes before it (that is what
lets a long issue be cut into chunks at all), so an article's pages are the same wherever it is
laid out: alone, or anywhere in a chunk. Each chunk laid out leaves one reference per article
in the layout cache, keyed by that article's HTML (with the chunk's styles, and the chunk's end
for its last article): the entry of the chunk and the pages the article took there. A chunk not
in the cache as a whole is then made of the pages its references name, and of runs of the
articles with none, each laid out as a document of its own.
"""

from __future__ import annotations

import dataclasses
import logging
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from publish.pdf.parts import Split, article_ids, split_articles
from publish.run.layoutcache import LayoutCache, digest

LOGGER = logging.getLogger(__name__)
END = "\n</body>\n</html>\n"
"""How a run of articles that does not end its chunk ends."""

Rendered = Any
"""publish.pdf.worker.Rendered (which imports this module)."""


@dataclass(frozen=True)
class Piece:
    """Pages [first, first + count) of a laid-out document, in a chunk being made."""

    rendered: Rendered
    first: int
    count: int


def chunk_parts(html: str) -> Split | None:
    """The chunk `html` cut at its articles, each with an id; None for any other document."""
    try:
        split = split_articles(html)
    except ValueError:
        return None
    count = len(split.articles)
    if split.front.strip() or len(article_ids(split, 0, count)) != count:
        return None
    return split


def article_keys(context: str, split: Split, share: bool) -> list[str]:
    """The reference key of each article of a chunk: what determines its pages."""
    last = len(split.articles) - 1
    return [
        digest(context, "article", str(share), split.head, text, split.tail if i == last else "")
        for i, text in enumerate(split.articles)
    ]


def starts(split: Split, rendered: Rendered) -> list[int] | None:
    """The page each article of a laid-out chunk starts on; None if they are not in order."""
    first_page: dict[str, int] = {}
    for name, page, *_ in rendered.anchors:
        first_page.setdefault(name, page)
    ids = article_ids(split, 0, len(split.articles))
    found = [first_page.get(name, -1) for name in ids]
    ordered = all(a < b for a, b in zip(found, found[1:], strict=False))
    return found if found and found[0] == 0 and ordered and found[-1] < rendered.pages else None


def index(
    cache: LayoutCache, keys: Sequence[str], split: Split, entry: str, rendered: Rendered
) -> None:
    """Keep a reference for each article of the chunk kept as `entry`: where its pages are."""
    found = starts(split, rendered)
    if found is None:
        return
    for key, first, end in zip(keys, found, [*found[1:], rendered.pages], strict=True):
        cache.put_ref(key, {"entry": entry, "first": first, "count": end - first})


def assemble(
    cache: LayoutCache,
    keys: Sequence[str],
    split: Split,
    out: Path,
    taken: Callable[[dict[str, Any], Path], Rendered],
    lay_out: Callable[[str, Path], Rendered],
) -> Rendered | None:
    """The chunk written to `out` from the pages its articles' references name, the others
    laid out in runs; None if no article has a reference (the chunk is laid out whole)."""
    refs = [cache.take_ref(key) for key in keys]
    if not any(refs):
        return None
    sources: dict[str, Rendered | None] = {}
    pieces: list[Piece | int] = []  # a piece taken, or the index of an article to lay out
    for number, ref in enumerate(refs):
        piece = _taken_piece(cache, ref, sources, out, taken) if ref else None
        pieces.append(piece if piece is not None else number)
    if all(isinstance(piece, int) for piece in pieces):
        return None
    pieces, fresh = _lay_out_runs(pieces, split, out, lay_out)
    return combine(pieces, out, fresh)


def _taken_piece(
    cache: LayoutCache,
    ref: dict[str, Any],
    sources: dict[str, Rendered | None],
    out: Path,
    taken: Callable[[dict[str, Any], Path], Rendered],
) -> Piece | None:
    """The pages a reference names, its entry taken once per chunk; None if it is gone."""
    entry = str(ref.get("entry"))
    if entry not in sources:
        path = out.with_name(f"{out.stem}-was{len(sources)}.pdf")
        report = cache.take(entry, path)
        sources[entry] = taken(report, path) if report is not None else None
    source, first, count = sources[entry], ref.get("first"), ref.get("count")
    if source is None or not isinstance(first, int) or not isinstance(count, int):
        return None
    return Piece(source, first, count) if 0 <= first < first + count <= source.pages else None


def _lay_out_runs(
    pieces: list[Piece | int], split: Split, out: Path, lay_out: Callable[[str, Path], Rendered]
) -> tuple[list[Piece], list[str]]:
    """Each run of articles with no pages taken laid out as a document of its own; the pieces
    in order, and the ids of the articles laid out."""
    done: list[Piece] = []
    fresh: list[str] = []
    run: list[int] = []
    for piece in [*pieces, None]:
        if isinstance(piece, int):
            run.append(piece)
            continue
        if run:
            first, last = run[0], run[-1] + 1
            end = split.tail if last == len(split.articles) else END
            html = split.head + "".join(split.articles[first:last]) + end
            rendered = lay_out(html, out.with_name(f"{out.stem}-run{first}.pdf"))
            done.append(Piece(rendered, 0, rendered.pages))
            fresh += article_ids(split, first, last)
            run = []
        if piece is not None:
            done.append(piece)
    return done, fresh


def combine(pieces: Sequence[Piece], out: Path, fresh: Sequence[str]) -> Rendered:
    """One PDF of the pieces' pages at `out`, and its report (the first piece's catalog kept,
    as one render would have it). Made with qpdf (pikepdf), as the book is joined: pypdf took
    ~0.15 s to parse and rebuild a ten-page chunk in Python."""
    import pikepdf

    from publish.pdf.weasy.sharedfonts import union

    book, opened = pikepdf.open(pieces[0].rendered.out), {}  # sources apart: their pages stay
    try:
        first, end = pieces[0].first, pieces[0].first + pieces[0].count
        for index in reversed(range(len(book.pages))):  # the first piece's pages only
            if not first <= index < end:
                del book.pages[index]
        with warnings.catch_warnings():  # the book's destinations are written anew, by name
            warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
            for piece in pieces[1:]:
                path = piece.rendered.out
                if path not in opened:
                    opened[path] = pikepdf.open(path)
                book.pages.extend(opened[path].pages[piece.first : piece.first + piece.count])
        # what only the pages left out used is not reachable from the catalog: not written
        book.save(out, stream_decode_level=pikepdf.StreamDecodeLevel.none)
    finally:
        for pdf in [book, *opened.values()]:
            pdf.close()
    report = _report(pieces)
    sources = list({id(p.rendered): p.rendered for p in pieces}.values())
    logged = tuple(dict.fromkeys(w for source in sources for w in source.warnings))
    glyphs = tuple(union(source.glyphs for source in sources))
    return dataclasses.replace(
        pieces[0].rendered,
        out=out,
        glyphs=glyphs,
        warnings=logged,
        reused=False,
        fresh=tuple(fresh),
        **report,
    )


def _report(pieces: Sequence[Piece]) -> dict[str, Any]:
    """Pages, anchors, bookmarks and page names of the pieces joined, their pages renumbered."""
    anchors: list[tuple] = []
    bookmarks: list[tuple] = []
    names: list[str] = []
    starts: list[Any] = []
    for piece in pieces:
        offset, end = len(names) - piece.first, piece.first + piece.count
        anchors += [
            (a[0], a[1] + offset, *a[2:])
            for a in piece.rendered.anchors
            if piece.first <= a[1] < end
        ]
        bookmarks += [
            (b[0] + offset, *b[1:]) for b in piece.rendered.bookmarks if piece.first <= b[0] < end
        ]
        names += piece.rendered.page_names[piece.first : end]
        starts += [  # PageStart: numbered from 1, its offset counted in its own article
            dataclasses.replace(start, page=start.page + offset)
            for start in piece.rendered.starts
            if piece.first < start.page <= end
        ]
    return {
        "pages": len(names),
        "anchors": tuple(anchors),
        "bookmarks": tuple(bookmarks),
        "page_names": tuple(names),
        "starts": tuple(starts),
    }
