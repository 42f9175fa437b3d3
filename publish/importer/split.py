"""Several articles in one paste, parted at separator lines or at headlines."""

from __future__ import annotations

from publish.importer.lines import Block
from publish.importer.punctuation import ends_sentence
from publish.importer.structure import SHORT, is_metadata, is_separator, standalone_byline


def split_articles(blocks: list[Block]) -> list[list[Block]]:
    """The blocks of each article, in order; separator lines dropped."""
    groups: list[list[Block]] = [[]]
    for index, block in enumerate(blocks):
        if is_separator(block):
            if groups[-1]:
                groups.append([])
            continue
        if groups[-1] and (block.style == "headline" or starts_article(blocks, index)):
            groups.append([])
        groups[-1].append(block)
    return [group for group in groups if group]


def with_footnotes(groups: list[list[Block]]) -> list[list[Block]]:
    """Each footnote definition moved into the article that cites it (Word lists every footnote
    at the end of the document, after the last article)."""
    notes = [b for group in groups for b in group if b.style == "footnote"]
    kept = [[b for b in group if b.style != "footnote"] for group in groups]
    for note in notes:
        mark = note.text[: note.text.index("]") + 1]
        home = next((g for g in kept if any(mark in b.text for b in g)), kept[-1])
        home.append(note)
    return [group for group in kept if group]


def starts_article(blocks: list[Block], index: int) -> bool:
    """Whether blocks[index] is a headline: after two blank lines, short, no sentence, and
    followed soon by a date, source, byline or ——subtitle line, as a headline is."""
    block = blocks[index]
    if block.blank_before < 2 or len(block.text) > SHORT or ends_sentence(block.text):
        return False
    after = [b.text for b in blocks[index + 1 : index + 4]]
    return any(
        is_metadata(text)
        or text.startswith(("——", "──"))
        or standalone_byline(text, last=False) is not None
        for text in after
    )
