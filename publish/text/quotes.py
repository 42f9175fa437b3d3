"""Quotation marks per edition: corner brackets for Traditional, curly quotes for Simplified."""

from __future__ import annotations

import re

OPENERS = {"“": "「", "‘": "『"}
"""Each opening mark's corner bracket at the outer level."""

CLOSING = {"「": "」", "『": "』"}
"""The closing corner bracket of each opening one."""

CLOSERS = {"”": "」", "’": "』"}
"""Closing marks with no opener in the paragraph keep their own kind."""

OTHER = {"「": "『", "『": "「"}
"""The other bracket, used when a quote opens inside one of its own kind."""

APOSTROPHE = re.compile(r"(?<=[A-Za-z0-9])’(?=[A-Za-z])")
"""A right single quote between Latin letters is an apostrophe (China’s), not a closing quote."""

PARAGRAPH = re.compile(r"(\n\s*\n)")
"""Blank lines end a paragraph; a quote running over paragraphs reopens in each (Chinese usage)."""


def corner_quote(text: str) -> str:
    """“ ” ‘ ’ as corner brackets, paragraph by paragraph, leaving apostrophes alone."""
    return "".join(_paragraph(part) for part in PARAGRAPH.split(text))


def _paragraph(text: str) -> str:
    """One paragraph's quotes; a quote inside one of the same kind takes the other bracket."""
    apostrophes = {match.start() for match in APOSTROPHE.finditer(text)}
    out, open_brackets = [], []
    for index, char in enumerate(text):
        if char in OPENERS:
            bracket = OPENERS[char]
            if open_brackets and open_brackets[-1] == bracket:
                bracket = OTHER[bracket]  # “…“…”…” in the source: the inner pair becomes 『』
            open_brackets.append(bracket)
            out.append(bracket)
        elif char in CLOSERS and index not in apostrophes:
            out.append(CLOSING[open_brackets.pop()] if open_brackets else CLOSERS[char])
        else:
            out.append(char)
    return "".join(out)


CURLY = {"「": "“", "」": "”", "『": "‘", "』": "’"}
"""Corner brackets as the mainland's curly quotes, for Simplified editions of Traditional text."""


def curly_quote(text: str) -> str:
    """「 」 『 』 as “ ” ‘ ’; the brackets already nest, so each maps to its own mark."""
    return text.translate(str.maketrans(CURLY))
