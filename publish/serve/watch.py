"""`publish watch`: the issue built again after every save, with what was laid out and how long.

A failed build keeps the outputs of the last good one (every output is replaced atomically) and
prints its error as the command line would; the loop goes on until Ctrl-C.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import watchfiles

from publish.errors import InputError, PublishError, message_lines
from publish.model import Written

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = (ROOT / "layouts", ROOT / "fonts")
"""The shipped layouts and fonts: a designer editing them sees the issue rebuilt too."""
SHOWN_NAMES = 5
"""Article and file names listed in a line before the rest are counted."""


@dataclass(frozen=True)
class BuildOptions:
    """What the loop asks of every build, as `publish build` would be told."""

    out: Path
    """The folder the outputs are written to."""
    editions: tuple[str, ...] = ()
    """Editions to build; empty: those publish.yaml asks for."""
    formats: tuple[str, ...] = ()
    """Formats to build; empty: those publish.yaml asks for."""


@dataclass(frozen=True)
class Rebuild:
    """One build of the loop: what set it off, what it laid out and wrote, or why it failed."""

    number: int
    """1 for the build at start, then one more for every batch of saves."""
    changed: tuple[str, ...]
    """Names of the files whose saves set it off, relative to the issue folder."""
    seconds: float
    """Wall time of the build."""
    written: tuple[Written, ...] = ()
    """Every output of the build, rewritten or found up to date."""
    laid_out: tuple[str, ...] = ()
    """Slugs of the articles whose pages were laid out again."""
    error: tuple[str, ...] = ()
    """The message of a failed build, as the command line prints it; empty on success."""

    @property
    def ok(self) -> bool:
        """Whether the build wrote its outputs."""
        return not self.error


def rebuild(
    issue_dir: Path, options: BuildOptions, changed: tuple[str, ...], number: int
) -> Rebuild:
    """Build once; an error becomes the Rebuild's message instead of ending the loop."""
    from publish.build import build

    started = time.perf_counter()
    try:
        # a short issue in pieces: each save lays out the edited article again, not the book
        chosen = {"editions": options.editions, "formats": options.formats}
        report = build(issue_dir, options.out, **chosen)
    except PublishError as error:
        lines = tuple(message_lines(error))
        return Rebuild(number, changed, time.perf_counter() - started, error=lines)
    except Exception as error:  # a bug must not end the editor's loop either
        line = (
            f"unexpected error: {type(error).__name__}: {error}. The last good outputs are kept; "
            "run `publish build` on the issue to see the traceback, and report it"
        )
        return Rebuild(number, changed, time.perf_counter() - started, error=(line,))
    laid_out = tuple(dict.fromkeys(s for slugs in report.laid_out.values() for s in slugs))
    seconds = time.perf_counter() - started
    return Rebuild(number, changed, seconds, tuple(report.written), laid_out)


def describe(result: Rebuild) -> list[str]:
    """The lines the loop prints for one build."""
    cause = f"{_listed(result.changed)} changed; " if result.changed else ""
    if not result.ok:
        head = f"watch: #{result.number} {cause}build failed, the last good outputs are kept:"
        return [head, *(f"  {line}" for line in result.error)]
    fresh = [w.path.name for w in result.written if w.seconds > 0]
    if result.laid_out:
        pages = f"laid out {len(result.laid_out)} article(s) again: {_listed(result.laid_out)}"
    else:
        pages = "no page laid out again"
    wrote = f"wrote {_listed(fresh)}" if fresh else "every output was up to date"
    return [f"watch: #{result.number} {cause}{pages}; {wrote}; {result.seconds:.1f} s"]


def _listed(names: Iterable[str]) -> str:
    names = list(names)
    shown = ", ".join(names[:SHOWN_NAMES])
    more = len(names) - SHOWN_NAMES
    return f"{shown} and {more} more" if more > 0 else shown


WAKE_MS = 1000
"""How often the quiet loop wakes (to see `stop`), in milliseconds."""


def file_stamps(folders: Iterable[Path], out: Path) -> dict[str, tuple[int, int]]:
    """Size and modification time of every file in `folders`, the out folder's left out."""
    skip = out.resolve()
    stamps = {}
    for folder in folders:
        for path in folder.rglob("*"):
            resolved = path.resolve()
            if resolved.is_relative_to(skip) or not path.is_file():
                continue
            stat = path.stat()
            stamps[str(resolved)] = (stat.st_size, stat.st_mtime_ns)
    return stamps


def stamps_changed(
    before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]
) -> set[tuple[watchfiles.Change, str]]:
    """The changes between two file_stamps, as watchfiles reports them."""
    changes = {(watchfiles.Change.deleted, name) for name in before.keys() - after.keys()}
    changes |= {(watchfiles.Change.added, name) for name in after.keys() - before.keys()}
    return changes | {
        (watchfiles.Change.modified, name)
        for name in before.keys() & after.keys()
        if before[name] != after[name]
    }


def watched_folders(issue_dir: Path) -> list[Path]:
    """The issue folder and the shipped layouts and fonts (those that exist)."""
    return [issue_dir, *(folder for folder in SHIPPED if folder.is_dir())]


def changed_names(
    changes: Iterable[tuple[watchfiles.Change, str]], issue_dir: Path
) -> tuple[str, ...]:
    """The changed files, relative to the issue folder (or the program's) where they lie in it;
    files made and deleted within the batch (an editor's or sed's temporary files) left out."""
    kinds: dict[str, set[watchfiles.Change]] = {}
    for change, name in changes:
        kinds.setdefault(name, set()).add(change)
    transient = {watchfiles.Change.added, watchfiles.Change.deleted}
    names = []
    for name, seen in kinds.items():
        if transient <= seen and not Path(name).exists():
            continue
        path = Path(name).resolve()
        for base in (issue_dir.resolve(), ROOT):
            if path.is_relative_to(base):
                names.append(str(path.relative_to(base)))
                break
        else:
            names.append(str(path))
    return tuple(sorted(set(names)))


def watch(
    issue_dir: Path,
    options: BuildOptions,
    say: Callable[[str], None],
    *,
    on_build: Callable[[Rebuild], None] | None = None,
    stop: threading.Event | None = None,
) -> int:
    """Build, then build again after every batch of saves until Ctrl-C (or `stop`); exit code 0."""
    if not issue_dir.is_dir():
        raise InputError(
            f"{issue_dir}: no such issue folder. Fix: pass the folder that holds publish.yaml"
        )

    def once(changed: tuple[str, ...], number: int) -> None:
        result = rebuild(issue_dir, options, changed, number)
        for line in describe(result):
            say(line)
        if on_build is not None:
            on_build(result)

    logging.getLogger("watchfiles").setLevel(logging.ERROR)  # we say it ourselves on Ctrl-C
    say(f"watch: building {issue_dir} into {options.out} on every save; Ctrl-C stops")
    # the out folder may lie inside the issue folder: its own writes must not set off builds
    ignored = watchfiles.DefaultFilter(ignore_paths=[str(options.out.resolve())])
    folders = watched_folders(issue_dir)
    try:
        before = file_stamps(folders, options.out)
        once((), 1)
        changes = watchfiles.watch(
            *folders,
            watch_filter=ignored,
            stop_event=stop,
            raise_interrupt=False,
            yield_on_timeout=True,  # an empty batch first, once the watcher is in place
            rust_timeout=WAKE_MS,
        )
        number, missed = 1, True
        for batch in changes:
            if missed:  # saves made during the first build, before the watcher was there
                made = stamps_changed(before, file_stamps(folders, options.out))
                batch, missed = batch | {c for c in made if ignored(*c)}, False
            if batch:
                number += 1
                once(changed_names(batch, issue_dir), number)
    except KeyboardInterrupt:  # Ctrl-C during a build: its outputs were never half-written
        pass
    say("watch: stopped; the outputs in place are those of the last good build")
    return 0
