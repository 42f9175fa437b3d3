"""Typeset article bodies kept across builds of a long issue: after an edit only the edited
article's body is parsed and typeset again (for 1,000 articles that is most of the time the
print HTML takes).

One file per issue folder and edition under the user cache folder
($XDG_CACHE_HOME/publish/bodies), holding each body's HTML by a key that hashes all it is made
from: the program, the Markdown, where its figures are, and the issue's names (which the
typesetting keeps unbroken). Each build writes it afresh with the bodies of its articles only,
so it never grows beyond one issue. A file that does not read as such is ignored.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from markupsafe import Markup

from publish.model import Article
from publish.run.cache import program_digest
from publish.run.layoutcache import cache_folder, digest
from publish.run.parallel import in_parallel

FORMAT = 1


def store_path(root: Path, tag: str) -> Path:
    """The file keeping the typeset bodies of an issue folder's edition."""
    return cache_folder().parent / "bodies" / f"{digest(str(root.resolve()), tag)}.json"


PARALLEL_BODIES = 100
"""Bodies to typeset from which they are shared among `jobs` forked processes: ~0.6 ms an
article's Markdown and marks, ~10 ms a fork; a 1,000-article issue's ~0.6 s on one core, with
the other idle, before any page can be laid out."""


def kept_bodies(
    articles: Sequence[Article],
    names: Sequence[str],
    target: Callable[[Article], object],
    typeset: Callable[[Article], Markup],
    path: Path,
    read: bool = True,
    jobs: int = 1,
) -> list[Markup]:
    """The typeset body of each article, taken from `path` where its key is there (`read`
    False: --force, every body typeset again), and `path` written with them; `jobs`: forked
    processes that may typeset them (1: this one only, as on a cluster's threaded worker)."""
    program, joined = program_digest(), "\n".join(names)
    keys = [digest(program, a.body, repr(target(a)), joined) for a in articles]
    kept = _load(path) if read else {}
    missing = [a for a, key in zip(articles, keys, strict=True) if not _held(kept, key)]
    made = iter(_typeset(typeset, missing, jobs))
    bodies = [Markup(kept[key]) if _held(kept, key) else next(made) for key in keys]
    fresh = dict(zip(keys, map(str, bodies), strict=True))
    if fresh != kept:
        _save(path, fresh)
    return bodies


def _held(kept: dict[str, object], key: str) -> bool:
    return isinstance(kept.get(key), str)


def _typeset(
    typeset: Callable[[Article], Markup], articles: Sequence[Article], jobs: int
) -> list[Markup]:
    """`typeset` of each article, in order: in one run per process if there are many."""
    if jobs < 2 or len(articles) < PARALLEL_BODIES:
        return [typeset(article) for article in articles]
    size = -(-len(articles) // jobs)
    runs = [(typeset, articles[start : start + size]) for start in range(0, len(articles), size)]
    return [Markup(body) for run in in_parallel(_typeset_run, runs, jobs) for body in run]


def _typeset_run(typeset: Callable[[Article], Markup], articles: Sequence[Article]) -> list[str]:
    """A run of bodies typeset in a worker, sent back as plain strings (they pickle smaller)."""
    return [str(typeset(article)) for article in articles]


def _load(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return {}
    sound = isinstance(data, dict) and data.get("format") == FORMAT
    return data.get("bodies", {}) if sound and isinstance(data.get("bodies"), dict) else {}


def _save(path: Path, bodies: dict[str, str]) -> None:
    """Write the file whole or not at all; a cache that cannot be written costs only time."""
    partial = path.with_name(f"{path.name}.{os.getpid()}.part")
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        partial.write_text(json.dumps({"format": FORMAT, "bodies": bodies}), encoding="utf-8")
        os.replace(partial, path)
    with contextlib.suppress(OSError):
        partial.unlink(missing_ok=True)
