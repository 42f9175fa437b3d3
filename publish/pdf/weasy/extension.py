"""Our layout extensions of WeasyPrint 70: functions of its internals replaced, and put back.

Each extension (listed once, in publish.pdf.weasy.registry)
names the functions it replaces and where they live. Installing one checks that the running
WeasyPrint is the major version they were written and tested against and still has each of them
there (the same function wherever several modules imported it by name); otherwise it warns, says
what the issue gets instead, and leaves WeasyPrint as it is.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from publish.pdf.weasy.startup import weasyprint

SUPPORTED_MAJOR = "70"
"""The WeasyPrint major version whose internals the extensions were written against."""


@dataclass
class Extension:
    """A set of WeasyPrint functions replaced together."""

    logger: str
    """The extension's logger, which carries the warning when it cannot be installed."""
    without: str
    """What the issue gets when the extension is not installed, e.g. 'lines are not justified'."""
    replacements: tuple[tuple[Any, str, Callable[..., Any]], ...]
    """(module or class, attribute, replacement) of every function replaced."""
    requires: Callable[[], bool] = lambda: True
    """Further checks of WeasyPrint's internals the replacements rely on."""
    originals: dict[str, Any] = field(default_factory=dict)
    """WeasyPrint's own functions by attribute name, while installed."""

    def supported(self) -> bool:
        """Whether the installed WeasyPrint has the functions replaced, where expected."""
        if weasyprint.__version__.split(".")[0] != SUPPORTED_MAJOR:
            return False
        found: dict[str, Any] = {}
        for owner, name, _ in self.replacements:
            current = getattr(owner, name, None)
            if current is None or found.setdefault(name, current) is not current:
                return False
        return self.requires()

    def install(self) -> bool:
        """Replace the functions (idempotent); False, with a warning, if unsupported."""
        if self.originals:
            return True
        if not self.supported():
            logging.getLogger(self.logger).warning(
                "WeasyPrint %s is not %s.x (or its internals moved): %s",
                weasyprint.__version__,
                SUPPORTED_MAJOR,
                self.without,
            )
            return False
        for owner, name, replacement in self.replacements:
            self.originals.setdefault(name, getattr(owner, name))
            setattr(owner, name, replacement)
        return True

    def uninstall(self) -> None:
        """Put WeasyPrint's own functions back (used by tests that compare both)."""
        for owner, name, _ in self.replacements:
            if name in self.originals:
                setattr(owner, name, self.originals[name])
        self.originals.clear()

    def original(self, name: str) -> Any:
        """WeasyPrint's own function `name`, which the replacement calls on to."""
        return self.originals[name]
