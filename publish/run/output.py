"""Atomic output: write to a temporary file beside the target, rename into place on success."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_target(target: Path) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces `target`, on failure it vanishes."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    temporary = Path(name)
    try:
        yield temporary
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()


def output_path(out: Path, slug: str, edition: str, kind: str) -> Path:
    """Where an edition's output goes: `<out>/<slug>-<edition>.<kind>` (kind: pdf or epub)."""
    return out / f"{slug}-{edition}.{kind}"
