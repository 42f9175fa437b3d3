"""Chinese punctuation on import: half-width and small marks to full-width, straight quotes to
curly ones."""

from __future__ import annotations

import re

from publish.text.han import HAN

HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？", "(": "（", ")": "）"}
"""Half-width marks that are a source error next to Chinese text (TYPOGRAPHY.md rule 15)."""

SMALL_TO_FULL = str.maketrans("﹐﹑﹔﹕﹖﹗﹙﹚", "，、；：？！（）")
"""Small form variants (U+FE50–FE5A, from Big5 text), a source error in a line of body text:
a Hong Kong transcript's 倪匡（下稱「倪」）﹕ prints its colon small and low."""

SENTENCE_END = frozenset("。！？…；：”’」』）》.!?;:)\"'")
"""Marks a paragraph may end with; anything else means the paragraph stops mid-sentence."""

OPENERS = {"“": "”", "‘": "’", "（": "）", "(": ")", "《": "》", "「": "」", "『": "』", "【": "】"}
"""Paired marks the copy desk keeps balanced, opener to closer."""

_QUOTES = frozenset("“”‘’\"'")
_SPACES = frozenset(" \t\u3000\u00a0")
_SEE_THROUGH = _SPACES | _QUOTES | frozenset(HALF_TO_FULL)
_FULLWIDTH_ALNUM = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")


def is_han(char: str) -> bool:
    """Whether `char` is a Chinese character (CJK unified or compatibility ideograph)."""
    return bool(HAN.fullmatch(char))


def han_only(text: str) -> str:
    """The Chinese characters of `text`, in order; what the importer must never lose or add."""
    return "".join(HAN.findall(text))


def _is_chinese(char: str) -> bool:
    """Han, or CJK / full-width punctuation: the context in which a half-width mark is wrong."""
    return is_han(char) or "\u3000" <= char <= "\u303f" or "\uff00" <= char <= "\uffef"


def _neighbour(text: str, index: int, step: int) -> str:
    """The nearest character beside `index` that is not a space, quote or half-width mark
    ('' at an end): in ?!、 the ? touches Chinese punctuation as much as the ! does."""
    index += step
    while 0 <= index < len(text) and text[index] in _SEE_THROUGH:
        index += step
    return text[index] if 0 <= index < len(text) else ""


def _next_to_chinese(text: str, index: int) -> bool:
    """Whether the mark at `index` touches Chinese text on either side (quotes are see-through)."""
    return _is_chinese(_neighbour(text, index, -1)) or _is_chinese(_neighbour(text, index, 1))


def _paren_partners(text: str) -> dict[int, int]:
    """Matching half-width parentheses, each index mapped to its partner's."""
    partners: dict[int, int] = {}
    stack: list[int] = []
    for index, char in enumerate(text):
        if char == "(":
            stack.append(index)
        elif char == ")" and stack:
            opener = stack.pop()
            partners[opener], partners[index] = index, opener
    return partners


def halfwidth_marks(text: str) -> list[int]:
    """Indexes of half-width `, ; : ! ? ( )` that belong full-width because Chinese text touches
    them (a parenthesis also when its partner does)."""
    partners = _paren_partners(text)
    found = []
    for index, char in enumerate(text):
        if char not in HALF_TO_FULL:
            continue
        partner = partners.get(index)
        if _next_to_chinese(text, index) or (
            partner is not None and _next_to_chinese(text, partner)
        ):
            found.append(index)
    return found


def fullwidth_marks(text: str) -> str:
    """`text` with the half-width marks found by `halfwidth_marks` made full-width, and the spaces
    around them dropped (full-width marks carry their own space)."""
    marks = set(halfwidth_marks(text))
    out: list[str] = []
    after_mark = False
    for index, char in enumerate(text):
        if index in marks:
            while out and out[-1] in _SPACES:
                out.pop()
            out.append(HALF_TO_FULL[char])
            after_mark = True
        elif char in _SPACES and after_mark:
            continue
        else:
            out.append(char)
            after_mark = False
    return "".join(out)


def _is_apostrophe(text: str, index: int) -> bool:
    """A straight single quote after a Latin letter or digit, before a letter (don't, 90's)."""
    return (
        0 < index < len(text) - 1
        and text[index - 1].isascii()
        and text[index - 1].isalnum()
        and text[index + 1].isascii()
        and text[index + 1].isalpha()
    )


def curly_quotes(text: str) -> str:
    """`text` with straight quotes made curly: alternately opening and closing within the text,
    counting curly quotes already present, apostrophes as ’."""
    out: list[str] = []
    open_double = open_single = False
    for index, char in enumerate(text):
        if char in "“”":
            open_double = char == "“"
        elif char in "‘’" and not _is_apostrophe(text, index):
            open_single = char == "‘"
        if char == '"':
            char = "”" if open_double else "“"
            open_double = not open_double
        elif char == "'":
            if _is_apostrophe(text, index):
                char = "’"
            else:
                char = "’" if open_single else "‘"
                open_single = not open_single
        out.append(char)
    return "".join(out)


def halfwidth_alnum(text: str) -> str:
    """`text` with full-width digits and Latin letters (１２ＡＢ) made half-width."""
    return _FULLWIDTH_ALNUM.sub(lambda m: chr(ord(m.group()) - 0xFEE0), text)


def normalise(text: str) -> str:
    """A paragraph or headline with the import's punctuation rules applied."""
    return fullwidth_marks(curly_quotes(halfwidth_alnum(text.translate(SMALL_TO_FULL))))


def ends_sentence(text: str) -> bool:
    """Whether a paragraph ends where a sentence may end (or is empty)."""
    stripped = text.rstrip()
    return not stripped or stripped[-1] in SENTENCE_END
