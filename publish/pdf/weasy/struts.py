"""Struts looked up once a style: a version-guarded extension of WeasyPrint 70.

Every line box and every inline box asks WeasyPrint 70 for its strut (the line height and
baseline its font gives). WeasyPrint keeps the answers in a cache, but its key is the string of
a tuple of fourteen font properties with the size and line height, built again at every call.
`install()` keeps each style's strut on the style object itself, so a style asks once. A
style's font properties do not change once computed (WeasyPrint changes only copies of a style,
which are new objects and start without an answer), so every answer is the one WeasyPrint gives.
"""

from __future__ import annotations

from typing import Any

from weasyprint.layout import inline
from weasyprint.text import line_break

from publish.pdf.weasy.extension import Extension

_KEPT = "_publish_strut"
"""The attribute of a style that holds its strut."""


def strut(style: Any) -> tuple[float, float]:
    """WeasyPrint's strut of a style, asked once for each style object."""
    found = style.__dict__.get(_KEPT)
    if found is None:
        found = style.__dict__[_KEPT] = EXTENSION.original("strut")(style)
    return found


EXTENSION = Extension(
    logger=__name__,
    without="each line's strut is looked up by a key built anew (slower layout)",
    # inline imported strut by name from line_break: the copy we replace is the one it calls
    replacements=((inline, "strut", strut),),
    requires=lambda: inline.strut is getattr(line_break, "strut", None),
)
install, uninstall, supported = EXTENSION.install, EXTENSION.uninstall, EXTENSION.supported
