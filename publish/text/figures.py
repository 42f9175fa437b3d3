"""Figures of an article body: an image alone in its paragraph, with its caption and credit."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from markdown_it.token import Token

from publish.text.han import HAN_RANGES

CREDIT = re.compile(
    r"[\s\u3000]*("
    rf"(?:[{HAN_RANGES}]{{0,8}}(?:记者|記者|通讯员|通訊員|摄影|攝影)[\s\u3000]*)?"
    rf"[{HAN_RANGES}·]{{2,5}}(?:[\s\u3000、]+[{HAN_RANGES}·]{{2,5}})*[\s\u3000]*[摄攝]"
    rf"|[{HAN_RANGES}]{{0,6}}(?:供图|供圖)"
    r"|资料图片|資料圖片|(?:图片|圖片)来源[：:].+|(?:图片|圖片)來源[：:].+"
    r")$"
)
"""A credit closing a caption: 记者 李华 摄, 新华社记者 王某 摄, 受访者供图, 资料图片, 图片来源…"""


@dataclass(frozen=True)
class Figure:
    """A figure as written in the body: the image, its words and the line it is on."""

    src: str
    """The image path as written, e.g. images/portrait.jpg."""
    alt: str
    """The alt text ([…] of the image); may be empty."""
    caption: str
    """The caption without its credit; may be empty."""
    credit: str
    """The credit that closes the caption (记者 李华 摄), set apart; may be empty."""
    wide: bool
    """`{.wide}`: the figure spans all columns of the page."""
    line: int
    """0-based line of the body the figure is written on."""

    @property
    def label(self) -> str:
        """The text a reader without the picture is given: the alt text, else the caption."""
        return self.alt or " ".join(p for p in (self.caption, self.credit) if p)


def split_credit(title: str) -> tuple[str, str]:
    """A caption's text and the credit that closes it (either may be empty)."""
    title = title.strip()
    match = CREDIT.search(title)
    if not match:
        return title, ""
    return title[: match.start()].strip(), match.group(1).strip()


def figure_of(tokens: list[Token], index: int) -> Figure | None:
    """The figure a paragraph starting at tokens[index] is, or None when it is not one."""
    if tokens[index].type != "paragraph_open" or index + 2 >= len(tokens):
        return None
    inline = tokens[index + 1]
    children = [c for c in inline.children or [] if not _blank(c)]
    if len(children) != 1 or children[0].type != "image":
        return None
    image = children[0]
    caption, credit = split_credit(str(image.attrGet("title") or ""))
    classes = str(image.attrGet("class") or "").split()
    return Figure(
        src=str(image.attrGet("src") or ""),
        alt="".join(c.content for c in image.children or []).strip(),
        caption=caption,
        credit=credit,
        wide="wide" in classes,
        line=(tokens[index].map or [0])[0],
    )


def _blank(token: Token) -> bool:
    return token.type in ("softbreak", "hardbreak") or (
        token.type == "text" and not token.content.strip()
    )


def figures_in(tokens: list[Token]) -> Iterator[Figure]:
    """Every figure of a parsed body, in order."""
    for index in range(len(tokens)):
        figure = figure_of(tokens, index)
        if figure is not None:
            yield figure
