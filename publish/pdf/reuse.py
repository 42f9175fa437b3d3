"""Layout reuse across builds: a document laid out for a chunk, a cover, a TOC or an overlay is
kept with its report, keyed by its HTML and everything else that determines its pages, and
taken again instead of laid out when a later build asks for the same.

The key covers the document's HTML (the article's print HTML and the issue's styles, inline),
the render's options (PDF standard, base URL, shared fonts and which font files they may be),
the program (its source and the installed distributions), the fonts (the project's fonts/ by
content, the system's by name, size and time) and every file of the issue folder a document may
read (all but its articles and publish.yaml, whose text is in the HTML).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from publish.run import cache as rebuild_cache
from publish.run.layoutcache import LayoutCache, cache_folder, digest

OUTPUTS = (".pdf", ".epub", ".part")
"""Files of the issue folder no render reads: what builds write."""


def issue_files_digest(root: Path) -> str:
    """Every file of the issue folder a render may read: all but the articles' text and
    publish.yaml (the HTML holds what they say) and outputs (an out folder may lie inside)."""
    hashed = hashlib.sha256()
    for path in rebuild_cache.files_in(root):
        relative = path.relative_to(root)
        text = (
            relative == Path("publish.yaml")
            or relative.parts[0] == "articles"
            and (path.suffix == ".md")
        )
        if text or path.suffix in OUTPUTS:
            continue
        hashed.update(str(relative).encode() + b"\0" + path.read_bytes() + b"\0")
    return hashed.hexdigest()


def context_key(
    root: Path,
    base_url: str | None,
    options: dict[str, Any],
    font_files: dict[int, tuple[str, ...]] | None,
) -> str:
    """What every render of one book shares, hashed: all of its key but its HTML."""
    return digest(
        rebuild_cache.program_digest(),
        issue_files_digest(root),
        str(base_url),
        json.dumps(options, sort_keys=True, default=repr),
        json.dumps(font_files, sort_keys=True),
    )


def job_key(context: str, html: str, items: bool, share: bool) -> str:
    """The key of one render job."""
    return digest(context, html, str(items), str(share))


def cache_of(layout_key: str, read: bool) -> LayoutCache | None:
    """The layout cache a render uses, if its book has one (`read` False: --force)."""
    if not layout_key:
        return None
    return LayoutCache(cache_folder(), read=read)
