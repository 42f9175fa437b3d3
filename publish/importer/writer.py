"""Inferred articles as article files: front matter (with what has no key kept as comments)
and a Markdown body in the contract's dialect."""

from __future__ import annotations

import re

from publish.importer.paste import PastedArticle
from publish.importer.structure import Piece


def pasted_markdown(article: PastedArticle, front_yaml: str, escape: callable) -> str:
    """The article file: front matter, then the body pieces separated by blank lines."""
    comments = [f"# {line}" for line in front_comments(article)]
    front = front_yaml.rstrip("\n").split("\n")
    # comments go right under title and subtitle, so the top of the paste reads in order
    at = 2 if len(front) > 1 and front[1].startswith("subtitle:") else 1
    lines = [*front[:at], *comments, *front[at:]]
    body = "\n\n".join(piece_markdown(p, escape) for p in article.pieces)
    return "---\n" + "\n".join(lines) + f"\n---\n{body}\n"


def front_comments(article: PastedArticle) -> list[str]:
    """What the paste printed that has no front-matter key: kicker, bylines, editors, credits,
    date and source lines."""
    byline = article.byline
    lines = []
    if article.kicker:
        lines.append(f"kicker (引题): {article.kicker}")
    if byline.printed:
        lines.append(f"byline as printed: {byline.printed}")
    if byline.editors:
        lines.append(f"editors: {'、'.join(byline.editors)}")
    if byline.credits:
        lines.append("credits: " + "、".join(f"{role} {name}" for role, name in byline.credits))
    lines += [f"date or source line: {line}" for line in article.metadata]
    return lines


_FOOTNOTE_REF = re.compile(r"\\\[\^(\d+)\\\]")
_BLOCK_MARK = re.compile(r"^(?:- |\d+\. |\[\^\d+\][:：] ?)")


def piece_markdown(piece: Piece, escape: callable) -> str:
    """One body piece in the dialect: ## sub-head, a figure, a ::: container, a Word file's
    table, list item or footnote, or a paragraph."""
    if piece.kind == "table":
        return piece.text  # cells escaped when the table was built
    if piece.kind in ("list", "footnote") and (mark := _BLOCK_MARK.match(piece.text)):
        # the import's punctuation rule made the footnote's colon full-width: Markdown needs ':'
        written = mark.group().replace("：", ": ").replace(":  ", ": ")
        return written + _live(escape(piece.text[mark.end() :]))
    if piece.kind == "figure":
        caption = piece.text.replace("\\", "\\\\").replace('"', '\\"')
        return f'![]({piece.label} "{caption}")'
    text = escape(piece.text)
    if piece.markup:
        text = _live(text)
    if text.startswith(":::"):
        text = "\\" + text  # a pasted ::: line is text, not a container fence
    if piece.kind == "subhead":
        return f"## {text}"
    if piece.kind == "caption":
        # the dialect's figure needs its picture (the reader opens it): without one the
        # caption stays a paragraph, and the report asks for the photo
        return escape(piece.text + piece.label)
    if piece.kind in ("editor-note", "pullquote"):
        return f"::: {piece.kind}\n{text}\n:::"
    return text


def _live(text: str) -> str:
    """Escaped text with Word's footnote references [^1] made live again."""
    return _FOOTNOTE_REF.sub(r"[^\1]", text)
