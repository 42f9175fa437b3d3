"""Font subsetting without a C parse per glyph count: a version-guarded extension of WeasyPrint 70.

WeasyPrint 70 subsets each font with HarfBuzz through cffi arrays it declares by their length,
`ffi.new(f'hb_codepoint_t[{n}]', values)`. cffi parses every new declaration with pycparser
(~7 ms) and caches it by its text, so each distinct glyph count costs a parse: two or three per
face of every PDF (a third of a cover's render, ~0.05 s a chunk). `install()` gives the font
module a cffi whose `new` declares such an array open, `hb_codepoint_t[]`, sized by its values:
the same array, one parse per process.

`declare_ahead()` parses, in the process the workers fork from, the C types WeasyPrint 70's
text layout and PDF writer ask cffi for by name on every render (~2–5 ms each): each forked
worker would otherwise parse them again, ~25–35 ms a process (~0.8 CPU s over the 45 processes
of a 1,000-article build).
"""

from __future__ import annotations

import contextlib
import re
from typing import Any

import cffi
from weasyprint.pdf import fonts

from publish.pdf.weasy.extension import Extension

_SIZED = re.compile(r"(\w+)\[(\d+)\]")

AHEAD = (
    "PangoRectangle *",
    "PangoLogAttr[]",
    "PangoFcFontMap *",
    "FcResult *",
    "FcChar8 **",
    "unsigned int *",
    "char[]",
    "char[4]",
    "hb_tag_t[100]",
    "hb_codepoint_t[]",
)
"""The declarations WeasyPrint 70 names in its calls to cffi (found in its sources and in
profiles of forked workers)."""


class OpenArrays:
    """WeasyPrint's cffi instance, its sized arrays of given values declared open."""

    def __init__(self, ffi: Any) -> None:
        self._ffi = ffi

    def new(self, cdecl: str, init: Any = None) -> Any:
        """As cffi's `new`; `T[n]` with n values is made as `T[]` (no new declaration)."""
        sized = _SIZED.fullmatch(cdecl)
        if sized is not None and init is not None and len(init) == int(sized.group(2)):
            return self._ffi.new(f"{sized.group(1)}[]", init)
        return self._ffi.new(cdecl, init)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ffi, name)


def declare_ahead() -> None:
    """Parse the C types of AHEAD in this process, so that the processes it forks have them."""
    for cdecl in AHEAD:
        with contextlib.suppress(cffi.CDefError, cffi.FFIError):  # a version without one
            fonts.ffi.typeof(cdecl)


EXTENSION = Extension(
    logger=__name__,
    without="font subsetting parses a C declaration per glyph count",
    replacements=((fonts, "ffi", OpenArrays(fonts.ffi)),),
    requires=lambda: hasattr(fonts.Font, "_harfbuzz_subset"),
)
install, uninstall, supported = EXTENSION.install, EXTENSION.uninstall, EXTENSION.supported
