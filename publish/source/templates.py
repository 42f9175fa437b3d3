"""Jinja2 templates of a layout, looked up user-first: the issue's own layouts/ win."""

from __future__ import annotations

from pathlib import Path

import jinja2

from publish.errors import InputError
from publish.model import Issue
from publish.source.schema import did_you_mean

LAYOUTS = Path(__file__).resolve().parents[2] / "layouts"
"""Layouts shipped with the program."""


def layout_dirs(issue_root: Path, name: str) -> tuple[Path, ...]:
    """Folders searched for a layout's files, the issue's own first."""
    dirs = tuple(d for d in (issue_root / "layouts" / name, LAYOUTS / name) if d.is_dir())
    if not dirs:
        known = sorted(p.name for p in LAYOUTS.iterdir() if p.is_dir())
        raise InputError(f"unknown layout {name!r}; {did_you_mean(name, known)}")
    return dirs


def find_file(dirs: tuple[Path, ...], name: str) -> Path:
    """The first of `dirs` that holds `name` (a stylesheet, an image)."""
    for folder in dirs:
        if (folder / name).is_file():
            return folder / name
    raise InputError(f"layout file {name!r} not found in {', '.join(map(str, dirs))}")


def environment(dirs: tuple[Path, ...]) -> jinja2.Environment:
    """A template environment: autoescaped, and a typo in a template is an error, not ''."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in dirs]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def shipped_folders(issue: Issue) -> list[Path]:
    """What an edition's tasks read besides their arguments: the issue and its layouts."""
    return [issue.root, *layout_dirs(issue.root, issue.config.layout)]
