"""Q&A turns: a paragraph opened by a speaker label and a full-width colon (记者：, [张三])."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from publish.text.han import HAN_RANGES

LABEL_WORDS = ("记者", "記者", "问", "問", "答", "主持人", "嘉宾", "嘉賓")
"""Label words that open a turn whoever speaks; any word ending in 记者 (本报记者) does too."""
REPORTER = re.compile(f"[{HAN_RANGES}]{{1,6}}[记記]者")
BRACKETED = re.compile(r"\[([^\[\]\s]{1,8})\][：:]?")
"""`[张三]` opening a paragraph: a transcript's speaker label."""
MAX_WIDTH = 6
"""Widest hang, in em: a longer label is set but not hung deeper."""
RECURRING = re.compile(f"[{HAN_RANGES}A-Za-z·]{{2,8}}")
"""A word that may be a label (德国之声, 主持人甲) when it opens several paragraphs."""
SPEECH_VERBS = (
    "说",
    "說",
    "表示",
    "指出",
    "认为",
    "認為",
    "强调",
    "強調",
    "称",
    "稱",
    "介绍",
    "介紹",
)
"""Endings of narrative words before a colon (他说：): never taken for a recurring label."""
SHORT_FORM = re.compile(
    f"([{HAN_RANGES}A-Za-z·]{{2,8}})[（(]下[称稱][「『“‘]([^」』”’]{{1,4}})[」』”’][）)]"
)
"""A speaker's first label that names the short one used after it (潘耀明（下称「潘」）, as
Hong Kong and Taiwan transcripts print it): the whole label, and 潘, open turns."""


HOST = re.compile(f"(?:主持人|嘉宾|嘉賓)([{HAN_RANGES}]{{2,3}})")
"""A host or guest named after the word (主持人沙晨): a label unless a verb follows (主持人表示)."""


def is_label(label: str, names: Iterable[str]) -> bool:
    """Whether `label` (without its colon) names a speaker: a label word, a reporter, a name,
    a host or guest by name."""
    if label in LABEL_WORDS or REPORTER.fullmatch(label) is not None or label in set(names):
        return True
    host = HOST.fullmatch(label)
    return host is not None and not host.group(1).endswith(SPEECH_VERBS + ("问道", "问"))


def label_width(label: str) -> int:
    """The hang of a turn in em: the label and its colon, each a full em."""
    return max(2, min(len(label) + 1, MAX_WIDTH))


def mark_turns(state: StateCore) -> None:
    """A core rule: every turn paragraph gets class `qa qa-N` and its label a bold span."""
    tokens = state.tokens
    names = (*state.env.get("names", ()), *_recurring_labels(tokens), *_short_forms(tokens))
    for index, token in enumerate(tokens[:-1]):
        inline = tokens[index + 1]
        if token.type != "paragraph_open" or inline.type != "inline" or not inline.children:
            continue
        found = _split_label(inline.children, names)
        if found is None:
            continue
        label, rest = found
        token.attrSet("class", f"qa qa-{label_width(label)}")
        inline.children = [*_label_tokens(label), *rest]


def _recurring_labels(tokens: list[Token]) -> tuple[str, ...]:
    """Words before a full-width colon that open two or more paragraphs: a transcript's labels."""
    counts: dict[str, int] = {}
    for label in _opening_words(tokens):
        if RECURRING.fullmatch(label) and not label.endswith(SPEECH_VERBS):
            counts[label] = counts.get(label, 0) + 1
    return tuple(label for label, count in counts.items() if count >= 2)


def _short_forms(tokens: list[Token]) -> tuple[str, ...]:
    """Labels that name a short form (潘耀明（下称「潘」）), and the short forms they name."""
    found = (SHORT_FORM.fullmatch(label) for label in _opening_words(tokens))
    return tuple(word for match in found if match for word in (match.group(), match.group(2)))


def _opening_words(tokens: list[Token]) -> Iterator[str]:
    """What comes before the full-width colon of each paragraph that has one (bold or not)."""
    for index, token in enumerate(tokens[:-1]):
        inline = tokens[index + 1]
        if token.type != "paragraph_open" or inline.type != "inline":
            continue
        label, colon, _ = inline.content.lstrip("*").partition("：")
        if colon:
            yield label.rstrip("*")


def _split_label(children: list[Token], names: tuple[str, ...]) -> tuple[str, list[Token]] | None:
    """The label of a turn and the inline tokens after it, or None if the paragraph is no turn."""
    plain = [c for c in children if not (c.type == "text" and not c.content)]
    if plain and plain[0].type == "strong_open" and len(plain) > 2:
        return _bold_label(plain, names)
    if not plain or plain[0].type != "text":
        return None
    head = plain[0].content
    bracketed = BRACKETED.match(head)
    if bracketed:
        return bracketed.group(1), _rest(head[bracketed.end() :], plain[1:])
    label, colon, after = head.partition("：")
    if colon and is_label(label, names) and (after or len(plain) > 1):
        return label, _rest(after, plain[1:])
    return None


def _bold_label(plain: list[Token], names: tuple[str, ...]) -> tuple[str, list[Token]] | None:
    """`**记者：**…` or `**记者**：…`."""
    text, close = plain[1], plain[2]
    if text.type != "text" or close.type != "strong_close":
        return None
    if text.content.endswith("：") and is_label(text.content[:-1], names):
        return text.content[:-1], plain[3:]
    after = plain[3] if len(plain) > 3 and plain[3].type == "text" else None
    if after is not None and after.content.startswith("：") and is_label(text.content, names):
        return text.content, _rest(after.content[1:], plain[4:])
    return None


def _rest(text: str, tokens: list[Token]) -> list[Token]:
    if not text:
        return tokens
    token = Token("text", "", 0)
    token.content = text
    return [token, *tokens]


def _label_tokens(label: str) -> list[Token]:
    opening = Token("strong_open", "strong", 1)
    opening.attrSet("class", "label")
    text = Token("text", "", 0)
    text.content = label + "："
    return [opening, text, Token("strong_close", "strong", -1)]
