"""Warnings from WeasyPrint and from publish itself, collected so they are shown once, grouped."""

from __future__ import annotations

import contextlib
import logging
from collections import Counter
from collections.abc import Iterator

WATCHED = ("weasyprint", "publish", "fontTools")


class WarningCollector(logging.Handler):
    """Counts distinct warning messages; `--strict` fails a build that logged any."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.counts: Counter[str] = Counter()

    def emit(self, record: logging.LogRecord) -> None:
        self.counts[f"{record.name}: {record.getMessage()}"] += 1


@contextlib.contextmanager
def collect_warnings() -> Iterator[WarningCollector]:
    """Collect warnings logged by WeasyPrint and publish while the block runs."""
    collector = WarningCollector()
    loggers = [logging.getLogger(name) for name in WATCHED]
    for logger in loggers:
        logger.addHandler(collector)
    try:
        yield collector
    finally:
        for logger in loggers:
            logger.removeHandler(collector)


def grouped(counts: Counter[str]) -> list[str]:
    """One line per distinct warning, with how often it came."""
    return [f"{message} (×{n})" if n > 1 else message for message, n in sorted(counts.items())]
