"""Cheaper column balancing: a version-guarded extension of WeasyPrint 70's multi-column layout.

WeasyPrint 70 balances columns by laying them out once at the page's full height, then at the
average of the column heights that try gave, then, while the content overflows, at the height
that pulls one more box up, and once more to place the result. That average counts the empty
room below a column that broke inside a paragraph, and falls between two lines for an odd
line count, so an article's last page often takes two tries before it fits (four layouts).
Text on a fixed line grid breaks at the same lines for any height between two grid lines, and
cannot fit in less than its line count divided by the column count, rounded up to a line. So
`install()` raises a too-low try to that height: the first try is the one WeasyPrint would end
with, and its result is unchanged. It acts only on a multi-column box whose laid-out children
all sit on the grid of its line-height (checked on every try); anything else is balanced
exactly as WeasyPrint does. Last, the columns that placed the result are the ones of the try
that fitted, moved across, rather than laid out once more, when nothing in them registered
itself with the layout (footnotes, floats, positioned or running elements).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from math import ceil, inf
from typing import Any

from weasyprint.layout import block, column

from publish.pdf.weasy.extension import Extension

TOLERANCE = 0.01
"""How far (CSS px) a box edge may be off the grid and still count as on it (rounding)."""


@dataclass
class Stats:
    """Column tries laid out, tries moved onto the grid, and final columns taken from a try."""

    tries: int = 0
    snapped: int = 0
    reused: int = 0


STATS = Stats()
"""Counters for tests and profiling: proof that the extension is active."""


@dataclass
class _Multicol:
    """One multi-column box being laid out, and what its full-height tries showed."""

    element: Any
    bottom_space: float
    count: int
    on_grid: bool = True
    filled: list[float] = field(default_factory=list)
    """The height each column's lines took in the full-height tries, broken boxes not stretched."""
    kept: dict[tuple[str, float, bool], tuple[Any, ...]] = field(default_factory=dict)
    """Self-contained tries by (where they start, bottom space, page empty), for the final pass."""

    def least_height(self, pitch: float) -> float:
        """The lowest column height that can hold all the lines seen, rounded up to a line."""
        average = sum(self.filled) / self.count
        return ceil(average / pitch - TOLERANCE / pitch) * pitch


_ACTIVE: list[_Multicol] = []


def columns_layout(context: Any, box: Any, bottom_space: float, *args: Any) -> Any:
    """WeasyPrint's multi-column layout; the balancing tries of `box` start at the lowest height."""
    count = box.style["column_count"]
    if box.style["column_width"] != "auto" or not isinstance(count, int):
        count = 0  # the count depends on the width: not worth guessing, balance as WeasyPrint
    _ACTIVE.append(_Multicol(box.element, bottom_space, count))
    try:
        return EXTENSION.original("columns_layout")(context, box, bottom_space, *args)
    finally:
        _ACTIVE.pop()


def block_box_layout(context: Any, box: Any, bottom_space: float, *args: Any, **kwargs: Any) -> Any:
    """WeasyPrint's block layout; a column try of the current multi-column box goes on the grid."""
    original = EXTENSION.original("block_box_layout")
    multicol = _ACTIVE[-1] if _ACTIVE else None
    if (
        multicol is None
        or bottom_space == inf  # WeasyPrint measuring the next box, not a column try
        or not getattr(box, "is_column", False)
        or box.element is not multicol.element
    ):
        return original(context, box, bottom_space, *args, **kwargs)
    pitch = grid_pitch(box.style)
    room = context.page_bottom - multicol.bottom_space - box.position_y
    height = context.page_bottom - bottom_space - box.position_y
    full = height >= room - TOLERANCE
    tried = bottom_space
    if not full and _snaps(context, multicol, pitch):
        tried = bottom_space - max(0.0, min(multicol.least_height(pitch), room) - height)
    key = (repr(args[0]), round(tried, 6), bool(args[2]))
    if args[5] is None and key in multicol.kept:  # the final pass: adjoining margins None
        STATS.reused += 1
        return _moved(multicol.kept.pop(key), box)
    STATS.tries += 1
    STATS.snapped += tried != bottom_space
    result = original(context, box, tried, *args, **kwargs)
    broken = result[1] is not None
    if result[0] is not None and not on_grid(result[0], pitch, broken):
        multicol.on_grid = False
        if tried != bottom_space:  # the grid did not hold: this try as WeasyPrint makes it
            return _redo(context, box, bottom_space, args, kwargs, result)
    elif result[0] is not None and full:
        multicol.filled.append(filled_height(result[0], broken))
    if args[5] is not None and result[0] is not None and self_contained(result[0]):
        multicol.kept[key] = result
    return result


def _moved(result: tuple[Any, ...], box: Any) -> tuple[Any, ...]:
    """A kept try's result, its column moved across to where `box` stands."""
    result[0].translate(box.position_x - result[0].position_x, 0)
    return result


def self_contained(column_box: Any) -> bool:
    """Whether nothing in a laid-out column registers itself with the layout beyond its boxes."""
    pending = list(column_box.children)
    while pending:
        child = pending.pop()
        if not child.is_in_normal_flow() or child.footnote is not None or child.note:
            return False
        pending.extend(getattr(child, "children", ()))
    return True


def _snaps(context: Any, multicol: _Multicol, pitch: float) -> bool:
    """Whether a try may be raised: text on the grid, the full-height tries seen, no footnotes."""
    return (
        bool(multicol.on_grid and pitch and multicol.count and multicol.filled)
        and context.current_footnote_area.height == "auto"
    )


def _redo(context: Any, box: Any, bottom_space: float, args: Any, kwargs: Any, done: Any) -> Any:
    """Undo a try's side effects (footnotes, floats, placeholders) and lay it out unraised."""
    block.remove_placeholders(context, [done[0]], [], [])
    return EXTENSION.original("block_box_layout")(context, box, bottom_space, *args, **kwargs)


def filled_height(column_box: Any, broken: bool) -> float:
    """How far down its lines reach in a laid-out column (a broken last box is not stretched)."""
    children = [child for child in column_box.children if child.is_in_normal_flow()]
    if not children:
        return 0.0
    last = children[-1]
    bottom = last.position_y + last.margin_height()
    if broken:
        bottom = _inner_bottom(last)
    return bottom - column_box.content_box_y()


def _inner_bottom(box: Any) -> float:
    """The bottom of the last in-flow child of a box (its own bottom if it has none)."""
    children = [child for child in getattr(box, "children", ()) if child.is_in_normal_flow()]
    if not children:
        return box.position_y + box.margin_height()
    last = children[-1]
    return last.position_y + last.margin_height()


def grid_pitch(style: Any) -> float:
    """The line pitch of a box's own text (CSS px), or 0 when its line-height is not fixed."""
    line_height = style["line_height"]
    if isinstance(line_height, (int, float)):
        return float(line_height) * style["font_size"]
    if getattr(line_height, "unit", None) == "px":
        return float(line_height.value)
    return 0.0


def on_grid(column_box: Any, pitch: float, broken: bool = False) -> bool:
    """Whether every in-flow child of a laid-out column starts and ends on the line grid.

    When the column broke inside its last child, WeasyPrint stretches that box down to the
    bottom of the room it was given: its last line's bottom counts instead.
    """
    if not pitch:
        return False
    top = column_box.content_box_y()
    children = [child for child in column_box.children if child.is_in_normal_flow()]
    for child in children:
        if not _whole(child.position_y - top, pitch):
            return False
    return _whole(filled_height(column_box, broken), pitch) and all(
        _whole(child.position_y + child.margin_height() - top, pitch) for child in children[:-1]
    )


def _whole(length: float, pitch: float) -> bool:
    """Whether a length is a whole number of lines."""
    return abs(length - round(length / pitch) * pitch) <= TOLERANCE


EXTENSION = Extension(
    logger=__name__,
    without="columns are balanced the slow way",
    replacements=(
        (block, "columns_layout", columns_layout),
        (block, "block_box_layout", block_box_layout),
    ),
    # block imported columns_layout by name from column: the copy we replace is the one it calls
    requires=lambda: block.columns_layout is getattr(column, "columns_layout", None),
)
install, uninstall, supported = EXTENSION.install, EXTENSION.uninstall, EXTENSION.supported
