"""A pasted article's blocks to a typed article: headline group, metadata, bylines, speakers and
body pieces, with what was guessed."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from publish.importer import speakers as sp
from publish.importer import structure as st
from publish.importer.byline import Byline, credit_segments
from publish.importer.lines import Block
from publish.importer.punctuation import normalise
from publish.model import Source, Speaker

LEAD = 25
"""Shortest paragraph (characters) taken for the lead, where speakers are introduced."""


@dataclass(frozen=True)
class PastedArticle:
    """One article inferred from a paste."""

    title: str
    """Main headline (主题)."""
    subtitle: str
    """Subheadline (副题) or ——访 line as printed, or ''."""
    kicker: str
    """Line above the headline (引题), or ''."""
    speakers: tuple[Speaker, ...]
    """Interviewees in the order found, roles as printed."""
    byline: Byline
    """Reporters, editors and credits of every byline of the article."""
    metadata: tuple[str, ...]
    """Date and source lines as printed."""
    pieces: tuple[st.Piece, ...]
    """Body: paragraphs, turns, sub-heads, captions, containers."""
    line: int
    """Line of the paste that holds the headline."""
    guesses: tuple[str, ...]
    """What the import guessed, for the editor to check."""


@dataclass
class _Front:
    """The top of an article as it is taken apart (mutable while the parts are found)."""

    title: str
    subtitle: str = ""
    kicker: str = ""
    byline: Byline = Byline()
    metadata: tuple[str, ...] = ()


def infer_article(blocks: list[Block], raw: Path) -> PastedArticle:
    """The article held by `blocks`, the first of which is its headline."""
    blocks = [replace(b, text=normalise(b.text)) for b in blocks]
    guesses: list[str] = []
    if blocks[0].style in ("table", "list", "image", "footnote"):
        # a Word file that opens with a table has no headline line: the file names it
        blocks = [Block(raw.stem, 0, 0, "headline"), *blocks]
        guesses.append(f"no headline line: the file name {raw.stem} is the headline")
    front, rest = _headline_group(blocks, guesses)
    rest = _take_front_and_end(front, rest)
    rest = _take_bylines(front, rest)
    rest = _take_lead_byline(front, rest)
    for block in [b for b in rest if len(b.text) > st.SHORT][:1]:
        if (credits := credit_segments(block.text)) is not None:
            front.byline = front.byline + credits
            guesses.append("names taken from a credit list in the lead (采访：… 编辑：…)")
    context = "\n".join([front.title, front.subtitle, *(b.text for b in rest)])
    labels = Counter(st.label_of(b.text) for b in rest if st.label_of(b.text))
    forms = st.short_forms([b.text for b in rest])
    # the lead: the first two real paragraphs (a caption line is shorter)
    lead = [b.text for b in rest if len(b.text) > LEAD and not st.label_of(b.text)][:2]
    known = frozenset(labels) | frozenset(forms.values())
    found = sp.headline_speakers(front.title, front.subtitle, context, known)
    found += sp.lead_speakers(lead, context, known)
    names = tuple(f.name for f in found) + front.byline.reporters
    heard = "\n".join([front.title, *lead])
    credits: list[tuple[str, str]] = []
    pieces = st.repair(_pieces(rest, names, labels, forms, heard, credits))
    front.byline = front.byline + Byline(credits=tuple(credits))
    found += [sp.Found(name, "", "byline") for name in front.byline.speakers]
    found += _label_speakers(pieces, forms, front.byline.reporters, {f.name for f in found})
    found += sp.profile_speakers([p.text for p in pieces if p.kind == "subhead"], context)
    found = sp.with_roles(found, [front.title, front.subtitle, *lead])
    guesses += _speaker_guesses(found) + _piece_guesses(pieces)
    source = Source(raw, blocks[0].line)
    return PastedArticle(
        title=front.title,
        subtitle=front.subtitle,
        kicker=front.kicker,
        speakers=tuple(Speaker(f.name, f.role, source) for f in found),
        byline=front.byline,
        metadata=front.metadata,
        pieces=tuple(pieces),
        line=blocks[0].line,
        guesses=tuple(guesses),
    )


def _headline_group(blocks: list[Block], guesses: list[str]) -> tuple[_Front, list[Block]]:
    """Kicker, title and subtitle from the first lines (引题 / 主题 / 副题)."""
    title, subtitle, byline = st.headline_parts(blocks[0].text)
    front = _Front(title or blocks[0].text, subtitle, byline=byline or Byline())
    rest = blocks[1:]

    def heading_line(block: Block) -> bool:
        text = block.text
        return (
            len(text) <= st.SHORT
            and not re.search(r"[。；;]$", text)
            and "：" not in text
            and not st.is_metadata(text)
            and st.standalone_byline(text, last=False) is None
        )

    dashed = bool(rest) and rest[0].text.startswith(("——", "──", "—", "─")) and not front.subtitle
    if rest and (rest[0].style == "subtitle" or dashed):
        front.subtitle, rest = rest[0].text, rest[1:]
    elif len(rest) > 1 and heading_line(rest[0]) and rest[1].text.startswith(("——", "──")):
        front.kicker, front.title, front.subtitle = front.title, rest[0].text, rest[1].text
        rest = rest[2:]
        guesses.append("the first line taken as the kicker (引题) above the headline")
    elif len(rest) > 1 and heading_line(rest[0]) and not front.subtitle:
        after = rest[1].text
        if st.is_metadata(after) or st.standalone_byline(after, last=False) is not None:
            front.subtitle, rest = rest[0].text, rest[1:]
            guesses.append("the second line taken as the subheadline (副题)")
    return front, rest


def _take_front_and_end(front: _Front, rest: list[Block]) -> list[Block]:
    """Date, source and byline lines before the first long paragraph and at the very end."""
    kept: list[Block] = []
    in_front = True
    for index, block in enumerate(rest):
        if in_front and (
            len(block.text) > st.SHORT and not st.is_metadata(block.text) or _word(block)
        ):
            in_front = False
        byline = st.standalone_byline(block.text, last=False, first=index == 0)
        if in_front and byline is not None:
            front.byline = front.byline + byline
        elif in_front and st.is_metadata(block.text):
            front.metadata += (block.text,)
        else:
            kept.append(block)
    tail: list[Block] = []
    while kept and len(tail) < 3 and not _word(kept[-1]):
        byline = st.standalone_byline(kept[-1].text, last=True)
        if byline is None and not (st.is_metadata(kept[-1].text) and len(kept[-1].text) <= 30):
            break
        block = kept.pop()
        if byline is not None:
            front.byline = byline + front.byline
        else:
            front.metadata += (block.text,)
        tail.append(block)
    return kept


def _word(block: Block) -> bool:
    """A block whose kind a Word style fixed (a table, a list item, an image...)."""
    return block.style not in ("", "p")


def _take_bylines(front: _Front, rest: list[Block]) -> list[Block]:
    """Byline lines with role words (□ 文/王 倩, 责任编辑：张三) wherever they stand."""
    kept = []
    for block in rest:
        if not _word(block) and (byline := st.parse_byline(block.text)) is not None:
            front.byline = front.byline + byline
        else:
            kept.append(block)
    return kept


def _take_lead_byline(front: _Front, rest: list[Block]) -> list[Block]:
    """A byline that opens the first long paragraph, taken out of it."""
    for index, block in enumerate(rest):
        if len(block.text) > st.SHORT:
            if (found := st.lead_byline(block.text)) is not None:
                byline, text = found
                front.byline = front.byline + byline
                rest = [
                    *rest[:index],
                    Block(text, block.line, block.blank_before),
                    *rest[index + 1 :],
                ]
            break
    return rest


def _pieces(
    rest: list[Block],
    names: tuple[str, ...],
    labels: Counter[str],
    forms: dict[str, str],
    heard: str,
    credits: list[tuple[str, str]],
) -> list[st.Piece]:
    """Each block as what it is; a label on its own line joined with the answer after it; a
    caption's photographer added to `credits`."""
    pieces: list[st.Piece] = []
    skip = False
    texts = [b.text for b in rest]
    for index, block in enumerate(rest):
        if skip:
            skip = False
            continue
        text, following = block.text, index + 1 < len(rest)
        label = st.label_of(text)
        if _word(block):
            piece, skip = _word_piece(block, rest[index + 1] if following else None, names)
            pieces.append(piece)
        elif st.editor_note(text):
            pieces.append(st.Piece("editor-note", text, block.line))
        elif label and _is_turn_label(label, names, labels, forms, heard):
            pieces.append(st.Piece("turn", text, block.line, label))
        elif (
            following and _label_line(text, names) and not _label_line(rest[index + 1].text, names)
        ):
            pieces.append(st.Piece("turn", f"{text}：{rest[index + 1].text}", block.line, text))
            skip = True
        elif (caption := st.caption_credit(text, names)) is not None:
            pieces.append(st.Piece("caption", caption[0], block.line, caption[1]))
            if caption[1]:
                credits.append(("摄影", st.credit_name(caption[1])))
        elif _pullquote(text, texts, index):
            pieces.append(st.Piece("pullquote", text, block.line))
        elif st.subhead(re.sub(r"\[\^\d+\]", "", text), following):  # a note mark ends no line
            pieces.append(st.Piece("subhead", text, block.line))
        else:
            pieces.append(st.Piece("paragraph", text, block.line))
        if block.style == "p":
            pieces[-1] = replace(pieces[-1], markup=True)  # its [^1] are Word's footnotes
    return pieces


def _word_piece(block: Block, after: Block | None, names: tuple[str, ...]) -> tuple[st.Piece, bool]:
    """The piece of a block Word styled, and whether it took the caption after it along."""
    if block.style == "image":
        caption = ""
        if after is not None and (
            after.style == "caption" or st.caption_credit(after.text, names) is not None
        ):
            caption = after.text
        return st.Piece("figure", caption or block.text, block.line, block.target), bool(caption)
    kind = {"subhead": "subhead", "caption": "caption", "headline": "subhead"}.get(
        block.style, block.style
    )
    return st.Piece(kind, block.text, block.line, markup=True), False


def _is_turn_label(
    label: str, names: tuple[str, ...], labels: Counter[str], forms: dict[str, str], heard: str
) -> bool:
    """Whether a paragraph's opening label is a Q&A label rather than a field (地点：…)."""
    person = st.person_of(label)
    return (
        person in names
        or label in forms
        or st.interviewer_word(label)
        or labels[label] >= 2
        or bool(sp.honorific(person)[1])  # 罗荣良老师：
        or (len(label) <= 4 and label in heard)
    )


def _label_line(text: str, names: tuple[str, ...]) -> bool:
    """A line that is only a label: 主持人沙晨, 李宁, 问."""
    return (
        len(text) <= 10
        and not re.search(r"[。，！？：]", text)
        and (text in names or st.interviewer_word(text))
    )


def _pullquote(text: str, texts: list[str], index: int) -> bool:
    """A short quotation standing alone that repeats words of the body: a pull quote."""
    if len(text) > 60 or text[0] not in "“「" or text[-1] not in "”」":
        return False
    inner = text[1:-1]
    return len(inner) >= 6 and any(inner in other for i, other in enumerate(texts) if i != index)


def _label_speakers(
    pieces: list[st.Piece], forms: dict[str, str], reporters: tuple[str, ...], named: set[str]
) -> list[sp.Found]:
    """Speakers the Q&A labels name: not the asking side (问, 主持人, a reporter, a label whose
    every turn is a question)."""
    turns: dict[str, list[str]] = {}
    for piece in pieces:
        if piece.kind == "turn":
            name = forms.get(piece.label) or st.person_of(piece.label)
            turns.setdefault(name, []).append(piece.text)
    found = []
    for label, texts in turns.items():
        asks = all(t.rstrip().endswith(("？", "?")) for t in texts)
        name, role = sp.honorific(label)
        if name in named or st.interviewer_word(label) or name in reporters or len(name) > 4:
            continue
        if not asks and sp.is_name(name):
            found.append(sp.Found(name, role, "label"))
    return found


def _speaker_guesses(found: list[sp.Found]) -> list[str]:
    """Report lines for speakers that were not named by the headline or a ——访 line."""
    guesses = [f"speaker {f.name} found in the {f.where}" for f in found if f.where != "subtitle"]
    return guesses + [f"no role printed for {f.name}" for f in found if not f.role]


def _piece_guesses(pieces: list[st.Piece]) -> list[str]:
    """Report lines for sub-heads and captions found by their shape alone."""
    heads = [p.text for p in pieces if p.kind == "subhead"]
    captions = [p.text for p in pieces if p.kind == "caption"]
    return [f"sub-head (a short line without end punctuation): {h}" for h in heads] + [
        f"caption without its photo, kept as a paragraph (put the photo in images/ and write "
        f'![](images/NN.jpg "…")): {c}'
        for c in captions
    ]
