"""Article bodies: Markdown to (X)HTML. Raw HTML in a body is shown as text, never as markup.

The dialect is CommonMark with GFM tables, footnotes, `:::` boxes, figures and Q&A turns
(see the README), parsed by markdown-it-py and its plugins; emphasis next to Chinese
punctuation (`**记者：**`) works through mdit-py-cjk-friendly.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Literal

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markupsafe import Markup, escape
from mdit_py_cjk_friendly import cjk_friendly
from mdit_py_plugins.attrs import attrs_plugin
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.footnote import footnote_plugin

from publish.text.figures import Figure, figure_of
from publish.text.turns import mark_turns

BOXES = {
    "editor-note": "editor-note",
    "编者按": "editor-note",
    "編者按": "editor-note",
    "bio": "bio",
    "人物简介": "bio",
    "人物簡介": "bio",
    "sidebar": "sidebar",
    "链接": "sidebar",
    "鏈接": "sidebar",
    "背景": "sidebar",
    "pullquote": "pullquote",
    "引语": "pullquote",
    "引語": "pullquote",
}
"""Container names (English, Simplified, Traditional) → the box they open."""
BOX_TAGS = {
    "editor-note": '<section class="box editor-note">',
    "bio": '<aside class="box bio">',
    "sidebar": '<aside class="box sidebar">',
    "pullquote": '<aside class="box pullquote" epub:type="pullquote" role="doc-pullquote">',
}
"""The element each box is, in print and in the EPUB alike."""
NUMBER = re.compile(r"[+\-−±]?[0-9][0-9,，]*(?:\.[0-9]+)?\s*[%％‰]?[万亿萬億]?")
"""A table cell that is a number: aligned right in tabular figures."""


@dataclass(frozen=True)
class Target:
    """What a body is rendered for: where its images are and how its notes are set."""

    notes: Literal["page", "popup"] = "page"
    """`page`: footnotes float to the foot of the printed page; `popup`: EPUB 3 notes."""
    images: Sequence[str] = ()
    """The src of each figure in the output, in the order of the body; empty: as written."""
    prefix: str = ""
    """Prefix of the ids this body gives, unique within the output document."""
    columns: bool = False
    """Set in columns (print): a wide figure, which spans them, breaks the columns where it
    stands, so one right after a sub-head is set before it (else the sub-head would end the
    columns above the figure, rule 12)."""


PRINT = Target()


@cache
def _parser() -> MarkdownIt:
    # commonmark without raw HTML; links kept only as targets we trust (see _unwrap_links)
    md = MarkdownIt("commonmark", {"html": False, "xhtmlOut": True, "linkify": False})
    md.enable("table")
    md.use(footnote_plugin, inline=False)
    md.use(attrs_plugin, after=("image",), allowed=["class"])
    for name in BOXES:
        md.use(container_plugin, name=name, render=_render_box)
    md.use(cjk_friendly)
    md.validateLink = _loadable
    md.core.ruler.push("figures", _mark_figures)
    md.core.ruler.push("turns", mark_turns)
    md.core.ruler.push("tables", _mark_tables)
    md.core.ruler.push("links", _unwrap_links)
    md.add_render_rule("figure", _render_figure)
    md.add_render_rule("image", _render_inline_image)
    md.add_render_rule("footnote_ref", _render_note_ref)
    md.add_render_rule("footnote_open", _render_note_open)
    md.add_render_rule("footnote_close", _render_note_close)
    for empty in ("footnote_block_open", "footnote_block_close", "footnote_anchor"):
        md.add_render_rule(empty, lambda *_: "")
    return md


def _safe_link(url: str) -> bool:
    """Only web and mail links survive; file:, data:, javascript: and relative paths do not."""
    return url.lower().startswith(("http://", "https://", "mailto:"))


def _loadable(url: str) -> bool:
    """Web and mail targets, and relative paths (images); never another scheme."""
    return _safe_link(url) or re.match(r"[A-Za-z][A-Za-z0-9+.\-]*:", url) is None


def parse(markdown: str, names: Iterable[str] = ()) -> list[Token]:
    """The body's block tokens, figures and turns marked."""
    return _parser().parse(markdown, {"names": tuple(names)})


def body_html(markdown: str, target: Target = PRINT, names: Iterable[str] = ()) -> Markup:
    """The body's blocks as HTML that is also well-formed XHTML."""
    md = _parser()
    env = {"names": tuple(names), "target": target, "figures": 0}
    tokens = md.parse(markdown, env)
    if target.notes == "page":
        tokens = _float_notes(md, tokens, env)
    if target.columns:
        tokens = _wide_before_heads(tokens)
    return Markup(md.renderer.render(tokens, md.options, env))


def figures(markdown: str) -> list[Figure]:
    """The figures of a body, in order."""
    if "![" not in markdown:  # a figure is an image, and no image is written without it
        return []
    return [t.meta["figure"] for t in parse(markdown) if t.type == "figure"]


def _mark_figures(state: StateCore) -> None:
    """A core rule: a paragraph holding only an image becomes one `figure` token."""
    tokens, index = state.tokens, 0
    while index < len(tokens):
        figure = figure_of(tokens, index)
        if figure is not None:
            token = Token("figure", "figure", 0, map=tokens[index].map)
            token.meta = {"figure": figure}
            tokens[index : index + 3] = [token]
        index += 1


def _wide_before_heads(tokens: list[Token]) -> list[Token]:
    """Each wide figure that directly follows a sub-head moved before that sub-head."""
    tokens = list(tokens)
    for index, token in enumerate(tokens):
        wide = token.type == "figure" and token.meta["figure"].wide
        if wide and index >= 3 and tokens[index - 1].type == "heading_close":
            tokens[index - 3 : index + 1] = [token, *tokens[index - 3 : index]]
    return tokens


def _mark_tables(state: StateCore) -> None:
    """A core rule: header cells get a scope, number cells the class that aligns them."""
    tokens = state.tokens
    for index, token in enumerate(tokens[:-1]):
        if token.type == "th_open":
            token.attrSet("scope", "col")
        elif token.type == "td_open" and NUMBER.fullmatch(tokens[index + 1].content.strip()):
            token.attrSet("class", "num")


def _unwrap_links(state: StateCore) -> None:
    """A core rule: links to anything but the web or mail are shown as their text only."""
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        kept, dropping = [], []
        for child in token.children:
            if child.type == "link_open":
                dropping.append(not _safe_link(str(child.attrGet("href") or "")))
                if dropping[-1]:
                    continue
            elif child.type == "link_close" and dropping.pop():
                continue
            kept.append(child)
        token.children = kept


def _float_notes(md: MarkdownIt, tokens: list[Token], env: dict) -> list[Token]:
    """Print: each note's text moves to its reference, to float to the page foot; the list goes."""
    notes: dict[int, str] = {}
    body: list[Token] = []
    current: list[Token] | None = None
    note = 0
    for token in tokens:
        if token.type == "footnote_open":
            current, note = [], token.meta["id"]
        elif token.type == "footnote_close" and current is not None:
            notes[note] = _note_text(md, current, env)
            current = None
        elif current is not None:
            current.append(token)
        elif not token.type.startswith("footnote_block"):
            body.append(token)
    env["notes"] = notes
    return body


def _note_text(md: MarkdownIt, tokens: list[Token], env: dict) -> str:
    inner = [t for t in tokens if t.type not in ("paragraph_open", "paragraph_close")]
    return " ".join(md.renderer.render([t], md.options, env) for t in inner).strip()


def _render_figure(self, tokens: list[Token], idx: int, options, env: dict) -> str:
    figure: Figure = tokens[idx].meta["figure"]
    number = env["figures"]
    env["figures"] = number + 1
    images = env["target"].images
    src = images[number] if number < len(images) else figure.src
    classes = "figure wide" if figure.wide else "figure"
    caption = ""
    if figure.caption or figure.credit:
        credit = Markup('<span class="credit">{}</span>').format(figure.credit)
        caption = Markup("<figcaption>{}{}</figcaption>").format(
            figure.caption, credit if figure.credit else ""
        )
    # str: the renderer adds rule results to a str, which Markup would escape
    return str(
        Markup('<figure class="{}"><img src="{}" alt="{}"/>{}</figure>\n').format(
            classes, src, figure.label, caption
        )
    )


def _render_inline_image(self, tokens: list[Token], idx: int, options, env: dict) -> str:
    # an image inside a sentence is no figure: its words are printed, the picture is not read
    return str(escape("".join(c.content for c in tokens[idx].children or [])))


def inline_images(markdown: str) -> list[tuple[int, str]]:
    """(0-based body line, src) of each image written inside a sentence rather than alone."""
    found = []
    for token in parse(markdown):
        for child in token.children or [] if token.type == "inline" else []:
            if child.type == "image":
                found.append(((token.map or [0])[0], str(child.attrGet("src") or "")))
    return found


def _render_note_ref(self, tokens: list[Token], idx: int, options, env: dict) -> str:
    meta, target = tokens[idx].meta, env["target"]
    if target.notes == "page":
        note = Markup(env["notes"].get(meta["id"], ""))
        return str(Markup('<span class="footnote">{}</span>').format(note))
    number = meta["id"] + 1
    ref = f"{target.prefix}fnref-{number}" + (f"-{meta['subId']}" if meta["subId"] else "")
    return str(
        Markup(
            '<sup><a id="{}" href="#{}fn-{}" class="noteref" epub:type="noteref"'
            ' role="doc-noteref">{}</a></sup>'
        ).format(ref, target.prefix, number, number)
    )


def _render_note_open(self, tokens: list[Token], idx: int, options, env: dict) -> str:
    number, prefix = tokens[idx].meta["id"] + 1, env["target"].prefix
    return (
        f'<aside id="{escape(prefix)}fn-{number}" class="footnote" epub:type="footnote"'
        f' role="doc-footnote"><span class="note-number">{number}</span>'
    )


def _render_note_close(self, tokens: list[Token], idx: int, options, env: dict) -> str:
    return "</aside>\n"


def _render_box(self, tokens: list[Token], idx: int, options, env: dict) -> str:
    token = tokens[idx]
    box = BOXES[token.type.removeprefix("container_").rsplit("_", 1)[0]]
    if token.nesting == -1:
        return "</section>\n" if BOX_TAGS[box].startswith("<section") else "</aside>\n"
    if box not in NAMED_BOXES:
        return BOX_TAGS[box] + "\n"
    # a bio or sidebar is a complementary landmark: each needs a name of its own (Ace's
    # landmark-unique), taken from its first words, numbered when two would be the same
    label = _box_label(tokens[idx + 1 :])
    used = env.setdefault("box_labels", Counter())
    used[label] += 1
    if used[label] > 1:
        label = f"{label} {used[label]}"
    return BOX_TAGS[box].replace(">", str(Markup(' aria-label="{}">').format(label)), 1) + "\n"


NAMED_BOXES = ("bio", "sidebar")
"""Boxes that are landmarks (<aside> without a role of its own)."""
LABEL_END = re.compile(r"[，。：；、！？　\s（(]")


def _box_label(tokens: list[Token]) -> str:
    """A box's name: its first bold words (a sidebar's or a bio's title), else its first words
    up to a punctuation mark, at most 16 characters."""
    inline = next((t for t in tokens if t.type == "inline"), None)
    if inline is None:
        return "…"
    children = inline.children or []
    types = [c.type for c in children]
    text = inline.content
    if "strong_open" in types and "strong_close" in types:
        bold = children[types.index("strong_open") + 1 : types.index("strong_close")]
        text = "".join(c.content for c in bold if c.type == "text") or text
    words = LABEL_END.split(text.strip(), maxsplit=1)[0].strip("*") or text.strip()
    return words[:16] or "…"
