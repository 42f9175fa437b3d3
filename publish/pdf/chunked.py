"""Long issues laid out in chunks on all cores, then joined into the PDF one render would give.

Layout (Pango line breaking) is ~80 % of WeasyPrint's time and grows with pages, so a long
issue is cut at its articles (each starts a new page) and the chunks are laid out in parallel
processes. Nothing a chunk draws depends on where it starts, because the layout's pages are
symmetric (no :left/:right rules): only what counts pages does. So each chunk is set without its
folio; once the page counts before it are known its folios are drawn by a tiny overlay document
(empty pages with only the folio margin box, `counter-reset: page <start>`) and the parent
joins it into the book with pypdf while the next chunks are laid out. The TOC is laid out once
with its page numbers hidden; as soon as the articles of a run of its pages are laid out,
another overlay draws their numbers where they fell (stamp_html), or, for a layout whose
numbers could move its lines, the TOC is set again with them at the end (_Settled). The chunks
and the TOC share one program per font face, subset once the last chunk is in
(publish.pdf.weasy.sharedfonts). The book gets one named-destination tree (TOC links) and one
outline (bookmarks): see publish.pdf.join.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import logging
import multiprocessing
import os
import re
import tempfile
from collections.abc import Callable, Collection, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from publish.pdf.join import Book
from publish.run.forkpool import ForkPool, Job

if TYPE_CHECKING:
    from publish.pdf.weasy.sharedfonts import Glyphs, Program

LOGGER = logging.getLogger(__name__)

SCALE = 0.75
"""PDF points per CSS pixel (WeasyPrint's zoom 1)."""
PLACEHOLDER = "000"
"""TOC page number used while the real ones are unknown; as wide as the numbers of most books."""

_ARTICLE = re.compile(r"<article\b.*?</article>\s*", re.S)
_BODY_OPEN = re.compile(r"<body\b[^>]*>", re.S)
_TARGET_COUNTER = re.compile(r"target-counter\(\s*attr\(\s*href[^)]*\)\s*,\s*page\s*\)")
_CONTENT = re.compile(r"content\s*:[^;}]*")
TOC_START = '<nav class="toc"'
"""Where the special-issue layout's table of contents begins."""
_ID = re.compile(r'<article\b[^>]*?\bid="([^"]+)"')
_TOC_LINK = re.compile(r'<a\b([^>]*?)href="#([^"]+)"')

progress = logging.getLogger("publish.progress")
"""Progress of long work; the command line shows it unless --quiet."""


@dataclass(frozen=True)
class Split:
    """A print HTML cut at its articles: what comes before, each article, what comes after."""

    head: str
    """Everything up to and including the <body> tag (styles included)."""
    front: str
    """Body content before the first article (cover, TOC)."""
    articles: tuple[str, ...]
    """Each <article> element, in order."""
    tail: str
    """Body content after the last article, with the closing tags."""


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


_SETTINGS = Settings()


def _start_worker(settings: Settings) -> None:
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
    anchors: tuple[tuple[str, int, float, float], ...]
    """(id, page index, x, y) of every element with an id."""
    bookmarks: tuple[tuple[int, int, str, float, float, str], ...]
    """(page index, level, label, x, y, state) in document order."""
    page_names: tuple[str, ...]
    """The CSS named page of every page ('' for none), for the folio overlay."""
    items: tuple[int, ...] = ()
    """Of a front matter probe: for every page, the ordinal of the list item (<li>) it starts
    with, or -1 when it starts inside one (or holds none)."""
    item_count: int = 0
    """Of a front matter probe: how many list items it laid out."""
    slots: tuple[tuple[int, str, float, float, float, str], ...] | None = None
    """Of a front matter probe: where it laid out each TOC page number, hidden, as (page index,
    target id, x, y, width, 'before' or 'after'), in CSS px from the page's content area; None
    where a number's width could change the layout (then the TOC is set again with them)."""
    warnings: tuple[tuple[str, str], ...] = ()
    """(logger, message) of every warning the render logged, to be logged again by the parent."""
    glyphs: tuple[Glyphs, ...] = ()
    """The glyphs of each face whose font file it holds only as a placeholder (its fonts were
    shared): the book's one program of the face must hold them."""


def split_articles(html: str) -> Split:
    """Cut a print HTML at its top-level <article> elements."""
    body = _BODY_OPEN.search(html)
    found = list(_ARTICLE.finditer(html))
    if body is None or not found:
        raise ValueError("the print HTML has no <body> or no <article> to cut at")
    head, first, last = html[: body.end()], found[0].start(), found[-1].end()
    return Split(head, html[body.end() : first], tuple(m.group(0) for m in found), html[last:])


def page_rules(css: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, prelude) of every top-level @page rule, braces matched."""
    for match in re.finditer(r"@page\b([^{]*)\{", css):
        depth, index = 1, match.end()
        while depth and index < len(css):
            depth += {"{": 1, "}": -1}.get(css[index], 0)
            index += 1
        yield match.start(), index, match.group(1).strip()


def _rewrite_pages(css: str, rule: Callable[[str, str], str]) -> str:
    """Apply `rule(prelude, text)` to every @page rule of `css`."""
    out, position = [], 0
    for start, end, prelude in page_rules(css):
        out += [css[position:start], rule(prelude, css[start:end])]
        position = end
    return "".join(out) + css[position:]


def _is_folio(declaration: str) -> bool:
    return "counter(page)" in declaration.replace(" ", "")


def chunk_css(css: str) -> str:
    """Styles for an article chunk: no folio (drawn later) and no first-page (cover) rules."""

    def rule(prelude: str, text: str) -> str:
        if ":first" in prelude:
            return ""
        return _CONTENT.sub(
            lambda m: "content: none" if _is_folio(m.group(0)) else m.group(0), text
        )

    return _rewrite_pages(css, rule)


def overlay_css(css: str, start: int) -> str:
    """Styles for the folio overlay: of the margin boxes only those counting pages, from `start`."""

    def rule(prelude: str, text: str) -> str:
        if ":first" in prelude:
            return ""
        return _CONTENT.sub(
            lambda m: m.group(0) if _is_folio(m.group(0)) else "content: none", text
        )

    # the page context inherits from the root element, so the root's styles stay as they are
    own = f"@page :first {{ counter-reset: page {start} }} .folio-page {{ break-after: page }}"
    return _rewrite_pages(css, rule) + own


def front_css(css: str, hidden: bool = False) -> str:
    """Styles for the front matter: TOC page numbers come as text in data-folio attributes;
    `hidden`: laid out but not drawn (they are drawn on once known, see stamp_html)."""
    if not hidden:
        return _TARGET_COUNTER.sub("attr(data-folio)", css)

    def declaration(m: re.Match[str]) -> str:
        if not _TARGET_COUNTER.search(m.group(0)):
            return m.group(0)
        return _TARGET_COUNTER.sub("attr(data-folio)", m.group(0)) + "; visibility: hidden"

    return _CONTENT.sub(declaration, css)


def _map_styles(html: str, change: Callable[[str], str]) -> str:
    return re.sub(
        r"(<style\b[^>]*>)(.*?)(</style>)",
        lambda m: m.group(1) + change(m.group(2)) + m.group(3),
        html,
        flags=re.S,
    )


def chunk_html(split: Split, first: int, last: int) -> str:
    """The document of articles [first, last): the head, those articles, the tail if last."""
    end = split.tail if last == len(split.articles) else "\n</body>\n</html>\n"
    return _map_styles(split.head, chunk_css) + "".join(split.articles[first:last]) + end


def front_html(
    split: Split, folios: dict[str, int], first_folio: int = 0, stamped: bool = False
) -> str:
    """The front matter, TOC numbers as text, its first page numbered `first_folio` if given;
    `stamped`: without folios and with the TOC numbers hidden, both drawn on later."""

    def number(m: re.Match[str]) -> str:
        folio = folios.get(m.group(2), PLACEHOLDER)
        return f'<a{m.group(1)}data-folio="{folio}" href="#{m.group(2)}"'

    def styles(css: str) -> str:
        if stamped:
            return chunk_css(front_css(css, hidden=True))
        css = front_css(css)
        if first_folio:  # a TOC set apart from its cover: no cover rules, numbered on from it
            css = _rewrite_pages(css, lambda prelude, text: "" if ":first" in prelude else text)
            css += f"@page :first {{ counter-reset: page {first_folio} }}"
        return css

    front = _TOC_LINK.sub(number, split.front)
    return _map_styles(split.head, styles) + front + _stubs(split) + "\n</body>\n</html>\n"


def _stubs(split: Split, targets: Collection[str] | None = None) -> str:
    """Hidden anchors of the articles the front matter links to (only `targets`, if given):
    WeasyPrint keeps the links."""
    if not _TOC_LINK.search(split.front):
        return ""
    ids = (found.group(1) for found in map(_ID.search, split.articles) if found)
    stubs = "".join(
        f'<span id="{name}"></span>' for name in ids if targets is None or name in targets
    )
    return f'<div style="position:absolute;width:0;height:0;overflow:hidden">{stubs}</div>'


def cut_front(split: Split) -> list[Split]:
    """The front matter as its cover and its TOC, when the layout marks the TOC as <nav class=toc>.

    Set apart, each holds half the memory, and the cover is set once: it has no TOC numbers.
    """
    cover, toc, rest = split.front.partition(TOC_START)
    if not toc:
        return [split]
    return [replace(split, front=cover), replace(split, front=toc + rest)]


_TAG = re.compile(r"<(/?)([a-zA-Z][\w-]*)\b[^>]*?(/?)>")
_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    ]
)


def open_elements(html: str) -> list[tuple[str, str]]:
    """(name, opening tag) of the elements still open at the end of `html` (a fragment)."""
    stack: list[tuple[str, str]] = []
    for _ in _walk(html, stack):
        pass
    return stack


def _walk(html: str, stack: list[tuple[str, str]]) -> Iterator[re.Match[str]]:
    """Every tag of `html`, yielded before `stack` (the open elements) takes it in."""
    for match in _TAG.finditer(html):
        yield match
        closing, name, empty = match.group(1), match.group(2).lower(), match.group(3)
        if closing:
            names = [n for n, _ in stack]
            if name in names:
                del stack[len(names) - 1 - names[::-1].index(name) :]
        elif not empty and name not in _VOID:
            stack.append((name, match.group(0)))


@functools.lru_cache(maxsize=2)
def _links(front: str) -> dict[str, tuple[re.Match[str], list[tuple[str, str]]]]:
    """The first link to each target in `front`, with the elements open around it (read once
    per front: each TOC numbers' overlay asks again; ~25 ms for 1,000 entries)."""
    found: dict[str, tuple[re.Match[str], list[tuple[str, str]]]] = {}
    stack: list[tuple[str, str]] = []
    for tag in _walk(front, stack):
        link = _TOC_LINK.match(front, tag.start())
        if link and link.group(2) not in found:
            found[link.group(2)] = (link, list(stack))
    return found


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


def overlay_html(split: Split, start: int, names: Sequence[str]) -> str:
    """Empty pages, one per article page, that draw only the folios from page `start`."""
    head = _map_styles(split.head, lambda css: overlay_css(css, start))
    head = _BODY_OPEN.sub("<body>", head)
    pages = "".join(
        f'<div class="folio-page" style="page: {n}"></div>'
        if n
        else '<div class="folio-page"></div>'
        for n in names
    )
    return head + pages + "</body></html>"


_STAMP_CSS = (
    "".join(
        f'[data-stamp="{pseudo}"]::{pseudo} {{ display: block !important }}'
        f'[data-stamp="{pseudo}"]::{other} {{ content: none !important }}'
        for pseudo, other in (("before", "after"), ("after", "before"))
    )
    + "[data-inert] { display: block !important; position: static !important;"
    " float: none !important; margin: 0 !important; padding: 0 !important; border: 0 !important;"
    " width: auto !important; height: auto !important; columns: auto !important;"
    " text-indent: 0 !important; list-style: none !important; break-before: auto !important;"
    " break-after: auto !important; page: auto !important }"
    "[data-place] { display: block !important; position: absolute !important;"
    " float: none !important; margin: 0 !important; padding: 0 !important; border: 0 !important }"
    "html, body { margin: 0 !important; padding: 0 !important; border: 0 !important }"
)
"""For the TOC numbers' overlay: the elements around a number keep the styles they pass on but
lose their boxes ([data-inert]); the innermost takes the place and width of the probe's number
box ([data-place]), and the number's box is a block at its top: the same box, no line around."""


def stamp_html(
    split: Split, start: int, probe: Rendered, folios: dict[str, int], first: int, last: int
) -> str:
    """Empty pages, one per page [first, last) of the TOC `probe`, that draw its folios from
    page `start` and its page numbers where the probe laid them out, hidden.

    Each number is the same pseudo-element of a copy of the same link, inside copies of the same
    elements (so it inherits the same styles), positioned where the probe put its box.
    """
    assert probe.slots is not None
    head = _map_styles(split.head, lambda css: overlay_css(front_css(css), start) + _STAMP_CSS)
    links = _links(split.front)
    names = probe.page_names[first:last]
    pages: list[list[tuple[list[tuple[str, str]], str]]] = [[] for _ in names]
    targets = set()
    for index, target, x, y, width, pseudo in probe.slots:
        if not first <= index < last:
            continue
        targets.add(target)
        link, held = links[target]
        place = f"left: {x!r}px; top: {y!r}px; width: {width!r}px"
        anchor = (
            f'<a{link.group(1)}data-folio="{folios.get(target, PLACEHOLDER)}" '
            f'data-stamp="{pseudo}" data-inert href="#{target}"></a>'
        )
        entry = _with(held[-1][1], f'data-place style="{place}"') + anchor + f"</{held[-1][0]}>"
        pages[index - first].append((held[:-1], entry))
    body = []
    for name, entries in zip(names, pages, strict=True):
        body.append(f'<div class="folio-page" style="position: relative; page: {name or "auto"}">')
        around: list[tuple[str, str]] = []
        for held, entry in entries:  # the elements around consecutive entries opened once
            if held != around:
                body += [f"</{name}>" for name, _ in reversed(around)]
                body += [_with(tag, "data-inert") for _, tag in held]
                around = held
            body.append(entry)
        body += [f"</{name}>" for name, _ in reversed(around)] + ["</div>"]
    # stubs for these pages' links only: a thousand empty spans would cost more than the numbers
    stubs = _stubs(split, targets)
    return _BODY_OPEN.sub("<body>", head) + stubs + "".join(body) + "</body></html>"


def _with(tag: str, attributes: str) -> str:
    """An opening tag with `attributes` added, its own style attribute dropped."""
    tag = re.sub(r'\sstyle="[^"]*"', "", tag)
    return f"{tag[:-1].rstrip('/')} {attributes}>"


def render_job(html: str, out: Path, items: bool = False, share: bool = False) -> Rendered:
    """Lay out and write one document (runs in a worker process); `items`: report where its
    list items fall; `share`: its fonts are shared, if the settings allow (their programs are
    placeholders, put in when the book is joined)."""
    import weasyprint

    from publish.pdf.weasy import sharedfonts
    from publish.run.logs import collect_warnings

    # WeasyPrint 70 has no default_url_fetcher function: no fetcher given means its own
    fetcher = {"url_fetcher": _SETTINGS.fetcher} if _SETTINGS.fetcher else {}
    sharedfonts.sharing(share and _SETTINGS.font_files is not None)
    with collect_warnings() as collector:
        document = weasyprint.HTML(string=html, base_url=_SETTINGS.base_url, **fetcher)
        document = document.render()
        document.write_pdf(out, **_SETTINGS.options)
    rendered = replace(_report(document, out), glyphs=sharedfonts.take_glyphs())
    if items:
        rendered = replace(rendered, **_list_items(document), slots=_number_slots(document))
    logged = tuple(tuple(m.split(": ", 1)) for m in collector.counts.elements())
    return replace(rendered, warnings=logged)


@contextlib.contextmanager
def _frozen() -> Iterator[None]:
    """This process's objects kept out of garbage collection while it forks workers.

    A forked worker shares the parent's memory until it writes to it, and a collection writes
    to every object it walks: each worker would copy the parent's whole heap page by page.
    Frozen, the parent's objects are not walked.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _report(document: Any, out: Path) -> Rendered:
    anchors, bookmarks, names = [], [], []
    for index, page in enumerate(document.pages):
        height = page.height
        for name, (x, y, _, _) in page.anchors.items():
            anchors.append((name, index, x * SCALE, (height - y) * SCALE))
        for level, label, (x, y), state in page.bookmarks:
            bookmarks.append((index, level, label, x * SCALE, (height - y) * SCALE, state))
        names.append(page._page_box.page_type.name or "")
    return Rendered(out, len(document.pages), tuple(anchors), tuple(bookmarks), tuple(names))


def _list_items(document: Any) -> dict[str, Any]:
    """The ordinal of the list item each page starts with (-1 if none), and how many there are."""
    ordinals: dict[int, int] = {}
    firsts = []
    for page in document.pages:
        first = None
        for box in page._page_box.descendants():
            if box.element_tag != "li" or box.element is None:
                continue
            new = id(box.element) not in ordinals
            ordinal = ordinals.setdefault(id(box.element), len(ordinals))
            first = ordinal if first is None and new else (-1 if first is None else first)
        firsts.append(-1 if first is None else first)
    return {"items": tuple(firsts), "item_count": len(ordinals)}


def _number_slots(
    document: Any,
) -> tuple[tuple[int, str, float, float, float, str], ...] | None:
    """Where each page number (a link's pseudo-element showing only the placeholder) was laid
    out; None if one of them could change the layout with its width (not an inline-block of a
    set width)."""
    from weasyprint.formatting_structure import boxes

    slots = []
    for index, page in enumerate(document.pages):
        area = page._page_box
        left, top = area.content_box_x(), area.content_box_y()
        for box in area.descendants():
            element = box.element
            if (
                (box.element_tag or "").rsplit("::", 1)[-1] not in ("before", "after")
                or element is None
                or element.get("data-folio") is None
                or isinstance(box, (boxes.TextBox, boxes.LineBox))
            ):
                continue
            texts = [b.text for b in box.descendants() if isinstance(b, boxes.TextBox)]
            if (
                texts != [PLACEHOLDER]
                or not isinstance(box, boxes.InlineBlockBox)
                or box.style["width"] == "auto"
            ):
                return None
            pseudo = box.element_tag.rsplit("::", 1)[-1]
            target = element.get("href", "").removeprefix("#")
            x, y = box.position_x - left, box.position_y - top
            slots.append((index, target, x, y, box.margin_width(), pseudo))
    return tuple(slots)


def chunk_bounds(count: int, size: int, jobs: int = 1, least: int = 0) -> list[tuple[int, int]]:
    """[first, last) article ranges of at most `size` articles, in order. Towards the end each
    takes what is left over twice the workers, down to `least` articles: the last chunks are
    small, so that the workers finish together rather than one laying out a whole chunk alone.
    A rest smaller than `least` is shared with the chunk before it."""
    least = min(size, least or size)
    bounds, first = [], 0
    while first < count:
        left = count - first
        step = min(size, max(least, -(-left // (2 * jobs))))
        if left - step < least:
            step = left if left <= least else -(-left // 2)
        bounds.append((first, first + step))
        first += step
    return bounds


def default_jobs() -> int:
    """Worker processes: the cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def write_chunked(
    html: str,
    target: Path,
    settings: Settings,
    *,
    jobs: int = 0,
    chunk_size: int = 60,
    cover_ready: Callable[[Path], Any] | None = None,
) -> int:
    """Write the PDF of `html` to `target`, laid out in chunks of articles; return its pages.

    `cover_ready` is called with the PDF of the cover (the book's first pages, final) once the
    chunks are laid out, while the book is joined, if the cover was set apart."""
    split = split_articles(html)
    with (
        _frozen(),
        tempfile.TemporaryDirectory(prefix="publish-chunks-", dir=target.parent) as scratch,
    ):
        folder = Path(scratch)
        jobs = jobs or default_jobs()
        with ForkPool(jobs, _start_worker, (settings,)) as pool:
            laid = _render_parts(split, pool, jobs, folder, chunk_size, cover_ready)
            parts, probes, chunks, book = laid.parts, laid.probes, laid.chunks, laid.book
            # the cover has no page numbers to fill in: as first set, it is final; the TOC's
            # numbers are drawn on already
            fronts = probes
            if not laid.stamped:  # the TOC's numbers could move its lines: set again with them

                def submit(name: str, text: str) -> Job:
                    return pool.submit(render_job, text, folder / f"{name}.pdf")

                progress.info("setting the contents again with their page numbers")
                before = sum(p.pages for p in probes[:-1])
                toc = _Settled(parts[-1], probes[-1], chunks, before, submit)
                fronts = [*probes[:-1], *toc.result()]
        for part in (*fronts, *chunks, *laid.numbers):
            for name, message in part.warnings:
                logging.getLogger(name).warning("%s", message)
        return book.finish(fronts, chunks, target, laid.programs)


OVERLAY_CHUNKS = 4
TAPER_TO = 10
"""Articles of the smallest chunks, the last ones (each chunk has a fixed cost of ~0.15 s)."""
"""Chunks whose folios one overlay draws: each job costs ~0.1 s besides its ~3 ms a page."""
NUMBERS_PAGES = 16
"""TOC pages whose numbers one overlay draws while chunks are still laid out (in a TOC in
article order the first pages' numbers are known early); the rest are drawn at the end."""


@dataclass
class _Laid:
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


def _render_parts(
    split: Split,
    pool: ForkPool,
    jobs: int,
    folder: Path,
    chunk_size: int,
    cover_ready: Callable[[Path], Any] | None = None,
) -> _Laid:
    """Front matter parts, each set once with placeholder TOC numbers; the article chunks; the
    book, holding the final front parts and the chunks, their folios drawn on by overlays (each
    for up to OVERLAY_CHUNKS chunks in a row), joined while the next chunks are laid out; the
    overlays of the TOC's numbers, drawn as soon as the articles of their pages are laid out
    (the last pages' in halves, on both cores); the programs of the fonts the parts share.
    `cover_ready`: see write_chunked."""

    def submit(name: str, text: str, items: bool = False, share: bool = False) -> Job:
        return pool.submit(render_job, text, folder / f"{name}.pdf", items, share)

    parts = cut_front(split)
    # a TOC set apart is laid out once, its numbers hidden: they are drawn on when known; the
    # cover keeps its own fonts, as the EPUB's cover is drawn from its PDF before the join
    probes = [
        submit(f"front{i}", front_html(part, {}, stamped=i > 0), True, share=i > 0)
        for i, part in enumerate(parts)
    ]
    bounds = chunk_bounds(len(split.articles), chunk_size, jobs, TAPER_TO)
    pending: list[Job] = []

    def top_up() -> None:
        # no more chunks waiting than workers: a folio overlay, submitted as soon as its
        # chunks are laid out, then comes next rather than after every chunk
        while len(pending) < len(bounds) and sum(not f.done() for f in pending) < jobs:
            number = len(pending)
            text = chunk_html(split, *bounds[number])
            pending.append(submit(f"chunk{number}", text, share=True))

    top_up()
    chunks: list[Rendered] = []
    overlays: list[tuple[Job, int, int]] = []  # and the chunks [first, last) it draws on
    book: Book | None = None
    start, drawn, joined = 0, 0, 0
    numbers: list[tuple[Job, int]] = []  # and the first TOC page it draws on
    numbered, drawn_on = 0, 0
    programs: Job | None = None
    while len(chunks) < len(bounds) or joined < len(overlays) or drawn_on < len(numbers):
        running = (
            *probes,
            *pending[len(chunks) :],
            *(job for job, *_ in overlays[joined:]),
            *(job for job, _ in numbers[drawn_on:]),
        )
        waiting = [f for f in running if not f.done()]
        if waiting:
            pool.wait(waiting)
        top_up()
        if not all(probe.done() for probe in probes):
            continue
        counted = [probe.result() for probe in probes]
        start = start or sum(probe.pages for probe in counted) + 1
        while len(chunks) < len(pending) and pending[len(chunks)].done():
            chunks.append(pending[len(chunks)].result())
            progress.info("laid out articles chunk %d of %d", len(chunks), len(bounds))
            if len(chunks) % OVERLAY_CHUNKS == 0 or len(chunks) == len(bounds):
                names = [name for chunk in chunks[drawn:] for name in chunk.page_names]
                job = submit(f"overlay{len(chunks)}", overlay_html(split, start, names))
                overlays.append((job, drawn, len(chunks)))
                start, drawn = start + len(names), len(chunks)
            if len(chunks) == len(bounds):  # every shared face's glyphs are known
                programs = _subset_shared(pool, [*counted, *chunks], folder)
                if cover_ready is not None and len(counted) > 1:
                    cover_ready(counted[0].out)
        stamped = len(counted) > 1 and bool(counted[-1].slots)
        before_toc = sum(probe.pages for probe in counted[:-1])
        if book is None:  # a TOC whose numbers will be drawn on is final as laid out
            book = Book(counted if stamped else counted[:-1])
        while joined < len(overlays) and overlays[joined][0].done():
            job, first, last = overlays[joined]
            book.add(chunks[first:last], [job.result()])
            joined += 1
        if stamped and numbered < counted[-1].pages:
            toc, folios = counted[-1], article_folios(chunks, sum(p.pages for p in counted))
            last = len(chunks) == len(bounds)
            ready = toc.pages if last else _numbered_pages(toc, folios, numbered)
            # the last pages in halves on both cores: they are all that is left
            cuts = sorted({numbered, (numbered + ready) // 2, ready}) if last else [numbered, ready]
            if ready - numbered >= (1 if last else NUMBERS_PAGES):
                for first, end in zip(cuts, cuts[1:], strict=False):
                    page = before_toc + 1 + first
                    text = stamp_html(parts[-1], page, toc, folios, first, end)
                    numbers.append((submit(f"numbers{first}", text), first))
                numbered = ready
        while drawn_on < len(numbers) and numbers[drawn_on][0].done():
            job, first = numbers[drawn_on]
            book.draw_on(before_toc + first, [job.result()])
            drawn_on += 1
    assert book is not None
    counted = [probe.result() for probe in probes]
    shared = programs.result() if programs is not None else []
    numbers_drawn = [job.result() for job, _ in numbers]
    stamped = len(book.fronts) == len(counted)  # the TOC is in as laid out: numbers drawn on
    return _Laid(parts, counted, chunks, book, numbers_drawn, stamped, shared)


def _subset_shared(pool: ForkPool, parts: Sequence[Rendered], folder: Path) -> Job | None:
    """A job making the one program of each face the parts share (None if they share none)."""
    from publish.pdf.weasy import sharedfonts

    faces = sharedfonts.union(part.glyphs for part in parts)
    return pool.submit(sharedfonts.subset_faces, faces, folder) if faces else None


def _numbered_pages(toc: Rendered, folios: dict[str, int], first: int) -> int:
    """The end of the run of TOC pages from `first` whose numbers are all in `folios`."""
    assert toc.slots is not None
    waiting = {index for index, target, *_ in toc.slots if target not in folios}
    end = first
    while end < toc.pages and end not in waiting:
        end += 1
    return end


class _Settled:
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


def article_folios(chunks: Sequence[Rendered], front_pages: int) -> dict[str, int]:
    """Page number of every anchor in the chunks, counted after `front_pages` front pages."""
    folios: dict[str, int] = {}
    offset = front_pages
    for chunk in chunks:
        for name, index, _, _ in chunk.anchors:
            folios.setdefault(name, offset + index + 1)
        offset += chunk.pages
    return folios


CHUNK_FROM = 50
"""Issues with more articles than this are laid out in chunks (each article starts a page)."""


def wants_chunks(issue: Any, jobs: int = 0) -> bool:
    """Whether an issue is long enough, and cut into pages, for chunked layout to pay."""
    new_pages = issue.config.pdf.article_new_page
    return new_pages and len(issue.articles) > CHUNK_FROM and (jobs or default_jobs()) > 1


def write_issue(
    issue: Any,
    edition: Any,
    target: Path,
    jobs: int = 0,
    chunk_size: int = 0,
    cover_ready: Callable[[Path], Any] | None = None,
) -> int:
    """The print PDF of an edition, laid out in chunks on `jobs` processes; return its pages.
    `cover_ready`: see write_chunked."""
    from publish.pdf import render as pdf
    from publish.source.fonts import font_set

    font_set(edition.script)  # a missing font stops here, with the apt-get line
    jobs = jobs or default_jobs()
    options = pdf.pdf_options(issue)
    settings = Settings(
        base_url=issue.root.resolve().as_uri() + "/",
        options=options,
        prepare=pdf.prepare_layout,
        fetcher=pdf.IssueFetcher(pdf.allowed_roots(issue)),
        font_files=shared_font_files(options),
    )
    # at least four chunks per process to balance the load; at most 40 articles (~40 pages,
    # ~70 MB of boxes) each, so that a worker stays near 300 MB however long the issue, and
    # each chunk's fixed cost (~0.3 s: styles, font subsets, its PDF) is spread over its pages
    size = chunk_size or min(40, max(10, -(-len(issue.articles) // (4 * jobs))))
    html = pdf.render_print_html(issue, edition)
    if not cuttable(html):
        LOGGER.info("layout has left/right pages or a page total: one render, not chunks")
        return pdf.write_document(pdf.render_document(issue, edition), issue, target)
    return write_chunked(
        html, target, settings, jobs=jobs, chunk_size=size, cover_ready=cover_ready
    )


def shared_font_files(options: dict[str, Any]) -> dict[int, tuple[str, ...]] | None:
    """The font files chunks may share programs of (see Settings.font_files); None where the
    PDF standard lists each font's glyphs in its descriptor (PDF 1.4, PDF/A-1), or sharing
    is not supported by the installed WeasyPrint (a warning says so)."""
    from weasyprint.pdf import VARIANTS

    from publish.pdf.weasy import sharedfonts
    from publish.source.fonts import FONTS_DIR

    variant = VARIANTS.get(options.get("pdf_variant") or "", (None, {}))[1]
    version = str(options.get("pdf_version") or variant.get("pdf_version") or "1.7")
    if version <= "1.4" or not sharedfonts.install():
        return None
    return sharedfonts.font_files(FONTS_DIR.iterdir() if FONTS_DIR.is_dir() else ())


_ASYMMETRIC = re.compile(
    r"@page[^{]*:(left|right|recto|verso)|break-(before|after)\s*:\s*(left|right|recto|verso)"
    r"|counter\(\s*pages\s*\)"
)


def cuttable(html: str) -> bool:
    """Whether no page depends on its position: no left/right pages, no total page count."""
    return _ASYMMETRIC.search(html) is None


def in_parallel(function: Callable[..., Any], calls: Sequence[tuple], jobs: int) -> Iterator[Any]:
    """`function(*call)` for every call, on up to `jobs` forked processes; each result in order,
    as soon as it is ready."""
    if jobs < 2 or len(calls) < 2:
        yield from (function(*call) for call in calls)
        return
    context = multiprocessing.get_context("fork")
    with _frozen(), ProcessPoolExecutor(min(jobs, len(calls)), context) as pool:
        for future in [pool.submit(function, *call) for call in calls]:
            yield future.result()
