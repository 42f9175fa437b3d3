"""The rebuild cache: an output is reused when the hash of everything that made it still matches.

The hash covers the issue folder (config, articles, its own layouts), the shipped layouts, the
project's fonts/ and the system's font files (by name, size and time), the program (its version,
its own source files and the installed distributions) and the output's options. The record of an
out folder lives in the user's cache folder ($XDG_CACHE_HOME/publish, or ~/.cache/publish), so
the out folder holds only outputs; an output whose size or time changed since it was recorded
(edited, replaced, deleted) is rebuilt. `publish build --force` ignores the record.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sysconfig
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from publish.model import Written

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


def inputs_digest(issue_dir: Path) -> str:
    """Hash of everything an output depends on apart from its own options."""
    digest = hashlib.sha256()
    _feed(digest, [issue_dir, ROOT / "layouts", ROOT / "fonts", PROGRAM])
    _feed(digest, SYSTEM_FONTS, by_content=False)
    digest.update("\n".join(_distributions()).encode())
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

    @classmethod
    def load(cls, out: Path) -> RebuildCache:
        """The record of `out`; an unreadable or missing one is an empty cache."""
        try:
            entries = json.loads(record_file(out).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            entries = {}
        return cls(out, entries if isinstance(entries, dict) else {})

    def reuse(self, target: Path, key: str) -> Written | None:
        """The output as last written if it is up to date and untouched since, else None."""
        entry = self.entries.get(target.name)
        try:
            stat = target.stat()
        except OSError:
            return None
        if not entry or entry.get("key") != key or entry.get("stamp") != _stamp(stat):
            return None
        return Written(target, int(entry.get("pages", 0)), stat.st_size, 0.0)

    def record(self, written: Written, key: str) -> None:
        """Remember how a freshly written output was made."""
        stamp = _stamp(written.path.stat())
        self.entries[written.path.name] = {"key": key, "stamp": stamp, "pages": written.pages}

    def forget(self, target: Path) -> None:
        """Drop an output's record (its build failed or was refused)."""
        self.entries.pop(target.name, None)

    def save(self) -> None:
        """Write the record atomically (a half-written record would only cost a rebuild)."""
        record = record_file(self.out)
        try:
            record.parent.mkdir(parents=True, exist_ok=True)
            partial = record.with_name(f"{record.name}.{os.getpid()}.part")
            text = json.dumps(self.entries, indent=1, sort_keys=True)
            partial.write_text(text, encoding="utf-8")
            os.replace(partial, record)
        except OSError as error:  # no cache folder only costs the next rebuild
            LOGGER.info("rebuild cache not saved: %s", error)


def record_file(out: Path) -> Path:
    """Where the record of an out folder is kept."""
    name = hashlib.sha256(str(out.resolve()).encode()).hexdigest()[:24]
    return CACHE_HOME / f"{name}.json"


def _stamp(stat: os.stat_result) -> list[int]:
    return [stat.st_size, stat.st_mtime_ns]
