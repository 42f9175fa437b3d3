"""A paste's bytes to numbered blocks: encoding detected, hard-wrapped lines joined."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

from publish.errors import InputError
from publish.importer.punctuation import ends_sentence, is_han

_LINE_ENDS = re.compile("\r\n?|[\u2028\u2029\x85]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff\ufffe\uffff]")
_SPACES = " \t\u3000\u00a0"
_LATIN_END = re.compile(r"[A-Za-z0-9]$")
_LATIN_START = re.compile(r"^[A-Za-z0-9]")
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_LEGACY = ("gb18030", "big5", "big5hkscs")


@dataclass(frozen=True)
class Decoded:
    """A paste as text, with the encoding it was read in."""

    text: str
    """Text with '\\n' line ends, control codes dropped, tabs as spaces."""
    encoding: str
    """utf-8, utf-16, gb18030, big5 ...: named in the import report."""


@dataclass(frozen=True)
class Block:
    """A paragraph-sized piece of the paste: one line, or hard-wrapped lines joined."""

    text: str
    """The text, outer spaces stripped."""
    line: int
    """Line of the paste on which it starts."""
    blank_before: int
    """Blank lines before it (where articles of one paste part)."""
    style: str = ""
    """What a Word file said it is (headline, subtitle, subhead, list, table, image, footnote,
    caption, p); '' in a paste, where the inference decides."""
    target: str = ""
    """An image block's file in the issue folder (images/01.png)."""


def decode_paste(data: bytes, path: Path) -> Decoded:
    """The text of a pasted file in UTF-8, UTF-16 (BOM), GB18030 or Big5; else a clear stop."""
    if not data.strip():
        raise InputError(f"{path}: the file is empty. Fix: paste the article text into it")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _decoded(data.decode(codec, errors="strict"), codec.removesuffix("-sig"))
    if b"\x00" in data:
        raise InputError(
            f"{path}: this is not a text file (it holds binary data). Fix: save the article as "
            "plain text (.txt) or as a Word file (.docx) and import that"
        )
    try:
        return _decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    return _decoded(*_legacy(data, path))


def _legacy(data: bytes, path: Path) -> tuple[str, str]:
    """Text in the Chinese legacy encoding charset-normalizer finds likeliest."""
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=list(_LEGACY)).best()
    if best is None:
        raise InputError(
            f"{path}: the text is in no encoding the importer knows (UTF-8, UTF-16, GB18030, "
            "Big5). Fix: save it as UTF-8 from your editor and import again"
        )
    return str(best), best.encoding


def _decoded(text: str, encoding: str) -> Decoded:
    text = _LINE_ENDS.sub("\n", text).replace("\t", " ")
    return Decoded(_CONTROL.sub("", text), encoding)


def width(text: str) -> int:
    """Display width: a Han character or full-width mark counts two, anything else one."""
    return sum(2 if is_han(c) or "\u3000" <= c <= "\uffef" else 1 for c in text)


def hard_wrapped(lines: list[str]) -> int:
    """The wrap width of a hard-wrapped text, or 0 when each line is a paragraph: most long
    lines end within a few columns of one width, mid-sentence."""
    widths = sorted(width(line) for line in lines if line.strip())
    if len(widths) < 3:
        return 0
    wrap = widths[int(len(widths) * 0.9) - 1 if len(widths) > 9 else -1]
    near = [line for line in lines if line.strip() and width(line) >= wrap - 4]
    open_ended = [line for line in near if not ends_sentence(line)]
    if wrap < 40 or len(near) < 3 or len(open_ended) * 2 < len(near):
        return 0
    return wrap


def blocks(text: str) -> list[Block]:
    """The paste's blocks: a line each, or in hard-wrapped text, wrapped lines joined."""
    raw_lines = text.split("\n")
    lines = [line.strip(_SPACES) for line in raw_lines]
    wrap = hard_wrapped(lines)
    found: list[Block] = []
    blank = 0
    joining = False
    for number, line in enumerate(lines, 1):
        if not line:
            blank, joining = blank + 1, False
            continue
        indented = raw_lines[number - 1].startswith(("\u3000", "  "))
        if joining and not indented:
            previous = found[-1]
            found[-1] = Block(join(previous.text, line), previous.line, previous.blank_before)
        else:
            found.append(Block(line, number, blank))
        blank = 0
        # a full-width line of a wrapped text goes on in the next, even after a full stop;
        # an indented line starts a paragraph
        joining = bool(wrap) and width(line) >= wrap - 4
    return found


def join(left: str, right: str) -> str:
    """Two pieces of one paragraph: no space between Han, one between two Latin words."""
    gap = " " if _LATIN_END.search(left) and _LATIN_START.match(right) else ""
    return left + gap + right
