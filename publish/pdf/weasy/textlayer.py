"""A text layer that extracts as it reads: a version-guarded extension of WeasyPrint 70.

WeasyPrint 70 draws letter spacing, justification and the gaps between text boxes as moves of
the pen (numbers in a `TJ` array, or a new text matrix). Text extractors (Poppler's pdftotext,
pypdf, a viewer's search) read a move wider than about a tenth of an em as a word space, so a
justified Chinese line came out as "今 后 的 发 展" and "2020年" as "2020 年". `install()` draws
the same glyphs at the same places with the spacing set as character spacing (`Tc`), which
pypdf counts as part of each glyph's advance:

- inside a text box, the common gap between its glyphs becomes `Tc`, and the `TJ` numbers keep
  only what differs from it (kerning, a half-width mark);
- between two boxes of one line (justification, the quarter em around digits and Latin), a gap
  narrower than `JOINED_GAP` is added to the advance of the first box's last glyph.

Wider gaps (a name and a role set apart by a margin) stay moves: they read as a space, as the
reader sees one. Poppler subtracts character spacing from a glyph's width, so each line also
carries its text as `/ActualText` (ISO 32000-1 §14.9.4), which Poppler reads instead of the
glyphs: the characters of the line, a space only where the gap is that wide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pydyf
from weasyprint import draw
from weasyprint.draw import text as draw_text_module
from weasyprint.formatting_structure import boxes

from publish.pdf.weasy.extension import Extension

JOINED_GAP = 0.6
"""Gaps between two text boxes of one line narrower than this (in em) are drawn as spacing."""

UNSEEN = dict.fromkeys(map(ord, "\u200b\u00ad\u2060\ufeff"))
"""Characters that take no room on the page (`<wbr>`, soft hyphen, joiners): not in the text."""

_TOKEN = re.compile(rb"<([0-9a-fA-F]*)>|(-?[0-9]+(?:\.[0-9]*)?(?:[eE]-?[0-9]+)?)")


@dataclass
class ShownText:
    """One `TJ` array of a text box: its glyphs and the pen moves around them, in 1/1000 em."""

    glyphs: list[bytes]
    lead: float
    """Moves before the first glyph (positive: to the left, as in `TJ`)."""
    between: list[float]
    """Moves after each glyph but the last."""
    trail: float
    size: float
    widths: dict[int, int]

    def width(self, glyph: bytes) -> int:
        """A glyph's advance in the font, in 1/1000 em."""
        return self.widths.get(int(glyph, 16), 0)

    def advance(self) -> float:
        """How far the pen goes over the whole array, in 1/1000 em."""
        moves = self.lead + sum(self.between) + self.trail
        return sum(map(self.width, self.glyphs)) - moves

    def before_last(self) -> float:
        """Where the last glyph starts, from the array's start, in 1/1000 em."""
        moves = self.lead + sum(self.between)
        return sum(map(self.width, self.glyphs[:-1])) - moves


@dataclass
class Pen:
    """Where the last text box drawn on a stream ended, and the array that drew its last glyph."""

    index: int
    shown: ShownText
    move: float | None
    """The `Td` that array starts with (user units), None for a box's first array."""
    matrix: tuple[float, ...]
    end_x: float


def parse(data: bytes, size: float, widths: dict[int, int]) -> ShownText | None:
    """A WeasyPrint `TJ` array of 2-byte glyph ids, or None when it holds anything else."""
    glyphs: list[bytes] = []
    moves: list[float] = [0.0]
    for match in _TOKEN.finditer(data):
        hexes, number = match.groups()
        if number is not None:
            moves[-1] += float(number)
            continue
        if len(hexes) % 4:
            return None
        for at in range(0, len(hexes), 4):
            glyphs.append(hexes[at : at + 4])
            moves.append(0.0)
    if not glyphs:
        return None
    return ShownText(glyphs, moves[0], moves[1:-1], moves[-1], size, widths)


def spacing_of(shown: ShownText) -> float:
    """The gap most of a box's glyphs are followed by (the median), when it widens them."""
    if not shown.between:
        return 0.0
    gaps = sorted(-move for move in shown.between)
    middle = gaps[len(gaps) // 2]
    return middle if middle > 1 else 0.0


def operators(shown: ShownText, move: float | None, joined: float = 0.0) -> bytes:
    """`shown` redrawn with its common gap as character spacing, after a `Td` of `move` (user
    units) when it is not its box's first array; the last glyph's advance widened by `joined`
    (1/1000 em) to meet the next box.

    Each array stands on its own position: readers disagree on whether the character spacing
    after an array's last glyph moves the pen (pdfminer does not), so nothing after an array
    relies on it.
    """
    scale = shown.size / 1000
    spacing = spacing_of(shown)
    parts = [_number(move) + b" 0 Td"] if move is not None else []
    between = [gap + spacing for gap in shown.between]
    if not joined:
        trail = shown.trail + spacing  # the pen ends where it did
        parts.append(_spaced(shown.glyphs, shown.lead, between, trail, spacing * scale))
        return b" ".join(parts)
    if shown.between:  # the glyphs before the last, then the last on its own
        parts.append(_spaced(shown.glyphs[:-1], shown.lead, between[:-1], 0.0, spacing * scale))
        parts.append(_number(shown.before_last() * scale) + b" 0 Td")
    lead = 0.0 if shown.between else shown.lead
    parts.append(_spaced(shown.glyphs[-1:], lead, [], 0.0, (joined - shown.trail) * scale))
    return b" ".join(parts)


def _spaced(
    glyphs: list[bytes], lead: float, between: list[float], trail: float, spacing: float
) -> bytes:
    """A `TJ` array (zero moves left out) drawn with `spacing` as `Tc`, put back to 0 after.

    A move before the first glyph goes in an array of its own: pdfminer (pdfplumber) adds the
    character spacing after a move even where no glyph came before it.
    """
    spacing = round(spacing, 4)
    parts = []
    if round(lead, 3) and spacing:
        parts, lead = [b"[" + _number(lead) + b"] TJ"], 0.0
    body = [_number(lead)] if round(lead, 3) else []
    for glyph, gap in zip(glyphs, [*between, trail], strict=True):
        body.append(b"<" + glyph + b">")
        if round(gap, 3):
            body.append(_number(gap))
    shown = b"[" + b"".join(body) + b"] TJ"
    parts.append(_number(spacing) + b" Tc " + shown + b" 0 Tc" if spacing else shown)
    return b" ".join(parts)


def _number(value: float) -> bytes:
    return (f"{value:.3f}".rstrip("0").rstrip(".") or "0").encode()


def draw_first_line(
    stream: Any, textbox: Any, text_overflow: Any, block_ellipsis: Any, matrix: Any
) -> Any:
    """WeasyPrint's line drawing, its `TJ` arrays then redrawn with character spacing."""
    fonts: dict[str, Any] = {}
    state: dict[str, Any] = {}
    shown: list[tuple[int, ShownText]] = []

    def set_font_size(font: Any, size: float) -> None:
        state["font"], state["size"] = font, size
        type(stream).set_font_size(stream, font, size)

    def show_text(text: str) -> None:
        type(stream).show_text(stream, text)
        font = _font(stream, fonts, state.get("font"))
        if font is None or font.bitmap:
            return
        parsed = parse(stream.stream[-1][1:-4], state["size"], font.widths)
        if parsed is not None:
            shown.append((len(stream.stream) - 1, parsed))

    stream.set_font_size, stream.show_text = set_font_size, show_text
    try:
        emojis = EXTENSION.original("draw_first_line")(
            stream, textbox, text_overflow, block_ellipsis, matrix
        )
    finally:
        del stream.set_font_size, stream.show_text
    _respace(stream, shown, tuple(matrix.values))
    return emojis


def _font(stream: Any, fonts: dict[str, Any], name: Any) -> Any:
    if name is None:
        return None
    if not fonts:
        fonts.update((font.hash, font) for font in stream._fonts.values())
    return fonts.get(name.decode() if isinstance(name, bytes) else name)


def _respace(stream: Any, shown: list[tuple[int, ShownText]], matrix: tuple[float, ...]) -> None:
    """Redraw a box's arrays with character spacing and join it to the box before it."""
    pen: Pen | None = getattr(stream, "publish_pen", None)
    if shown and pen is not None:
        _join(stream, pen, shown[0][1], matrix)
    start = previous = 0.0
    for number, (index, text) in enumerate(shown):
        move = start - previous if number else None
        stream.stream[index] = operators(text, move)
        previous = start
        pen = Pen(index, text, move, matrix, 0.0)
        start += text.advance() * text.size / 1000
        pen.end_x = matrix[4] + start * matrix[0]
    stream.publish_pen = pen if shown else None


def _join(stream: Any, pen: Pen, first: ShownText, matrix: tuple[float, ...]) -> None:
    """Add the gap before `first` to the advance of the previous box's last glyph."""
    same_line = pen.matrix[:4] == matrix[:4] and abs(pen.matrix[5] - matrix[5]) < 0.01
    if not same_line or matrix[1] or matrix[2] or pen.index >= len(stream.stream):
        return
    start = matrix[4] - first.lead * first.size / 1000 * matrix[0]
    gap = (start - pen.end_x) / matrix[0] / pen.shown.size * 1000
    if 0.5 < gap < JOINED_GAP * 1000:
        stream.stream[pen.index] = operators(pen.shown, pen.move, gap)


def draw_inline_level(
    stream: Any,
    page: Any,
    box: Any,
    offset_x: float = 0,
    text_overflow: str = "clip",
    block_ellipsis: str = "none",
) -> None:
    """WeasyPrint's drawing of an inline box; a line of text inside an `/ActualText` span."""
    text = line_text(box) if isinstance(box, boxes.LineBox) else ""
    if text:
        actual = pydyf.Dictionary({"ActualText": pydyf.String(text)})
        stream.begin_marked_content("Span", actual)
    EXTENSION.original("draw_inline_level")(
        stream, page, box, offset_x, text_overflow, block_ellipsis
    )
    if text:
        stream.end_marked_content()


def line_text(line: Any) -> str:
    """A line's text as read, or "" when it holds boxes other than text (they set their own)."""
    texts: list[Any] = []
    if not _text_only(line, texts):
        return ""
    parts: list[str] = []
    for before, box in zip([None, *texts], texts, strict=False):
        if before is not None:
            gap = box.position_x - before.position_x - before.width
            if gap >= JOINED_GAP * before.style["font_size"]:
                parts.append(" ")
        parts.append(box.text.translate(UNSEEN))
    return "".join(parts).strip()


def _text_only(box: Any, texts: list[Any]) -> bool:
    """Collect the text boxes of an inline box; False if it holds an atomic inline."""
    for child in box.children:
        if isinstance(child, boxes.TextBox):
            texts.append(child)
        elif isinstance(child, boxes.InlineBox):
            if not _text_only(child, texts):
                return False
        elif not hasattr(child, "is_in_normal_flow") or child.is_in_normal_flow():
            return False  # an inline-block (a stacking context) or an image
    return True


EXTENSION = Extension(
    logger=__name__,
    without="justified lines and spaced digits extract with spaces between characters",
    replacements=(
        (draw_text_module, "draw_first_line", draw_first_line),
        (draw, "draw_inline_level", draw_inline_level),
    ),
    requires=lambda: hasattr(draw_text_module, "draw_text") and hasattr(draw, "draw_text"),
)
install, uninstall, supported = EXTENSION.install, EXTENSION.uninstall, EXTENSION.supported
