"""The copy desk: problems an editor must decide on, found in an issue's articles."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from publish.importer.figurecheck import check_figures
from publish.importer.punctuation import (
    HALF_TO_FULL,
    OPENERS,
    ends_sentence,
    halfwidth_marks,
    is_han,
)
from publish.model import Article, Finding, Issue, Source
from publish.text.blocks import text_blocks
from publish.text.script import script_mismatch

MIN_REPEAT = 20
"""Han characters a passage must have before its repetition in one article is reported."""

DOUBLED = "为的了在是和与及对将把被"
"""Function characters that are a typo when doubled (被评为为); content characters double
legitimately (常常, 天天, 人人). 等 is left out: 等等 is the ordinary word for "and so on"."""

DOUBLED_WORDS = ("小时了了", "对对子", "对对碰")
"""Words with a doubled function character that are correct; AABB reduplications (实实在在,
的的确确, 是是非非, 和和美美) are recognised by their shape, not listed."""

SENTENCES = ("paragraph", "note")
"""Blocks that end a sentence; list items, table cells, captions and headings need not."""

_CLOSERS = {closer: opener for opener, closer in OPENERS.items()}
_DOUBLED = re.compile(f"([{DOUBLED}])\\1")
_HEADING = re.compile(r"#{1,6}[ \t]")  # a Markdown subhead, written by hand, needs no full stop


def check_issue(issue: Issue) -> list[Finding]:
    """Every copy-desk finding in the issue's articles, article by article, in line order."""
    findings: list[Finding] = []
    for article in issue.articles:
        mismatch = script_mismatch(_article_text(article), issue.config.language)
        findings += [Finding(article.source, mismatch)] if mismatch else []
        findings.extend(check_article(article))
        findings.extend(check_figures(article, issue.config.pdf))
    return findings


def _article_text(article: Article) -> str:
    """Every printed text of an article, for judging the script it is written in."""
    names = [s.name + s.role for s in article.speakers]
    return "\n".join([article.title, article.subtitle, *names, *article.reporters, article.body])


def check_article(article: Article) -> list[Finding]:
    """The findings in one article: missing parts first, then body problems by line."""
    findings = list(_missing_parts(article))
    blocks = list(text_blocks(article.body))
    paragraphs = [(article.body_line + b.line, b.text) for b in blocks]
    body: list[Finding] = []
    for block, (line, text) in zip(blocks, paragraphs, strict=True):
        at = Source(article.source.path, line)
        ends = block.kind in SENTENCES
        body += [Finding(at, message) for message in _paragraph_problems(text, ends)]
    body += _unbalanced(article, paragraphs)
    # a pull quote repeats the body on purpose
    quoted = [p for b, p in zip(blocks, paragraphs, strict=True) if b.kind != "pullquote"]
    body += _repeated_passages(article, quoted)
    return findings + sorted(body, key=lambda f: f.source.line)


def _missing_parts(article: Article) -> Iterator[Finding]:
    """Findings for an article without speaker, reporters or body."""
    if not article.speakers:
        yield Finding(article.source, "no speaker: add `speakers: [{name: …, role: …}]`")
    if not article.reporters:
        yield Finding(article.source, "no reporters: add `reporters: [<names of the byline>]`")
    if not article.body.strip():
        yield Finding(article.source, "empty article: the body has no text")


def _paragraph_problems(text: str, ends: bool = True) -> list[str]:
    """Messages for one paragraph: half-width marks, doubled characters, a mid-sentence end."""
    problems = []
    marks = [text[i] for i in halfwidth_marks(text)]
    if marks:
        shown = " ".join(f"'{m}'→'{HALF_TO_FULL[m]}'" for m in dict.fromkeys(marks))
        problems.append(f"{len(marks)} half-width mark(s) next to Chinese text: {shown}")
    for match in _DOUBLED.finditer(text):
        index = match.start()
        # in 是是是非非 the match is the first pair, but the word is the second pair's
        shifted = text[index + 2 : index + 3] == text[index] and _in_doubled_word(text, index + 1)
        if not (_in_doubled_word(text, index) or shifted):
            problems.append(f"doubled character {match.group()!r}: {_context(text, index)}")
    if ends and not ends_sentence(text) and not _HEADING.match(text):
        problems.append(f"paragraph ends mid-sentence: …{text[-12:]!r}; join or finish it")
    return problems


def _in_doubled_word(text: str, index: int) -> bool:
    """Whether the doubled character at `index` is part of an AABB reduplication (实实在在) or
    of an allowed word (小时了了)."""
    before, after = text[max(0, index - 2) : index], text[index + 2 : index + 4]
    if any(len(pair) == 2 and pair[0] == pair[1] and is_han(pair[0]) for pair in (before, after)):
        return True
    return any(
        text.find(word, max(0, index - len(word)), index + len(word) + 1) != -1
        for word in DOUBLED_WORDS
    )


def _context(text: str, index: int, width: int = 8) -> str:
    """A short quote of `text` around `index`, for a message."""
    start = max(0, index - width)
    return ("…" if start else "") + text[start : index + width] + "…"


def _unbalanced(article: Article, paragraphs: list[tuple[int, str]]) -> list[Finding]:
    """Quotes and brackets that do not pair up within the article.

    A quotation running over several paragraphs may reopen “ at the start of each one without
    closing the previous paragraph; that reopening is not counted (GB/T 15834, 4.1.3.3)."""
    stack: list[_Mark] = []
    stray: list[_Mark] = []
    nested: list[_Mark] = []
    for line, text in paragraphs:
        for index, char in enumerate(text):
            mark = _Mark(char, line, _context(text, index))
            if char in OPENERS and not (index == 0 and stack and stack[-1].char == char):
                if char == "“" and any(m.char == "“" for m in stack):
                    nested.append(mark)
                stack.append(mark)
            elif char in _CLOSERS and not _close(stack, char):
                stray.append(mark)
    path = article.source.path
    return (
        [
            Finding(Source(path, m.line), f"“ inside a “…” quotation, use ‘…’ inside: {m.context}")
            for m in nested
        ]
        + [
            Finding(Source(path, m.line), f"unbalanced {m.char} is never closed: {m.context}")
            for m in stack
        ]
        + [
            Finding(Source(path, m.line), f"unbalanced {m.char} closes nothing: {m.context}")
            for m in stray
        ]
    )


class _Mark(NamedTuple):
    """A quote or bracket met in the body, where it is and what surrounds it."""

    char: str
    line: int
    context: str


def _close(stack: list[_Mark], char: str) -> bool:
    """Pop the nearest opener that `char` closes; False when there is none."""
    opener = _CLOSERS[char]
    for depth in range(len(stack) - 1, -1, -1):
        if stack[depth].char == opener:
            del stack[depth]
            return True
    return False


def _repeated_passages(article: Article, paragraphs: list[tuple[int, str]]) -> list[Finding]:
    """Runs of at least MIN_REPEAT Han characters that occur twice in the article."""
    han = [
        (char, line, text, offset)
        for line, text in paragraphs
        for offset, char in enumerate(text)
        if is_han(char)
    ]
    chars = "".join(entry[0] for entry in han)
    first: dict[str, int] = {}
    findings: list[Finding] = []
    end_of_last = -1
    for index in range(len(chars) - MIN_REPEAT + 1):
        earlier = first.setdefault(chars[index : index + MIN_REPEAT], index)
        if earlier == index or index - earlier < MIN_REPEAT or index < end_of_last:
            continue
        length = _run_length(chars, earlier, index)
        end_of_last = index + length
        _, line, text, offset = han[index]
        message = (
            f"repeated passage of {length} Chinese characters, also at line {han[earlier][1]}: "
            f"{_context(text, offset + 8)} (a bad paste? keep one copy)"
        )
        findings.append(Finding(Source(article.source.path, line), message))
    return findings


def _run_length(text: str, earlier: int, later: int) -> int:
    """How many characters match from `earlier` and `later` on (the runs may not overlap)."""
    length = 0
    while later + length < len(text) and earlier + length < later:
        if text[earlier + length] != text[later + length]:
            break
        length += 1
    return length
