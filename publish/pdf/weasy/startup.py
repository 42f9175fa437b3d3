"""WeasyPrint imported without its slow library search: ~0.25 s of every cold build.

WeasyPrint opens Pango, HarfBuzz and fontconfig by trying several names per library, Windows and
macOS ones first. For each name that is not a file, cffi asks `ctypes.util.find_library`, which
on Linux runs `ldconfig` and then gcc: about 22 child processes before the first page. While
WeasyPrint is imported here, that search answers "not found" at once, so the names fail fast
until the Linux soname (`libpango-1.0.so.0`), which the dynamic loader opens directly. Where
that fails (another system), WeasyPrint is imported again the ordinary way.

Import `weasyprint` from here before any other WeasyPrint module.
"""

from __future__ import annotations

import ctypes.util
import sys
from types import ModuleType


def _without_library_search() -> ModuleType:
    search = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        import weasyprint
    finally:
        ctypes.util.find_library = search
    return weasyprint


def _import() -> ModuleType:
    if "weasyprint" in sys.modules:
        return sys.modules["weasyprint"]
    try:
        return _without_library_search()
    except OSError:
        for name in [n for n in sys.modules if n == "weasyprint" or n.startswith("weasyprint.")]:
            del sys.modules[name]
        import weasyprint

        return weasyprint


weasyprint = _import()
