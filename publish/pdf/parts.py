"""A print HTML cut into the parts a long issue is laid out in: front matter, article chunks.

Only strings here: the styles each kind of part needs (no folio, hidden TOC numbers, folios only)
and where the HTML may be cut (at its articles, at its TOC, at a list item of the TOC).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, replace

from publish.model import Issue
from publish.run.parallel import default_jobs

PLACEHOLDER = "000"
"""TOC page number used while the real ones are unknown; as wide as the numbers of most books."""

_ARTICLE = re.compile(r"<article\b.*?</article>\s*", re.S)
BODY_OPEN = re.compile(r"<body\b[^>]*>", re.S)
_TARGET_COUNTER = re.compile(r"target-counter\(\s*attr\(\s*href[^)]*\)\s*,\s*page\s*\)")
_CONTENT = re.compile(r"content\s*:[^;}]*")
TOC_START = '<nav class="toc"'
"""Where the special-issue layout's table of contents begins."""
_ID = re.compile(r'<article\b[^>]*?\bid="([^"]+)"')
TOC_LINK = re.compile(r'<a\b([^>]*?)href="#([^"]+)"')


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


def split_articles(html: str) -> Split:
    """Cut a print HTML at its top-level <article> elements."""
    body = BODY_OPEN.search(html)
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


def map_styles(html: str, change: Callable[[str], str]) -> str:
    return re.sub(
        r"(<style\b[^>]*>)(.*?)(</style>)",
        lambda m: m.group(1) + change(m.group(2)) + m.group(3),
        html,
        flags=re.S,
    )


def chunk_html(split: Split, first: int, last: int) -> str:
    """The document of articles [first, last): the head, those articles, the tail if last."""
    end = split.tail if last == len(split.articles) else "\n</body>\n</html>\n"
    return map_styles(split.head, chunk_css) + "".join(split.articles[first:last]) + end


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

    front = TOC_LINK.sub(number, split.front)
    return map_styles(split.head, styles) + front + link_stubs(split) + "\n</body>\n</html>\n"


def article_ids(split: Split, first: int, last: int) -> list[str]:
    """The ids (slugs) of the articles [first, last)."""
    found = (_ID.search(article) for article in split.articles[first:last])
    return [match.group(1) for match in found if match]


def link_stubs(split: Split, targets: Collection[str] | None = None) -> str:
    """Hidden anchors of the articles the front matter links to (only `targets`, if given):
    WeasyPrint keeps the links."""
    if not TOC_LINK.search(split.front):
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
    for _ in walk_tags(html, stack):
        pass
    return stack


def walk_tags(html: str, stack: list[tuple[str, str]]) -> Iterator[re.Match[str]]:
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


_ASYMMETRIC = re.compile(
    r"@page[^{]*:(left|right|recto|verso)|break-(before|after)\s*:\s*(left|right|recto|verso)"
    r"|counter\(\s*pages\s*\)"
)


def cuttable(html: str) -> bool:
    """Whether no page depends on its position: no left/right pages, no total page count."""
    return _ASYMMETRIC.search(html) is None


CHUNK_FROM = 50
"""Issues with more articles than this are laid out in chunks (each article starts a page)."""


def wants_chunks(issue: Issue, jobs: int = 0) -> bool:
    """Whether an issue is long enough, and cut into pages, for chunked layout to pay (and
    asks for no tagging: see `kept_whole`)."""
    return _long(issue, jobs) and issue.config.pdf.standard != "pdf/ua-1"


SHORT_JOBS = 1
"""Processes a short issue's parts are laid out on: its editions are built side by side, one
core each (publish.build)."""


def in_pieces(issue: Issue) -> bool:
    """Whether a short issue is laid out as its long ones are, its front matter apart and its
    articles in one chunk, so that the layout cache keeps each article's pages and an edit
    lays out the edited article alone (publish.pdf.pieces): more than one article, each
    starting a page, and no tagging (see `kept_whole`)."""
    pdf = issue.config.pdf
    short = 1 < len(issue.articles) <= CHUNK_FROM  # a long one on one core stays whole
    return short and pdf.article_new_page and pdf.standard != "pdf/ua-1"


def kept_whole(issue: Issue, jobs: int = 0) -> bool:
    """Whether a long issue is laid out in one piece because it asks for PDF/UA-1.

    Each chunk would have a structure tree of its own and the join keeps none of them: a book
    claiming PDF/UA-1 with most of its text untagged (98% of a 60-article issue's). One render
    tags the whole book, at the cost of one core instead of every core (a 60-article issue:
    24 s instead of 19 s on the 2-core machine of the README).
    """
    return _long(issue, jobs) and issue.config.pdf.standard == "pdf/ua-1"


def _long(issue: Issue, jobs: int) -> bool:
    new_pages = issue.config.pdf.article_new_page
    return new_pages and len(issue.articles) > CHUNK_FROM and (jobs or default_jobs()) > 1
