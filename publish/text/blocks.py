"""The plain text of a body, block by block, as the copy desk reads it (no Markdown marks)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from markdown_it.token import Token

from publish.text.figures import Figure
from publish.text.markup import BOXES, parse

Kind = Literal["paragraph", "heading", "item", "cell", "caption", "note", "pullquote", "label"]
LABEL_LINE = 12
"""Longest paragraph that, set all in bold, is a label line (嘉宾 张三) rather than a sentence."""


@dataclass(frozen=True)
class Block:
    """A block of body text: its words without markup, what kind of block it is, its line."""

    line: int
    """0-based body line the block starts on."""
    text: str
    kind: Kind
    """Only a `paragraph` (or `note`) is expected to end a sentence."""
    box: str = ""
    """The box it is in (editor-note, bio, sidebar, pullquote), or empty."""


def text_blocks(markdown: str) -> Iterator[Block]:
    """Every block of a body that holds text, in order."""
    kinds: list[Kind] = []
    boxes: list[str] = []
    line = 0
    # a lone CR ends a line for CommonMark but not for the editor counting lines in the file
    for token in parse(markdown.replace("\r\n", "\n").replace("\r", " ")):
        line = (token.map or [line])[0]
        if token.type.startswith("container_"):
            name = token.type.removeprefix("container_").rsplit("_", 1)[0]
            _push(boxes, BOXES.get(name, ""), token.nesting)
        elif token.type in _KINDS:
            _push(kinds, _KINDS[token.type], token.nesting)
        elif token.type == "figure":
            figure: Figure = token.meta["figure"]
            caption = " ".join(t for t in (figure.caption, figure.credit) if t)
            if caption:
                yield Block(figure.line, caption, "caption", _top(boxes))
        elif token.type == "inline":
            text = plain_text(token.children or [])
            box = _top(boxes)
            kind: Kind = (
                "pullquote" if box == "pullquote" else (kinds[-1] if kinds else "paragraph")
            )
            if kind == "paragraph" and _label_line(token.children or [], text):
                kind = "label"
            if text.strip():
                yield Block(line, text.strip(), kind, box)


_KINDS: dict[str, Kind] = {
    "heading_open": "heading",
    "heading_close": "heading",
    "list_item_open": "item",
    "list_item_close": "item",
    "th_open": "cell",
    "th_close": "cell",
    "td_open": "cell",
    "td_close": "cell",
    "footnote_open": "note",
    "footnote_close": "note",
}


def _label_line(children: list[Token], text: str) -> bool:
    """A short paragraph set wholly in bold: a speaker's label line or a run-in title."""
    marks = [c for c in children if c.type != "text" or c.content.strip()]
    whole = bool(marks) and marks[0].type == "strong_open" and marks[-1].type == "strong_close"
    return whole and len(text.strip()) <= LABEL_LINE


def _push(stack: list, value: object, nesting: int) -> None:
    if nesting == 1:
        stack.append(value)
    elif nesting == -1 and stack:
        stack.pop()


def _top(stack: list[str]) -> str:
    return stack[-1] if stack else ""


def plain_text(children: list[Token]) -> str:
    """The words of an inline run: text and code, without marks, images or note references."""
    parts = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)
