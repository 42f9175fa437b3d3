"""The rebuild cache: an output is reused when the hash of everything that made it still matches.

The hash covers the issue folder (config, articles, its own layouts), the shipped layouts, the
project's fonts/ and the system's font files (by name, size and time), the program (its version,
its own source files and the installed distributions) and the output's options. The record of an
out folder lives in the user's cache folder ($XDG_CACHE_HOME/publish, or ~/.cache/publish), so
the out folder holds only outputs; an output whose size or time changed since it was recorded
(edited, replaced, deleted) is rebuilt. `publish build --force` ignores the record.

A record that cannot be trusted (unreadable, cut short, not JSON, written by another version of
publish) is ignored with one warning: every output is rebuilt and the record written afresh. A
cache folder that cannot be written (read-only) costs only the next rebuild, with one warning;
a full disk there stops the build before it starts (exit 2), like a full out folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import sysconfig
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from publish.model import Written
from publish.run.output import disk_full, is_full, probe_write, temporary_prefix

LOGGER = logging.getLogger(__name__)
CACHE_HOME = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "publish"
PROGRAM = Path(__file__).resolve().parents[1]
ROOT = PROGRAM.parent
SYSTEM_FONTS = (
    Path("/usr/share/fonts"),
    Path("/usr/local/share/fonts"),
    Path("/etc/fonts"),
    Path.home() / ".fonts",
    Path.home() / ".local" / "share" / "fonts",
)
"""Font folders and fontconfig's configuration: a font installed or removed changes the hash."""
SMALL = 1 << 20
"""Files up to this size are hashed by content; larger ones (fonts) by size and time."""
FORMAT = 2
"""The shape of a record file; a record of another shape was written by another version."""


def _files(folder: Path) -> Iterator[Path]:
    if folder.is_dir():
        for parent, dirs, names in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if not d.startswith((".", "__pycache__")))
            yield from (Path(parent) / n for n in sorted(names) if not n.startswith("."))


def _feed(digest: hashlib._Hash, folders: Iterable[Path], by_content: bool = True) -> None:
    for folder in folders:
        for path in _files(folder):
            stat = path.stat()
            digest.update(f"{path}\0{stat.st_size}\0".encode())
            if by_content and stat.st_size <= SMALL:
                digest.update(path.read_bytes())
            else:
                digest.update(str(stat.st_mtime_ns).encode())


def _distributions() -> list[str]:
    """Installed distributions with their versions (WeasyPrint, ebooklib, OpenCC, ...)."""
    folders = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    return sorted(n for f in folders if os.path.isdir(f) for n in os.listdir(f) if "-info" in n)


def files_in(folder: Path) -> Iterator[Path]:
    """The files under `folder` in a fixed order, hidden ones and caches left out."""
    return _files(folder)


_FIXED: list[str] = []
"""The program's digest while a build runs (program_fixed), innermost last."""


@contextlib.contextmanager
def program_fixed() -> Iterator[None]:
    """program_digest hashed once for the work inside (a build: the processes it forks inherit
    it), not again by each of the four caches an edition keys with it (~5 ms a call). Only
    inside: a `publish watch` process builds many times, and a font installed between two of
    its builds must change the next one's keys."""
    _FIXED.append(_program_digest())
    try:
        yield
    finally:
        _FIXED.pop()


def program_digest() -> str:
    """Hash of what makes the same HTML give other pages: the program and its distributions,
    the shipped layouts, the project's fonts (by content) and the system's (by name, size and
    time)."""
    return _FIXED[-1] if _FIXED else _program_digest()


def _program_digest() -> str:
    digest = hashlib.sha256()
    _feed(digest, [PROGRAM, ROOT / "layouts", ROOT / "fonts"])
    _feed(digest, SYSTEM_FONTS, by_content=False)
    digest.update("\n".join(_distributions()).encode())
    return digest.hexdigest()


def inputs_digest(issue_dir: Path) -> str:
    """Hash of everything an output depends on apart from its own options."""
    digest = hashlib.sha256()
    _feed(digest, [issue_dir])
    digest.update(program_digest().encode())  # the layouts and fonts shipped, the program
    digest.update(os.environ.get("SOURCE_DATE_EPOCH", "").encode())
    return digest.hexdigest()


def output_key(inputs: str, target: Path, strict: bool) -> str:
    """The key of one output: the inputs, its file name (slug, edition, format) and strictness."""
    return hashlib.sha256(f"{inputs}\0{target.name}\0{strict}".encode()).hexdigest()


@dataclass
class RebuildCache:
    """What each output of a folder was built from, read from and saved to its record file."""

    out: Path
    entries: dict[str, dict] = field(default_factory=dict)
    refused: str | None = None
    """Why the cache folder cannot be written, if it cannot: the record is not saved."""
    changed: bool = False
    """Whether an output was recorded or forgotten since the record was read."""

    @classmethod
    def load(cls, out: Path) -> RebuildCache:
        """The record of `out`; a missing one is an empty cache, an untrustworthy one too (with
        a warning)."""
        record = record_file(out)
        try:
            data = json.loads(record.read_bytes())
        except FileNotFoundError:
            return cls(out)
        except OSError as error:
            return cls._ignored(out, f"{record}: cannot be read ({error.strerror})")
        except ValueError:  # UnicodeDecodeError included
            return cls._ignored(out, f"{record}: damaged (cut short, or not JSON)")
        entries = _entries(data)
        if entries is None:
            return cls._ignored(out, f"{record}: written by another version of publish")
        return cls(out, entries)

    @classmethod
    def _ignored(cls, out: Path, problem: str) -> RebuildCache:
        LOGGER.warning("rebuild cache %s; ignored, so every output is built again", problem)
        return cls(out, changed=True)  # saved afresh after the build

    def check(self) -> None:
        """Before a build: a full cache disk stops it (exit 2); a read-only cache folder is
        only warned of, and not written."""
        try:
            probe_write(CACHE_HOME)
        except OSError as error:
            if is_full(error):
                where = "set XDG_CACHE_HOME to a folder on another disk"
                raise disk_full(CACHE_HOME, "the rebuild cache", where) from None
            self.refused = error.strerror or str(error)  # warned of once there is news to save

    def reuse(self, target: Path, key: str) -> Written | None:
        """The output as last written if it is up to date and untouched since, else None."""
        entry = self.entries.get(target.name)
        try:
            stat = target.stat()
        except OSError:
            return None
        if not entry or entry["key"] != key or entry["stamp"] != _stamp(stat):
            return None
        return Written(target, entry["pages"], stat.st_size, 0.0)

    def record(self, written: Written, key: str) -> None:
        """Remember how a freshly written output was made."""
        stamp = _stamp(written.path.stat())
        self.entries[written.path.name] = {"key": key, "stamp": stamp, "pages": written.pages}
        self.changed = True

    def forget(self, target: Path) -> None:
        """Drop an output's record (its build failed or was refused)."""
        self.changed |= self.entries.pop(target.name, None) is not None

    def save(self) -> None:
        """Write the record atomically, if it changed; a cache folder that refuses it only
        costs the next build a rebuild (with a warning)."""
        if not self.changed:
            return
        if self.refused is not None:
            return self._not_saved(self.refused)
        record = record_file(self.out)
        text = json.dumps({"format": FORMAT, "outputs": self.entries}, indent=1, sort_keys=True)
        partial = record.with_name(f"{temporary_prefix(record.name)}part")
        try:
            record.parent.mkdir(parents=True, exist_ok=True)
            partial.write_text(text, encoding="utf-8")
            os.replace(partial, record)
        except OSError as error:  # the outputs are in place: a build is not failed for this
            partial.unlink(missing_ok=True)
            self._not_saved(error.strerror or str(error))

    def _not_saved(self, reason: str) -> None:
        LOGGER.warning(
            "rebuild cache %s: cannot be written (%s); the outputs are built all the same, "
            "but the next build cannot tell they are up to date",
            CACHE_HOME,
            reason,
        )


def _entries(data: object) -> dict[str, dict] | None:
    """The outputs of a record of this version's shape, or None."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return None
    outputs = data.get("outputs")
    if not isinstance(outputs, dict) or not all(map(_is_entry, outputs.values())):
        return None
    return outputs


def _is_entry(entry: object) -> bool:
    return (
        isinstance(entry, dict)
        and isinstance(entry.get("key"), str)
        and isinstance(entry.get("pages"), int)
        and isinstance(entry.get("stamp"), list)
        and len(entry["stamp"]) == 2
        and all(isinstance(n, int) for n in entry["stamp"])
    )


def record_file(out: Path) -> Path:
    """Where the record of an out folder is kept."""
    name = hashlib.sha256(str(out.resolve()).encode()).hexdigest()[:24]
    return CACHE_HOME / f"{name}.json"


def _stamp(stat: os.stat_result) -> list[int]:
    return [stat.st_size, stat.st_mtime_ns]
