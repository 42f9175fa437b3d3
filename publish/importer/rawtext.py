"""Raw newspaper text to articles: headline, speaker line, body paragraphs and byline."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from publish.errors import InputError
from publish.importer.punctuation import ends_sentence, normalise
from publish.model import Source, Speaker

_HEADLINE = re.compile(r"^#(?:[ \t\u3000]+(.*))?$")
_SUBHEAD = re.compile(r"^#{2,6}(?:[ \t\u3000]+(.*))?$")
_BYLINE = re.compile(r"^[(（]([^()（）]*)[)）]$")
_SPACE_RUN = re.compile(r"[ \t\u3000\u00a0]+")
_SEPARATORS = "、，,；;"
_REPORTER_SPLIT = re.compile(r"[ \t\u3000\u00a0、，,；;：:/]+")
_REPORTER_LABELS = frozenset({"记者", "本报记者", "通讯员", "实习生", "文", "图", "文图", "摄"})
_LATIN_END = re.compile(r"[A-Za-z0-9]$")
_LATIN_START = re.compile(r"^[A-Za-z0-9]")


@dataclass(frozen=True)
class RawArticle:
    """One article as parsed from raw text, before it is written as Markdown."""

    title: str
    """Headline, punctuation normalised."""
    subtitle: str
    """Speaker line as printed (spaces normalised), or ''."""
    speakers: tuple[Speaker, ...]
    """Interviewees from the speaker line, in the order printed."""
    reporters: tuple[str, ...]
    """Names from the bracketed byline."""
    paragraphs: tuple[str, ...]
    """Body paragraphs: broken ones joined, punctuation normalised."""
    line: int
    """Line of the raw file that holds the headline."""


def seed_shaped(text: str) -> bool:
    """Whether a text marks its headlines with '# ', as the seed does (then nothing is guessed)."""
    return any(_HEADLINE.match(line.strip()) for line in text.split("\n"))


def parse_raw(text: str, raw: Path) -> list[RawArticle]:
    """The articles of raw text already decoded to str with '\\n' line ends."""
    lines = text.split("\n")
    starts = [i for i, line in enumerate(lines) if _HEADLINE.match(line.strip())]
    if not starts:
        raise InputError(
            f"{raw}:1: no headline found. Fix: start each article with a line "
            "'# <headline>', then '### ——访<role> <name>', the body, and the byline '(<names>)'"
        )
    for index, line in enumerate(lines[: starts[0]]):
        if line.strip():
            raise InputError(
                f"{raw}:{index + 1}: text before the first headline. Fix: put a line "
                "'# <headline>' above it, or delete it if it is not part of an article"
            )
    ends = [*starts[1:], len(lines)]
    return [_parse_article(lines, start, end, raw) for start, end in zip(starts, ends, strict=True)]


def _parse_article(lines: list[str], start: int, end: int, raw: Path) -> RawArticle:
    """One article from lines[start:end]; lines[start] is its headline."""
    title = _SPACE_RUN.sub(" ", _HEADLINE.match(lines[start].strip()).group(1) or "").strip()
    if not title:
        raise InputError(f"{raw}:{start + 1}: empty headline. Fix: write the headline after '# '")
    rest = [
        (number + 1, lines[number].strip(" \t\u3000\u00a0")) for number in range(start + 1, end)
    ]
    rest = [(number, line) for number, line in rest if line]
    subtitle, speakers = "", ()
    if rest and (match := _SUBHEAD.match(rest[0][1])):
        subtitle = _SPACE_RUN.sub(" ", match.group(1) or "").strip()
        speakers = parse_speakers(
            subtitle, "\n".join(line for _, line in rest[1:]), raw, rest[0][0]
        )
        rest = rest[1:]
    reporters: tuple[str, ...] = ()
    if rest and (names := parse_byline(rest[-1][1])) is not None:
        reporters, rest = names, rest[:-1]
    body = _blocks(lines, {number for number, _ in rest})
    return RawArticle(
        title=normalise(title),
        subtitle=subtitle,
        speakers=speakers,
        reporters=reporters,
        paragraphs=tuple(normalise(p) for p in repair_paragraphs(body)),
        line=start + 1,
    )


def _blocks(lines: list[str], body_lines: set[int]) -> list[str]:
    """Body paragraphs: runs of consecutive body lines, each run joined into one paragraph."""
    blocks: list[list[str]] = []
    previous = -1
    for number in sorted(body_lines):
        if number != previous + 1 or not blocks:
            blocks.append([])
        blocks[-1].append(lines[number - 1].strip(" \t\u3000\u00a0"))
        previous = number
    return [_join(block) for block in blocks]


def _join(parts: list[str]) -> str:
    """Pieces of one paragraph joined: no space in Chinese, one between two Latin words."""
    text = ""
    for part in parts:
        gap = " " if _LATIN_END.search(text) and _LATIN_START.match(part) else ""
        text = text + gap + part if text else part
    return text


def repair_paragraphs(paragraphs: list[str]) -> list[str]:
    """Paragraphs with each one that stops mid-sentence joined to the one that continues it."""
    repaired: list[str] = []
    for paragraph in paragraphs:
        if repaired and not ends_sentence(repaired[-1]):
            repaired[-1] = _join([repaired[-1], paragraph])
        else:
            repaired.append(paragraph)
    return repaired


def parse_byline(line: str) -> tuple[str, ...] | None:
    """Names of a bracketed byline such as (范倩楠 路小庆), or None if `line` is not one."""
    match = _BYLINE.match(line.strip())
    if not match or any(mark in match.group(1) for mark in "。！？!?“”\"'"):
        return None
    names = [n for n in _REPORTER_SPLIT.split(match.group(1)) if n and n not in _REPORTER_LABELS]
    # a bracket that does not hold distinct names stays in the body, for the editor to see
    if not names or len(set(names)) < len(names):
        return None
    return (
        tuple(names) if all(len(n) <= 20 and any(c.isalpha() for c in n) for n in names) else None
    )


def parse_speakers(line: str, body: str, raw: Path, number: int) -> tuple[Speaker, ...]:
    """Speakers of a speaker line '——访<role> <name>[、<role> <name>]…', roles kept as printed;
    none when the line does not start with a dash or 访 (then it is a plain subtitle)."""
    text = re.sub(r"^[—\-－─–]+\s*", "", line).strip()
    if text == line and not text.startswith("访"):
        return ()
    text = text.removeprefix("访").strip()
    return tuple(speaker(role, name, raw, number) for role, name in _role_name_pairs(text, body))


def _role_name_pairs(text: str, body: str) -> list[tuple[str, str]]:
    """(role, name) pairs: a name is the word after the last space of a part; parts without
    a space (区委常委、副区长 张三) belong to the role of the next name."""
    pairs: list[tuple[str, str]] = []
    pending: list[str] = []
    parts = re.split(f"([{_SEPARATORS}])", text)
    for index in range(0, len(parts), 2):
        part = parts[index].strip()
        words = part.split(" ")
        if len(words) > 1:
            role, name = split_name(words)
            pairs.append(("".join([*pending, role]), name))
            pending = []
        elif part:
            pending.append(part + (parts[index + 1] if index + 1 < len(parts) else ""))
    if pending:
        role, name = guess_name("".join(pending).rstrip(_SEPARATORS), body)
        if name:
            pairs.append((role, name))
    return pairs


# ---- speaker names ------------------------------------------------------------------------------


def speaker(role: str, name: str, raw: Path, number: int) -> Speaker:
    """A Speaker declared on line `number` of the raw file."""
    return Speaker(name=name, role=role, source=Source(raw, number))


def split_name(words: list[str]) -> tuple[str, str]:
    """Role and name from the space-separated words of one speaker; a name printed with a space
    inside (刘 毅, two single characters) is put back together."""
    if len(words) > 2 and len(words[-1]) == 1 and len(words[-2]) == 1:
        return "".join(words[:-2]), words[-2] + words[-1]
    return "".join(words[:-1]), words[-1]


def guess_name(text: str, body: str) -> tuple[str, str]:
    """Role and name from a speaker printed without a space (区发展和改革局局长闫立然): the
    three-character ending unless the two-character one occurs more often in the body (刘毅表示)."""
    if len(text) <= 3:
        return "", text  # a name alone
    three, two = text[-3:], text[-2:]
    name = two if body.count(two) > body.count(three) or len(text) == 3 else three
    return text[: -len(name)], name
