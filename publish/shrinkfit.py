"""Cheaper shrink-to-fit widths: a version-guarded extension of WeasyPrint 70.

The width of an inline-block (our headline halves, `.part`) is its shrink-to-fit width,
min(max(min-content, available), max-content). WeasyPrint 70 computes the min-content width
first, and for Chinese that means measuring the text between every two characters (each is a
break opportunity), about 4 ms per headline half, laid out several times per page. When the
max-content width fits the room, the min-content width cannot change the result, so
`install()` measures the max-content width first and skips the other one then.
"""

from __future__ import annotations

import logging
from typing import Any

import weasyprint
from weasyprint.layout import float as floats
from weasyprint.layout import inline, preferred

SUPPORTED_MAJOR = "70"
"""The WeasyPrint major version whose internals this extension was written and tested against."""

LOGGER = logging.getLogger(__name__)

_USERS = (inline, floats)
"""The WeasyPrint modules that imported `shrink_to_fit` by name."""

_ORIGINAL: dict[str, Any] = {}


def supported() -> bool:
    """Whether the installed WeasyPrint has the function this extension replaces, where expected."""
    original = getattr(preferred, "shrink_to_fit", None)
    return (
        weasyprint.__version__.split(".")[0] == SUPPORTED_MAJOR
        and original is not None
        and all(getattr(module, "shrink_to_fit", None) is original for module in _USERS)
        and hasattr(preferred, "min_content_width")
        and hasattr(preferred, "max_content_width")
    )


def install() -> bool:
    """Turn on the cheaper shrink-to-fit (idempotent); False, with a warning, if unsupported."""
    if _ORIGINAL:
        return True
    if not supported():
        LOGGER.warning(
            "WeasyPrint %s is not %s.x: inline-block widths are measured the slow way",
            weasyprint.__version__,
            SUPPORTED_MAJOR,
        )
        return False
    _ORIGINAL["shrink_to_fit"] = preferred.shrink_to_fit
    for module in _USERS:
        module.shrink_to_fit = shrink_to_fit
    return True


def uninstall() -> None:
    """Restore WeasyPrint's own shrink-to-fit (used by tests that compare both)."""
    if _ORIGINAL:
        original = _ORIGINAL.pop("shrink_to_fit")
        for module in _USERS:
            module.shrink_to_fit = original


def shrink_to_fit(context: Any, box: Any, available_content_width: float) -> float:
    """The shrink-to-fit content width of `box`, as CSS 2.1 §10.3.5 defines it."""
    most = preferred.max_content_width(context, box, outer=False)
    if most <= available_content_width:
        return most  # min(max(least, room), most) is `most` whatever `least` is
    least = preferred.min_content_width(context, box, outer=False)
    return min(max(least, available_content_width), most)
