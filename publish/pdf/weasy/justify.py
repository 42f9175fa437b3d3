"""Inter-character justification for Chinese lines: a version-guarded extension of WeasyPrint 70.

WeasyPrint 70 justifies a line by widening its spaces (U+0020, U+00A0) only; a Chinese line has
none, so it stays short of the column edge. `install()` replaces the justification step so that
a line holding Han text spreads its missing width evenly over every gap between two characters
(CSS Text 3 `text-justify: inter-character`). The gaps inside a text box are widened by Pango
letter spacing, applied when the box is drawn; the gaps between boxes by moving the next box.
It also drops the quarter em around digits and Latin (`<span class="lat">`) where such a span
meets a line's edge, so that a line may break between Han and a number without a hanging gap,
and sets a closing mark half-width at a line's end when that lets it stay there (TYPOGRAPHY.md
rule 8: compress first, push to the next line second).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from math import inf
from typing import Any

from weasyprint.formatting_structure import boxes
from weasyprint.layout import inline
from weasyprint.text import line_break
from weasyprint.text.ffi import ffi, pango

from publish.pdf.weasy.extension import Extension
from publish.text.han import HAN
from publish.text.typeset import CLOSING

EDGE_TRIMMED_CLASS = "lat"
"""Inline boxes of this class lose their horizontal margins at a line's start and end."""

ZERO_WIDTH = "\u200b"
"""A break opportunity (`<wbr>`): it takes no width, so justification puts no gap after it."""

COMPRESSIBLE = CLOSING
"""Marks that may end a line set half-width: closing and pause marks, blank on their right."""

"""Han characters: a full em wide in the CJK fonts."""
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f\u201c\u201d\u2018\u2019]")


_HAN_OR_FULL_WIDTH = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")


def has_cjk(text: str) -> bool:
    """Whether a text holds Han characters or full-width punctuation."""
    return _CJK.search(text) is not None


def text_boxes(box: Any) -> list[boxes.TextBox]:
    """The text boxes of a line, in the order they are laid out."""
    found: list[boxes.TextBox] = []
    _gather_text(box, found)
    return found


def _gather_text(box: Any, found: list[boxes.TextBox]) -> None:
    if isinstance(box, boxes.TextBox):
        found.append(box)
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        for child in box.children:
            if _in_flow(child):
                _gather_text(child, found)


def split_first_line(
    text: str,
    style: Any,
    context: Any,
    max_width: float | None,
    justification_spacing: float,
    is_line_start: bool = True,
    minimum: bool = False,
) -> tuple[Any, ...]:
    """WeasyPrint's first-line split, keeping a pushed closing mark on the line set half-width."""
    split = _first_split(
        text, style, context, max_width, justification_spacing, is_line_start, minimum
    )
    if minimum or split[2] is None or max_width in (None, inf):
        return split
    pushed = _pushed_before_mark(text, split[2])
    # the wider try keeps the mark only if the pushed ideographs (1 em each) fit in the room left
    # plus the half em: most lines are fuller than that, and the try would be thrown away
    if pushed is None or max_width - split[3] < HAN.subn("", pushed)[1] * style["font_size"] - 0.01:
        return split
    wider = _first_split(
        text,
        style,
        context,
        max_width + style["font_size"] / 2,
        justification_spacing,
        is_line_start,
    )
    return _compress_end(wider, style, max_width) or split


SPLIT_LINES = 1.5
"""Lines of full-width text (plus a few characters) given to Pango to find a line's end: WeasyPrint
gives it four lines' worth (its ratio for Latin text, a quarter em a letter), and Pango lays
out all it is given."""
_NEXT_BREAK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2}")
"""Two ideographs in a row: a line may break between them (UAX #14, ID ÷ ID)."""


def _first_split(
    text: str,
    style: Any,
    context: Any,
    max_width: float | None,
    justification_spacing: float,
    is_line_start: bool = True,
    minimum: bool = False,
) -> tuple[Any, ...]:
    """WeasyPrint's first-line split, of a text cut SPLIT_LINES lines past the start where that
    gives the same line: Pango breaks greedily, so the first line depends on no text past the
    next line's first break opportunity. The cut stands if the line ended before it with two
    ideographs left after the end (a break opportunity there, which WeasyPrint looks for), and
    for text that wraps as normal, without soft or automatic hyphens; else the whole text."""
    split = EXTENSION.original("split_first_line")
    size, arguments = style["font_size"], (justification_spacing, is_line_start, minimum)
    if (
        minimum
        or max_width in (None, inf)
        or not size
        or style["white_space"] != "normal"
        or style["hyphens"] == "auto"
        or "\xad" in text
    ):
        return split(text, style, context, max_width, *arguments)
    cut = int(max_width / size * SPLIT_LINES) + 4
    if len(text) > cut:
        head = text[:cut]
        short = split(head, style, context, max_width, *arguments)
        resume = short[2]
        rest = head.encode()[resume:].decode(errors="ignore") if resume else ""
        if short[3] <= max_width and _NEXT_BREAK.search(rest):
            return short
    return split(text, style, context, max_width, *arguments)


def _pushed_before_mark(text: str, resume_index: int) -> str | None:
    """What the next line starts with before a closing mark within its first three characters
    (the break may have pushed them, and the mark, off this line); None if there is no mark."""
    rest = text.encode()[resume_index:].decode(errors="ignore")[:3]
    found = next((index for index, char in enumerate(rest) if char in COMPRESSIBLE), None)
    return None if found is None else rest[:found]


def _compress_end(wider: tuple[Any, ...], style: Any, max_width: float) -> tuple[Any, ...] | None:
    """A split made with half an em more room, if its line ends in a mark that then fits halved."""
    layout = wider[0]
    if wider[3] <= max_width or not layout.text or layout.text[-1] not in COMPRESSIBLE:
        return None  # no longer for the extra room, or nothing to compress at its end
    layout.compressed_end = True
    layout.reactivate(style)
    width, _ = line_break.line_size(layout.get_first_line()[0], style)
    layout.deactivate()
    if width > max_width:
        return None
    return (layout, wider[1], wider[2], width, *wider[4:])


def text_align(context: Any, line: Any, available_width: float, last: bool) -> float:
    """WeasyPrint's text_align, after the line's edge margins of `lat` spans are dropped."""
    line.width -= _trim_start(line) + _trim_end(line)
    return EXTENSION.original("text_align")(context, line, available_width, last)


def _flow_children(box: Any, backwards: bool = False) -> Iterator[Any]:
    """The children of a line or inline box in normal flow, from the first (or the last)."""
    if isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        children = reversed(box.children) if backwards else box.children
        yield from (child for child in children if _in_flow(child))


def _in_flow(box: Any) -> bool:
    """Whether a box of a line is in normal flow: a text box always is (its anonymous style
    has the initial position and float), and asking its style costs five look-ups a box."""
    return isinstance(box, boxes.TextBox) or box.is_in_normal_flow()


def _edge_trimmed(box: Any) -> bool:
    if not isinstance(box, boxes.InlineBox) or box.element is None:
        return False
    return EDGE_TRIMMED_CLASS in (box.element.get("class") or "").split()


def _trim_start(box: Any) -> float:
    """Drop edge margins on the first box of each level inside `box`; return the width removed.
    Only the first box of each level is looked at unless a margin goes (nearly every line)."""
    children = _flow_children(box)
    first = next(children, None)
    if first is None:
        return 0.0
    removed = 0.0
    if _edge_trimmed(first) and first.margin_left:
        removed, first.margin_left = first.margin_left, 0
        for child in first.children:
            child.translate(-removed)
    inner = _trim_start(first)
    if inner:
        first.width -= inner
    if removed + inner:
        for sibling in children:
            sibling.translate(-(removed + inner))
    return removed + inner


def _trim_end(box: Any) -> float:
    """Drop edge margins on the last box of each level inside `box`; return the width removed."""
    last = next(_flow_children(box, backwards=True), None)
    if last is None:
        return 0.0
    removed = 0.0
    if _edge_trimmed(last) and last.margin_right:
        removed, last.margin_right = last.margin_right, 0
    inner = _trim_end(last)
    if inner:
        last.width -= inner
    return removed + inner


def justify_line(context: Any, line: Any, extra_width: float) -> None:
    """Spread `extra_width` over the gaps between the characters of a line holding Chinese,
    never inside a run of digits or Latin letters (TYPOGRAPHY.md rule 6a)."""
    texts = text_boxes(line)
    if not texts or line.style["direction"] == "rtl" or not any(has_cjk(box.text) for box in texts):
        EXTENSION.original("justify_line")(context, line, extra_width)
        return
    visible = [box for box in texts if _visible(box.text)]
    gaps = sum(_gaps(box) for box in visible) - (_gaps(visible[-1]) > 0 if visible else 0)
    if gaps < 1:
        return
    _spread(context, line, extra_width / gaps, 0.0, visible[-1])


def rigid(box: boxes.TextBox) -> bool:
    """A run of digits or Latin letters (typeset.py gives each its own box): never spaced out.
    Curly quotes do not count as Chinese here: one is an apostrophe inside Xi’an."""
    return _HAN_OR_FULL_WIDTH.search(box.text) is None


def _gaps(box: boxes.TextBox) -> int:
    """Justification gaps a visible text box brings: after each character, or after a rigid
    run as a whole."""
    return 1 if rigid(box) else _visible(box.text)


def _visible(text: str) -> int:
    """How many characters of a text take room (a `<wbr>` box holds only a zero-width space)."""
    return len(text) - text.count(ZERO_WIDTH)


def _spread(context: Any, box: Any, spacing: float, x_advance: float, last: Any) -> float:
    """Move `box` right by `x_advance` and widen its gaps; return the advance for what follows."""
    if isinstance(box, boxes.TextBox):
        box.position_x += x_advance
        if not _visible(box.text):
            return x_advance  # letter spacing would widen even a zero-width space
        if rigid(box):  # the gap goes after the run: what follows moves, the run stays whole
            return x_advance + spacing * (box is not last)
        gaps = _visible(box.text) - (box is last)
        box.pango_layout = _spaced(box, spacing)
        box.width += spacing * gaps
        return x_advance + spacing * gaps
    if isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        box.position_x += x_advance
        before = x_advance
        for child in box.children:
            if _in_flow(child):
                x_advance = _spread(context, child, spacing, x_advance, last)
        box.width += x_advance - before
        return x_advance
    box.translate(x_advance, 0)
    return x_advance


def _spaced(box: boxes.TextBox, spacing: float) -> Any:
    """A copy of a text box's layout, put away, that holds just its text and is drawn with
    `spacing` between characters.

    WeasyPrint draws a text box by setting its layout up again from the text and style it keeps
    (`reactivate`), so building the Pango objects here would be thrown away: a copy of the
    Python object is enough, and saves about a tenth of the layout time.
    """
    layout = copy.copy(box.pango_layout)
    if hasattr(layout, "layout"):  # still active: put away the copy only
        layout.deactivate()
    layout.text, layout.max_width, layout.justification_spacing = box.text, None, 0
    layout.inter_character = spacing
    layout.compressed_end = getattr(box.pango_layout, "compressed_end", False)
    return layout


def _set_text(self: Any, text: str, justify: bool = False) -> None:
    """Layout.set_text, plus letter spacing when justified by characters, and a halved end mark."""
    EXTENSION.original("set_text")(self, text, justify)
    spacing = getattr(self, "inter_character", 0.0) if justify else 0.0
    compressed = getattr(self, "compressed_end", False)
    if not (self.text and (spacing or compressed)):
        return
    attributes = pango.pango_layout_get_attributes(self.layout)
    if attributes == ffi.NULL:
        attributes = ffi.gc(pango.pango_attr_list_new(), pango.pango_attr_list_unref)
    end = len(self.text.encode())
    if spacing:
        letter_spacing = self.style["letter_spacing"]
        if letter_spacing == "normal":
            letter_spacing = 0
        attribute = pango.pango_attr_letter_spacing_new(
            round((spacing + letter_spacing) * line_break.TO_UNITS)
        )
        attribute.start_index, attribute.end_index = 0, end
        pango.pango_attr_list_change(attributes, attribute)
    if compressed:
        # inserted, not changed: Pango adds these features to the text's own (rule 7's halt)
        attribute = pango.pango_attr_font_features_new(b"halt 1")
        attribute.start_index, attribute.end_index = end - len(self.text[-1].encode()), end
        pango.pango_attr_list_insert(attributes, attribute)
    pango.pango_layout_set_attributes(self.layout, attributes)


EXTENSION = Extension(
    logger=__name__,
    without="Chinese lines are not justified to the column edge",
    replacements=(
        (inline, "justify_line", justify_line),
        (inline, "text_align", text_align),
        (inline, "split_first_line", split_first_line),
        (line_break.Layout, "set_text", _set_text),
    ),
    requires=lambda: hasattr(line_break, "create_layout") and hasattr(line_break, "line_size"),
)
install, uninstall, supported = EXTENSION.install, EXTENSION.uninstall, EXTENSION.supported
