"""Chinese typesetting in the markup: unbreakable units, compressed punctuation, Han–Latin spacing.

The HTML that leaves this module carries the typesetting rules WeasyPrint cannot infer:
`<span class="nb">` (never broken: names, number+unit, —— and …… with the character before
them, a paragraph's last two Han characters), `<wbr>` (a break opportunity next to “ ” ‘ ’,
which Pango never breaks around), `<span class="halt">` (a full-width mark set
half-width because it touches another), and `<span class="lat">` (digits and Latin set off
from Han by a quarter em, `ls`/`rs` for the side that touches Han).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from markupsafe import Markup, escape

from publish.text.han import HAN

OPENING = "“‘（「『《〈【〔"
"""Marks that never end a line (TYPOGRAPHY.md rule 2)."""
CLOSING = "，。、；：？！”’）」』》〉】〕"
"""Full-width marks that never start a line (rule 1)."""
NEVER_LINE_START = CLOSING + "·"
QUOTE_OPENING = "“‘"
QUOTE_CLOSING = "”’"
_QUOTES = re.compile("[“‘”’]")
"""Quotes of UAX #14 class QU: Pango breaks on neither side, Chinese before “ and after ”."""
FULL_WIDTH = OPENING + CLOSING
"""Marks drawn on a full em square, so that two in a row look too far apart (rule 7)."""

_UNITS = (
    "平方公里|平方米|公里|千瓦时|千瓦|公顷|小时|分钟|亿元|万元|元|名|个|米|亩|家|项|人|户|次|年|月"
    "|日|号|天|倍|吨|辆|台|套|座|所|条|件|栋|间|处|场|批|期|份|张|岁|周|斤|余|多|%|％"
)
# Traditional editions are typeset after conversion: their units must stay glued too
_TRADITIONAL = str.maketrans(
    "个亿万时钟亩项户号吨辆台条间处场张岁周余", "個億萬時鐘畝項戶號噸輛臺條間處場張歲週餘"
)
_UNITS += "|" + _UNITS.translate(_TRADITIONAL)
NUMBER_UNIT = re.compile(
    rf"(?<![A-Za-z0-9.])\d+(?:\.\d+)?(?:[余餘多])?[万亿萬億千百十]*(?:{_UNITS})(?:[余餘多])?"
    r"|(?<![A-Za-z0-9.])\d+(?:\.\d+)?[万亿萬億]"
)
_UNIT_MARKS = re.compile(r"——+|…+|.·.")
_LATIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.,%+\-/:]|’(?=[A-Za-z]))*(?<![.,:])")
"""A run of digits and Latin letters, an apostrophe inside a word (Xi’an) included."""
_BLOCK_TAGS = re.compile(r"</?(p|li|h[1-6]|blockquote|div|td|th|dd|dt|pre|ul|ol)\b", re.I)
_TAG = re.compile(r"(<[^>]+>)")


@dataclass(frozen=True)
class Marks:
    """Where a paragraph's plain text needs typesetting spans, as character offsets."""

    nobreak: tuple[tuple[int, int], ...]
    """Disjoint, sorted [start, end) runs that must stay on one line."""
    latin: tuple[tuple[int, int, bool, bool], ...]
    """Digit/Latin runs: start, end, and whether a quarter em goes before / after."""
    halt: frozenset[int]
    """Offsets of full-width marks to set half-width."""
    breaks: frozenset[int] = frozenset()
    """Offsets before which a line may break though Pango would not allow it (a `<wbr>`)."""


def marks(text: str, names: Iterable[str] = ()) -> Marks:
    """The typesetting marks of one paragraph's plain text."""
    runs = list(_name_runs(text, names))
    runs += [m.span() for m in NUMBER_UNIT.finditer(text)]
    runs += [(max(m.start() - 1, 0), m.end()) for m in _UNIT_MARKS.finditer(text)]
    runs += list(_last_two_han(text))
    latin = tuple(_latin_runs(text))
    # no glue between Han and digits/Latin (a line may break there, clreq): justify.py drops
    # the quarter em where it meets a line's edge. No glue around marks either: at span edges
    # WeasyPrint asks Pango whether the two letters may break
    nobreak = _merge(runs)
    breaks = {i for i in quote_breaks(text) if not any(a < i < b for a, b in nobreak)}
    return Marks(nobreak, latin, frozenset(halted_marks(text)), frozenset(breaks))


def quote_breaks(text: str) -> set[int]:
    """Offsets where clreq allows a break that UAX #14 forbids: before “ ‘ and after ” ’."""
    # only an offset next to a quote can be one: the others are not looked at
    near = {m.start() + (m.group() in QUOTE_CLOSING) for m in _QUOTES.finditer(text)}
    return {i for i in near if 0 < i < len(text) and _quote_break(text[i - 1], text[i])}


def _quote_break(before: str, after: str) -> bool:
    if any(c.isascii() and c.isalnum() for c in (before, after)):
        return False  # an apostrophe in Latin text, or a quote hugging a Latin word
    if before in QUOTE_CLOSING:
        return after not in NEVER_LINE_START + "—…"
    return after in QUOTE_OPENING and before not in OPENING


def halted_marks(text: str) -> set[int]:
    """Offsets of the mark to set half-width in each pair of adjacent full-width marks."""
    halt = set()
    for i in range(len(text) - 1):
        first, second = text[i], text[i + 1]
        if first in FULL_WIDTH and second in FULL_WIDTH:
            # an opening mark's blank is on its left: squeeze the second of two openers
            halt.add(i + 1 if first in OPENING and second in OPENING else i)
    return halt


def _name_runs(text: str, names: Iterable[str]) -> Iterator[tuple[int, int]]:
    for name in {n for n in names if len(n) > 1}:
        for match in re.finditer(re.escape(name), text):
            yield match.span()


def _last_two_han(text: str) -> Iterator[tuple[int, int]]:
    # rule 11: the last line holds at least two Han characters
    han = [m.start() for m in HAN.finditer(text)]
    if len(han) >= 2:
        yield han[-2], len(text)


def _merge(runs: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(runs):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)


def _latin_runs(text: str) -> Iterator[tuple[int, int, bool, bool]]:
    """Digit/Latin runs next to Han or full-width marks: each is set in its own span, so that
    justification never spaces it out (rule 6a); a quarter em only on a side touching Han."""
    for match in _LATIN.finditer(text):
        start, end = match.span()
        before = start > 0 and HAN.match(text[start - 1]) is not None
        after = end < len(text) and HAN.match(text[end]) is not None
        if before or after or _beside_mark(text, start - 1, -1) or _beside_mark(text, end, 1):
            yield start, end, before, after


def _beside_mark(text: str, index: int, step: int) -> bool:
    """Whether text[index] is a full-width mark, not an apostrophe inside a word (Xi’an)."""
    if not 0 <= index < len(text) or text[index] not in FULL_WIDTH:
        return False
    beyond = text[index + step : index + step + 1] if index + step >= 0 else ""
    return not (text[index] in "‘’" and beyond.isascii() and beyond.isalnum())


def typeset_html(body: str, names: Iterable[str] = ()) -> Markup:
    """Body HTML with the typesetting spans added to every block's text."""
    names = tuple(names)
    out: list[str] = []
    for block in _blocks(_TAG.split(str(body))):
        width = qa_label_width(_plain(block), names)
        if width and out and out[-1] == "<p>":
            out[-1] = f'<p class="qa qa-{width}">'
        out.extend(_typeset_block(block, names))
    return Markup("".join(out))


def qa_label_width(text: str, names: Iterable[str] = ()) -> int:
    """Width in em of a Q&A speaker label opening a paragraph (问： 记者： 闫立然：), else 0."""
    labels = sorted({"问", "答", "记者", "記者", *names}, key=len, reverse=True)
    for label in labels:
        if text.startswith(label + "：") and len(text) > len(label) + 1:
            return min(len(label) + 1, 6)
    return 0


def _plain(tokens: list[str]) -> str:
    return "".join(html.unescape(t) for t in tokens if not t.startswith("<"))


def _blocks(tokens: list[str]) -> Iterator[list[str]]:
    """Tokens (tags and text) grouped into runs that each belong to one block."""
    block: list[str] = []
    for token in tokens:
        if token.startswith("<") and _BLOCK_TAGS.match(token):
            yield block
            yield [token]
            block = []
        else:
            block.append(token)
    yield block


def _typeset_block(tokens: list[str], names: tuple[str, ...]) -> Iterator[str]:
    texts = [html.unescape(t) if not t.startswith("<") else "" for t in tokens]
    plain = _plain(tokens)
    if not plain.strip():
        yield from tokens
        return
    found = marks(plain, names)
    offset = 0
    for token, text in zip(tokens, texts, strict=True):
        if token.startswith("<"):
            yield token
            continue
        yield render(plain, found, offset, offset + len(text))
        offset += len(text)


def render(text: str, found: Marks, start: int, end: int) -> str:
    """HTML for text[start:end] with its marks; runs crossing the range are cut at its ends."""
    cuts = {start, end}
    for a, b in found.nobreak:
        cuts.update(p for p in (a, b) if start < p < end)
    for a, b, _, _ in found.latin:
        cuts.update(p for p in (a, b) if start < p < end)
    cuts.update(p for p in found.breaks if start < p < end)
    points = sorted(cuts)
    out: list[str] = []
    open_run = None
    for a, b in zip(points, points[1:], strict=False):
        run = next((r for r in found.nobreak if r[0] <= a and b <= r[1]), None)
        out.append("</span>" if open_run and run != open_run else "")
        out.append("<wbr>" if a in found.breaks else "")
        out.append('<span class="nb">' if run and run != open_run else "")
        open_run = run
        out.append(_latin_piece(text, found, a, b))
    out.append("</span>" if open_run else "")
    return "".join(out)


def _latin_piece(text: str, found: Marks, a: int, b: int) -> str:
    for start, end, before, after in found.latin:
        if start <= a and b <= end:
            sides = ("ls " if before and a == start else "") + ("rs" if after and b == end else "")
            inner = _chars(text, found.halt, a, b)
            return f'<span class="{" ".join(("lat", *sides.split()))}">{inner}</span>'
    return _chars(text, found.halt, a, b)


def _chars(text: str, halt: frozenset[int], a: int, b: int) -> str:
    out, position = [], a
    for i in sorted(i for i in halt if a <= i < b):
        out += [str(escape(text[position:i])), f'<span class="halt">{escape(text[i])}</span>']
        position = i + 1
    out.append(str(escape(text[position:b])))
    return "".join(out)


def headline_parts(title: str) -> tuple[str, ...]:
    """The parts of a couplet headline, split at its spaces (rule 5)."""
    return tuple(part for part in re.split(r"[ \u3000]+", title.strip()) if part)


_STOPS = "，、；：？！。"
"""The pause and stop marks a headline clause ends with (all of them CLOSING marks)."""
_CLOSERS = "".join(mark for mark in CLOSING if mark not in _STOPS)
_CLAUSE_END = re.compile(
    f"[{re.escape(_STOPS)}]+[{re.escape(_CLOSERS)}]*(?=[^{re.escape(CLOSING)}])"
)
"""Where a clause of a headline ends, inside it: after a pause or stop mark (and the closing
marks after it), before more text (`敬一丹：总理回答…`, `查資料有罪？六名…`, `记者、人民日报…`)."""


def headline_clauses(part: str) -> tuple[tuple[int, int], ...]:
    """[start, end) of each clause of a headline part: where a sub-editor breaks a headline
    that does not fit one line (after 敬一丹： or 高级记者、, not inside a word); the whole
    part if none."""
    ends = [found.end() for found in _CLAUSE_END.finditer(part)]
    starts = [0, *ends]
    return tuple(zip(starts, [*ends, len(part)], strict=True))
