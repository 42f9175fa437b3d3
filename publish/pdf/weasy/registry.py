"""The one registry of our WeasyPrint extensions: what rendering installs, what the tests guard."""

from __future__ import annotations

from types import ModuleType

from publish.pdf.weasy import startup  # noqa: F401  first: WeasyPrint imported the fast way

# isort: split
from publish.pdf.weasy import (
    arrays,
    columns,
    fontsubset,
    justify,
    leaders,
    links,
    press,
    sharedfonts,
    shrinkfit,
    struts,
    tagging,
    textlayer,
    widths,
)

LAYOUT = (
    justify,
    columns,
    shrinkfit,
    leaders,
    struts,
    widths,
    links,
    textlayer,
    press,
    tagging,
    arrays,
    fontsubset,
)
"""Installed in every process that lays out pages, in this order (publish.pdf.render)."""
SHARING = (sharedfonts,)
"""Installed only where a long issue's chunks share their font programs (publish.pdf.worker)."""
EXTENSIONS: tuple[ModuleType, ...] = LAYOUT + SHARING
"""Every extension: each has EXTENSION, install() and uninstall() (publish.pdf.weasy.extension)."""


def install_layout() -> None:
    """Install the layout extensions (each is idempotent, and warns on another WeasyPrint)."""
    for extension in LAYOUT:
        extension.install()
