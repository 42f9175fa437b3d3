"""The layout cache: laid-out pages of a document kept across builds, found by a key that hashes
everything that determined them.

An entry is a PDF and a JSON record of what its render reported, side by side under the user's
cache folder ($XDG_CACHE_HOME/publish/layout, else ~/.cache/publish/layout). The record names
its key, its format and the PDF's hash: an entry that does not match all three (cut short,
edited, or written by another program) is ignored and removed, never trusted, with a warning.
Each use touches the entry; once the folder holds more than its limit the least recently used
go first. A reference (a small JSON file beside the entries) names a run of pages inside an
entry: where one article of a chunk lies, so that a chunk with one article edited is laid out
from the pages of the others (publish.pdf.pieces); a reference to an entry gone is ignored.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

LOGGER = logging.getLogger(__name__)
FORMAT = 1
"""The record's layout; a record of another format is foreign."""
DEFAULT_LIMIT_MB = 1024
"""Size of the cache unless PUBLISH_LAYOUT_CACHE_MB says otherwise (a 1,000-article issue's
pages take ~60 MB per edition)."""


def cache_folder() -> Path:
    """Where the layout cache lives (read each time: tests and callers may move it)."""
    home = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(home) / "publish" / "layout"


def size_limit() -> int:
    """The cache's size limit in bytes."""
    text = os.environ.get("PUBLISH_LAYOUT_CACHE_MB", "").strip()
    return (
        int(float(text) * 2**20) if text.replace(".", "", 1).isdigit() else DEFAULT_LIMIT_MB << 20
    )


def digest(*parts: str | bytes) -> str:
    """A key made of `parts`, each kept apart from the next."""
    hashed = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        hashed.update(len(data).to_bytes(8, "big") + data)
    return hashed.hexdigest()


@dataclass(frozen=True)
class LayoutCache:
    """A folder of entries; `read` False writes entries but never uses one (--force)."""

    folder: Path
    read: bool = True

    def _paths(self, key: str) -> tuple[Path, Path]:
        base = self.folder / key[:2] / key
        return base.with_suffix(".pdf"), base.with_suffix(".json")

    def take(self, key: str, out: Path) -> dict[str, Any] | None:
        """Copy the entry's PDF to `out` and return its report; None if there is no sound entry."""
        if not self.read or len(key) != 64:
            return None
        pdf, record = self._paths(key)
        try:
            text = record.read_text(encoding="utf-8")
        except OSError:
            return None  # no entry
        try:
            entry, data = json.loads(text), pdf.read_bytes()
        except (OSError, ValueError):
            entry, data = None, b""
        sound = (
            isinstance(entry, dict)
            and entry.get("format") == FORMAT
            and entry.get("key") == key
            and entry.get("pdf") == hashlib.sha256(data).hexdigest()
            and isinstance(entry.get("report"), dict)
        )
        if not sound:
            # one message whatever the entry: the book's parts say it once, not once each
            LOGGER.warning(
                "layout cache %s: an entry is damaged or not written by this version of "
                "publish; ignored and removed, its pages laid out again",
                self.folder,
            )
            self._drop(key)
            return None
        out.write_bytes(data)
        with contextlib.suppress(OSError):  # least recently used goes first
            os.utime(record)
        return entry["report"]

    def put(self, key: str, pdf: Path, report: dict[str, Any]) -> None:
        """Keep `pdf` and its report under `key`; a cache that cannot be written costs only time."""
        target, record = self._paths(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            data = pdf.read_bytes()
            entry = {"format": FORMAT, "key": key, "pdf": hashlib.sha256(data).hexdigest()}
            _write(target, data)  # the PDF first: a record never names a PDF not yet there
            _write(record, json.dumps({**entry, "report": report}).encode())
        except OSError as error:
            LOGGER.info("layout cache: entry not kept: %s", error)

    def put_ref(self, key: str, ref: dict[str, Any]) -> None:
        """Keep a reference (JSON-ready) under `key`; as an entry, at no cost but time if not."""
        path = self.folder / key[:2] / f"{key}.ref"
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            _write(path, json.dumps({"format": FORMAT, "key": key, "ref": ref}).encode())
        except OSError as error:
            LOGGER.info("layout cache: reference not kept: %s", error)

    def take_ref(self, key: str) -> dict[str, Any] | None:
        """The reference kept under `key`; None if there is none, or none sound (no warning:
        the entry it names is checked when taken)."""
        if not self.read or len(key) != 64:
            return None
        try:
            entry = json.loads((self.folder / key[:2] / f"{key}.ref").read_bytes())
        except (OSError, ValueError):
            return None
        sound = (
            isinstance(entry, dict)
            and entry.get("format") == FORMAT
            and entry.get("key") == key
            and isinstance(entry.get("ref"), dict)
        )
        return entry["ref"] if sound else None

    def _drop(self, key: str) -> None:
        for path in self._paths(key):
            with contextlib.suppress(OSError):
                path.unlink()

    def trim(self, limit: int | None = None) -> int:
        """Remove the least recently used entries until the cache fits `limit`; bytes removed."""
        limit = size_limit() if limit is None else limit
        entries = []
        for record in self.folder.glob("??/*.json"):
            pdf = record.with_suffix(".pdf")
            try:
                used, size = record.stat().st_mtime_ns, record.stat().st_size
                size += pdf.stat().st_size if pdf.exists() else 0
            except OSError:
                continue
            entries.append((used, size, record.stem))
        total, removed = sum(size for _, size, _ in entries), 0
        for _, size, key in sorted(entries):
            if total - removed <= limit:
                break
            self._drop(key)
            removed += size
        _remove_strays(self.folder.glob("??/*.part"))
        if removed:  # only then can a reference have lost its entry (a damaged one aside)
            _remove_dangling(self.folder.glob("??/*.ref"))
        return removed


def _write(path: Path, data: bytes) -> None:
    """Write a file whole or not at all (workers write entries side by side)."""
    partial = path.with_name(f"{path.name}.{os.getpid()}.part")
    partial.write_bytes(data)
    os.replace(partial, path)


STRAY_AFTER = 3600
"""Seconds after which a partial file is a killed worker's, not one being written."""


def _remove_strays(paths: Iterable[Path]) -> None:
    """Remove partial files a killed worker left."""
    now = time.time()
    for path in paths:
        with contextlib.suppress(OSError):
            if path.stat().st_mtime < now - STRAY_AFTER:
                path.unlink()


def _remove_dangling(refs: Iterable[Path]) -> None:
    """Remove references whose entry is gone (evicted or dropped) or that do not read."""
    for path in refs:
        try:
            entry = json.loads(path.read_bytes())["ref"]["entry"]
            alive = (path.parent.parent / entry[:2] / f"{entry}.json").exists()
        except (OSError, ValueError, KeyError, TypeError):
            alive = False
        if not alive:
            with contextlib.suppress(OSError):
                path.unlink()
