"""Cheaper shrink-to-fit widths: a version-guarded extension of WeasyPrint 70.

The width of an inline-block (our headline halves, `.part`) is its shrink-to-fit width,
min(max(min-content, available), max-content). WeasyPrint 70 computes the min-content width
first, and for Chinese that means measuring the text between every two characters (each is a
break opportunity), about 4 ms per headline half, laid out several times per page. When the
max-content width fits the room, the min-content width cannot change the result, so
`install()` measures the max-content width first and skips the other one then.
"""

from __future__ import annotations

from typing import Any

from weasyprint.layout import float as floats
from weasyprint.layout import inline, preferred

from publish.pdf.weasy.extension import Extension


def shrink_to_fit(context: Any, box: Any, available_content_width: float) -> float:
    """The shrink-to-fit content width of `box`, as CSS 2.1 §10.3.5 defines it."""
    most = preferred.max_content_width(context, box, outer=False)
    if most <= available_content_width:
        return most  # min(max(least, room), most) is `most` whatever `least` is
    least = preferred.min_content_width(context, box, outer=False)
    return min(max(least, available_content_width), most)


EXTENSION = Extension(
    logger=__name__,
    without="inline-block widths are measured the slow way",
    # both modules imported shrink_to_fit by name from preferred: each copy is replaced
    replacements=(
        (inline, "shrink_to_fit", shrink_to_fit),
        (floats, "shrink_to_fit", shrink_to_fit),
    ),
    requires=lambda: (
        inline.shrink_to_fit is getattr(preferred, "shrink_to_fit", None)
        and hasattr(preferred, "min_content_width")
        and hasattr(preferred, "max_content_width")
    ),
)
install, uninstall, supported = EXTENSION.install, EXTENSION.uninstall, EXTENSION.supported
