"""Reading text files users give us: UTF-8 only, with a message that says how to convert others."""

from __future__ import annotations

import re
from pathlib import Path

from publish.errors import InputError

_LINE_ENDS = re.compile("\r\n?|[\u2028\u2029\x85]")


def read_user_file(path: Path, limit: int | None = None, too_large: str = "") -> bytes:
    """A file's bytes; missing, a folder, unreadable or over `limit` bytes stops with the fix."""
    try:
        if limit is not None and path.stat().st_size > limit:
            raise InputError(f"{path}: {too_large}")
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file. Fix: check the path") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder. Fix: name the text or Word file") from None
    except OSError as error:
        raise InputError(
            f"{path}: cannot be read ({error.strerror}). Fix: check the path"
        ) from None


def read_utf8(path: Path) -> str:
    """A file's text, BOM dropped, line ends as \\n; another encoding stops with the fix."""
    data = read_user_file(path)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(
            f"{path}:1: the file is UTF-16, not UTF-8. Fix: convert it, e.g. "
            f"iconv -f UTF-16 -t UTF-8 {path} > {path.stem}.utf8{path.suffix}"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        converted = f"{path.stem}.utf8{path.suffix}"
        raise InputError(
            f"{path}:{line}: the file is not UTF-8 (byte {data[error.start]:#04x}). Fix: convert "
            f"it, e.g. from GB18030: iconv -f GB18030 -t UTF-8 {path} > {converted}"
        ) from None
    return _LINE_ENDS.sub("\n", text)
