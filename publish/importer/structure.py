"""What each block of a pasted article is: headline, metadata, byline, turn, sub-head, caption,
editor's note, pull quote or paragraph."""

from __future__ import annotations

import re
from dataclasses import dataclass

from publish.importer.byline import (
    Byline,
    author_line,
    likely_name,
    parse_byline,
    reporter_mentions,
)
from publish.importer.lines import Block, join
from publish.importer.punctuation import ends_sentence
from publish.importer.script import shadow

SHORT = 40
"""Longest block (characters) that can be a sub-head, caption or headline line."""

_DATE = re.compile(
    r"\d{4}\s*[-/年.]\s*\d{1,2}\s*[-/月.]\s*\d{1,2}|\d{1,2}/\d{1,2}/\d{4}|\d{1,2}:\d{2}"
)
_SOURCE = re.compile(r"来源\s*[：:]|^来源|刊出日期|发布时间|更新时间|^[（(][^（）()]{2,10}[）)]$")
_DASHES = re.compile(r"[—─\-－]{2,}")
_EDITOR_NOTE = re.compile(r"^[【\[]?(?:编者按|编按|编者的话|编者)[】\]]?[：:\s]?|[—─]{1,2}\s*编者$")
_CAPTION_MARK = re.compile(
    r"^图为|^[（(]?图[：:／/]|^▲|^△|[（(]?(?:摄|摄影)[：:／/]|摄[）)]?$|供图[）)]?$|图片来源"
)
_CREDIT = re.compile(
    r"\s*[（(]?(?:摄影|摄)[：:／/]\s*(\S+?)(?:[／/]\S+)?[）)]?$|\s*([\u4e00-\u9fff]{2,4})\s*摄[）)]?$"
)
_ACTION = re.compile(r"在|与|和|接受|采访|出席|交谈|访谈中|讲话|发言|合影|介绍|参观|图为")
_INTERVIEWER = re.compile(
    r"^(?:问|答|记者|本报记者|主持人|嘉宾|Q|A|编者)(?=$|[^\u4e00-\u9fff]|[\u4e00-\u9fff]{2,3}$)"
)
_LABEL = re.compile(
    r"^([^：:﹕，,。！？“”「」\s]{1,12}?(?:[（(]下称「[^」]{1,4}」[）)])?)\s*[：:﹕](?!//)\s*(?=\S)"
)
_SHORT_FORM = re.compile(r"[（(]下称「([^」]{1,4})」[）)]")
_NUMBERED = re.compile(r"^[一二三四五六七八九十]+、|^\d{1,2}[.、]")
_SEPARATOR = re.compile(r"^[-=*_—─~＊·•]{3,}$")


@dataclass(frozen=True)
class Piece:
    """A block of an article body with what it is."""

    kind: str
    """paragraph, turn, subhead, caption, editor-note or pullquote."""
    text: str
    """Text as printed (a turn includes its label and colon)."""
    line: int
    """Line of the paste it starts on."""
    label: str = ""
    """A turn's label (张三, 问, 潘), a caption's credit, or a figure's image file."""
    markup: bool = False
    """Whether the text holds live Markdown (a Word file's footnote references, tables)."""


def is_separator(block: Block) -> bool:
    """A line of dashes or stars that parts two articles."""
    return bool(_SEPARATOR.match(block.text))


def is_metadata(text: str) -> bool:
    """A date, time or source line (2018年04月07日 19:59 来源：某某网), not a sentence."""
    simple = shadow(text)
    if len(text) > 80 or re.search(r"[。！？]", simple):
        return False
    return bool(_SOURCE.search(simple) or _DATE.search(simple) and not _LABEL.match(simple))


def standalone_byline(text: str, *, last: bool, first: bool = False) -> Byline | None:
    """The byline of a block that is one: role words and names, a bare bracket of names at the
    end, an author line, 记者 with a name in a short line, or (`first` under the headline) a
    name alone."""
    if _CAPTION_MARK.search(shadow(text)):
        return None  # 图为…记者 张三 摄 is a caption with its credit, not a byline
    if (byline := parse_byline(text, bare=last)) is not None:
        return byline
    if first and likely_name(text):
        return Byline(reporters=(text,), printed=text)
    if (author := author_line(text)) is not None:
        return Byline(reporters=(author,), printed=text)
    names = reporter_mentions(text) if len(text) <= SHORT and ends_sentence(text) is False else ()
    return Byline(reporters=names, printed=text) if names else None


def lead_byline(text: str) -> tuple[Byline, str] | None:
    """A byline opening the lead (本报讯（记者 张三）, （中央社记者…台北3日电）) and the rest."""
    simple = shadow(text)
    match = re.match(r"^(\S{0,24}?)[（(]([^（）()]{2,40})[）)][：:\s]*", simple)
    if not match or (match.group(1) and not re.search(r"消息|讯|电|】", match.group(1))):
        return None
    byline = parse_byline(text[: match.end(2) + 1])
    if byline is None or not (byline.reporters or byline.editors):
        return None
    return Byline(
        byline.reporters, byline.editors, byline.credits, text[: match.end()].strip()
    ), text[match.end() :]


def headline_parts(text: str) -> tuple[str, str, Byline | None]:
    """Title, subtitle (after an inner dash run) and byline (a bracket at the end) of a line."""
    byline = None
    if bracket := re.search(r"[（(]([^（）()]{2,20})[）)]$", text):
        byline = parse_byline(bracket.group(), bare=True)
        if byline is not None:
            text = text[: bracket.start()].rstrip()
    dash = _DASHES.search(text)
    if dash and dash.start() > 0 and text[dash.end() :].strip():
        return text[: dash.start()].rstrip(), text[dash.start() :], byline
    return text, "", byline


def editor_note(text: str) -> bool:
    """An editor's note: 编者按 first, or ——编者 last."""
    return bool(_EDITOR_NOTE.search(shadow(text)))


def caption_credit(text: str, speakers: tuple[str, ...]) -> tuple[str, str] | None:
    """(caption, credit as printed) when the block is a photo caption, else None: 图为…, …摄,
    供图, or a short line showing a speaker doing something (张三在采访代表)."""
    simple = shadow(text)
    marked = _CAPTION_MARK.search(simple)
    described = (
        len(text) <= 25
        and "，" not in simple
        and "：" not in simple
        and any(name in text for name in speakers)
        and _ACTION.search(simple)
    )
    if not (marked or described):
        return None
    credit = _CREDIT.search(simple)
    if not credit:
        return text, ""
    start = credit.start()
    if prefix := re.search(r"(?:本报|本网|新华社)?记者\s*$", simple[:start]):
        start = prefix.start()  # 记者 王小明 摄: the role belongs to the credit
    caption = text[:start].rstrip()
    return caption, text[len(caption) :]  # the credit with the space before it, as printed


def credit_name(printed: str) -> str:
    """The photographer of a caption's credit (摄：陈焯煇／端传媒 → 陈焯煇)."""
    credit = _CREDIT.search(shadow(printed))
    if not credit:
        return printed
    name = printed[slice(*credit.span(1 if credit.group(1) else 2))]
    return name.removeprefix("记者").removeprefix("記者").strip()


def label_of(text: str) -> str:
    """The label a paragraph opens with (张三：, 问：), or ''."""
    match = _LABEL.match(shadow(text))
    return text[: match.end(1)] if match else ""


def short_forms(texts: list[str]) -> dict[str, str]:
    """Short labels a text defines, 倪匡（下称「倪」） → {倪: 倪匡}."""
    forms = {}
    for text in texts:
        label = label_of(text)
        if short := _SHORT_FORM.search(shadow(label)):
            forms[label[short.start(1) : short.end(1)]] = label[: short.start()]
    return forms


def person_of(label: str) -> str:
    """The person of a label, its short form taken off: 倪匡（下称「倪」） → 倪匡."""
    short = _SHORT_FORM.search(shadow(label))
    return label[: short.start()] if short else label


def interviewer_word(label: str) -> bool:
    """A label that names the asking side by its function (问, 记者, 主持人沙晨)."""
    return bool(_INTERVIEWER.match(shadow(label)))


def subhead(text: str, following: bool) -> bool:
    """A sub-head: a short line that is no sentence (or a quoted short question), no label, no
    space inside, with body text after it."""
    if not following or len(text) > SHORT or " " in text or "：" in text:
        return False
    quoted = text[0] in "“「" and text[-1] in "”」" and len(text) <= 20
    return not ends_sentence(text) or quoted or bool(_NUMBERED.match(text)) and len(text) <= 20


def repair(pieces: list[Piece]) -> list[Piece]:
    """A long paragraph that stops mid-sentence joined with the paragraph that continues it."""
    out: list[Piece] = []
    for piece in pieces:
        last = out[-1] if out else None
        if (
            last
            and last.kind in ("paragraph", "turn")
            and piece.kind == "paragraph"
            and len(last.text) > SHORT
            and not ends_sentence(last.text)
            and not label_of(piece.text)
        ):
            out[-1] = Piece(last.kind, join(last.text, piece.text), last.line, last.label)
        else:
            out.append(piece)
    return out
