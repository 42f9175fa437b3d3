"""Text escaped so CommonMark prints it literally: what an importer writes is text, not markup."""

from __future__ import annotations

import re

_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>&!~|])")
_BLOCK_START = re.compile(r"^([#>+\-=]|\d{1,9}[.)])")


def escape_markdown(text: str) -> str:
    """A paragraph escaped so CommonMark renders it literally, as one paragraph."""
    escaped = _INLINE_SPECIAL.sub(r"\\\1", text)
    match = _BLOCK_START.match(escaped)
    if match:
        mark = match.group(1)
        escaped = mark[:-1] + "\\" + mark[-1] + escaped[len(mark) :]
    return escaped
