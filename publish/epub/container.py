"""Reproducible EPUB containers: fixed entry order and timestamps, build moment from inputs."""

from __future__ import annotations

import datetime
import io
import zipfile
from pathlib import Path

from publish.run.moment import EARLIEST

MIMETYPE = "mimetype"
CONTAINER = "META-INF/container.xml"
ZIP_EPOCH = EARLIEST
"""The earliest moment a zip entry can carry."""
ZIP_END = datetime.datetime(2107, 12, 31, 23, 59, 58, tzinfo=datetime.UTC)


def repack(raw: bytes, target: Path, moment: datetime.datetime) -> None:
    """Rewrite zip `raw` to `target`: mimetype first and stored, all entries stamped `moment`."""
    stamp = min(max(moment, ZIP_EPOCH), ZIP_END).timetuple()[:6]
    with zipfile.ZipFile(io.BytesIO(raw)) as source, zipfile.ZipFile(target, "w") as out:
        for name in entry_order(source.namelist()):
            out.writestr(_entry(name, stamp), source.read(name))


def entry_order(names: list[str]) -> list[str]:
    """mimetype, then the container, then the rest in the order the book was assembled."""
    first = [n for n in (MIMETYPE, CONTAINER) if n in names]
    return first + [n for n in names if n not in first]


def _entry(name: str, stamp: tuple[int, ...]) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=stamp)  # type: ignore[arg-type]
    # mimetype must be stored so readers find it at a fixed offset (OCF 3, 4.3)
    info.compress_type = zipfile.ZIP_STORED if name == MIMETYPE else zipfile.ZIP_DEFLATED
    info.create_system = 3  # unix, whatever machine builds it
    info.external_attr = 0o644 << 16
    return info
