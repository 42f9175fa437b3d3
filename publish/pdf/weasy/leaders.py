"""Leaders set as one run of text: a version-guarded extension of WeasyPrint 70.

WeasyPrint 70 fills a `leader()` (the dots between a TOC headline and its page number) with one
text box per dot, each shaped, laid out and drawn on its own: about 90 boxes a TOC line, 90,000
for the TOC of a 1,000-article issue, most of its layout and PDF writing time. `install()` lets
WeasyPrint place the dots as before, then puts them in a single text box that starts at the
leftmost dot and holds them all: the same glyphs at the same places (each dot's advance is the
width WeasyPrint measured for one), one box to lay out and draw.
"""

from __future__ import annotations

from typing import Any

from weasyprint.layout import inline, leader
from weasyprint.text import line_break

from publish.pdf.weasy.extension import Extension


def handle_leader(context: Any, line: Any, containing_block: Any) -> None:
    """WeasyPrint's leader placement, then the dots of the line's leader joined into one box."""
    EXTENSION.original("handle_leader")(context, line, containing_block)
    _, box = leader.leader_index(line)
    if box is not None and len(box.children) > 1:
        box.children = (joined(context, box.children),)


def joined(context: Any, dots: tuple[Any, ...]) -> Any:
    """One text box for copies of a leader's text box, placed side by side (any order)."""
    first = min(dots, key=lambda dot: dot.position_x)
    text = first.text * len(dots)
    run = first.copy()
    run.text = text
    run.width = first.width * len(dots)
    layout = line_break.create_layout(text, first.style, context, None, 0)
    layout.deactivate()
    run.pango_layout = layout
    return run


EXTENSION = Extension(
    logger=__name__,
    without="TOC leaders are set a dot at a time (slow for long TOCs)",
    # inline imported handle_leader by name from leader: the copy we replace is the one it calls
    replacements=((inline, "handle_leader", handle_leader),),
    requires=lambda: (
        inline.handle_leader is getattr(leader, "handle_leader", None)
        and hasattr(leader, "leader_index")
        and hasattr(line_break, "create_layout")
    ),
)
install, uninstall, supported = EXTENSION.install, EXTENSION.uninstall, EXTENSION.supported
