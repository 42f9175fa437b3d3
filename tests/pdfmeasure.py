"""Measure typeset text in a PDF from character positions: lines, columns, paragraph ends."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pdfplumber

HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True)
class Char:
    """One drawn character: its text and box in PDF points (top measured from the page top)."""

    text: str
    x0: float
    x1: float
    top: float
    size: float
    font: str


@dataclass(frozen=True)
class Line:
    """A run of characters on one baseline of one column."""

    page: int
    """0-based page index."""
    chars: tuple[Char, ...]

    @property
    def text(self) -> str:
        return "".join(c.text for c in self.chars)

    @property
    def x0(self) -> float:
        return self.chars[0].x0

    @property
    def x1(self) -> float:
        return self.chars[-1].x1

    @property
    def top(self) -> float:
        return self.chars[0].top

    @property
    def size(self) -> float:
        return Counter(round(c.size, 1) for c in self.chars).most_common(1)[0][0]

    @property
    def font(self) -> str:
        return Counter(c.font for c in self.chars).most_common(1)[0][0]


def read_lines(path: Path) -> list[Line]:
    """Every line of every page, split into columns where a wide gap separates characters."""
    out: list[Line] = []
    with pdfplumber.open(path) as pdf:
        for index, page in enumerate(pdf.pages):
            chars = [
                Char(c["text"], c["x0"], c["x1"], c["top"], c["size"], c["fontname"])
                for c in page.chars
                if c["text"].strip()
            ]
            out.extend(_page_lines(index, chars))
    return out


def _page_lines(page: int, chars: list[Char]) -> list[Line]:
    rows: dict[tuple[float, float], list[Char]] = {}
    for char in chars:
        # the baseline, not the top, is shared by a line's characters of one size
        rows.setdefault((round(char.top + char.size, 0), round(char.size, 1)), []).append(char)
    lines = []
    for row in rows.values():
        row.sort(key=lambda c: c.x0)
        start = 0
        for i in range(1, len(row) + 1):
            if i == len(row) or row[i].x0 - row[i - 1].x1 > 1.5 * row[i].size:
                lines.append(Line(page, tuple(row[start:i])))
                start = i
    return sorted(lines, key=lambda line: (line.page, line.top, line.x0))


def body_lines(lines: list[Line], size: float, font_part: str = "Serif") -> list[Line]:
    """Lines set in the body size and face, in reading order: page, column, top."""
    body = [ln for ln in lines if ln.size == size and font_part in ln.font]
    left_edges = column_lefts(body)
    return sorted(body, key=lambda ln: (ln.page, column_of(ln, left_edges), ln.top))


def column_lefts(body: list[Line]) -> list[float]:
    """Left edges of the body columns: the most common line starts, one per column."""
    starts = Counter(round(ln.x0) for ln in body)
    edges: list[float] = []
    for x, _count in starts.most_common():
        if all(abs(x - e) > 30 for e in edges):
            edges.append(x)
        if len(edges) >= 8:
            break
    common = [e for e in edges if starts[e] >= max(3, starts.most_common(1)[0][1] // 5)]
    return sorted(common)


def column_of(line: Line, lefts: list[float]) -> int:
    return min(range(len(lefts)), key=lambda i: abs(line.x0 - lefts[i])) if lefts else 0


def column_edges(body: list[Line]) -> dict[int, tuple[float, float]]:
    """Column index → (left, right) edge, the right edge being the most common line end."""
    lefts = column_lefts(body)
    ends: dict[int, Counter[float]] = {i: Counter() for i in range(len(lefts))}
    for line in body:
        ends[column_of(line, lefts)][round(line.x1, 1)] += 1
    return {i: (lefts[i], ends[i].most_common(1)[0][0]) for i in ends if ends[i]}


def is_indented(line: Line, edges: dict[int, tuple[float, float]]) -> bool:
    """Whether a line starts a paragraph (its first line is indented 2 em)."""
    left = min(edges.values(), key=lambda e: abs(e[0] - line.x0))[0]
    return line.x0 - left > 1.5 * line.size


def paragraph_ends(body: list[Line]) -> list[bool]:
    """For each body line in reading order, whether it is the last line of its paragraph."""
    edges = column_edges(body)
    flags = [is_indented(nxt, edges) for nxt in body[1:]]
    return [*flags, True]


def short_lines(body: list[Line], tolerance: float = 0.5) -> list[Line]:
    """Non-final paragraph lines whose last character stops short of the column's right edge."""
    edges = column_edges(body)
    lefts = column_lefts(body)
    ends = paragraph_ends(body)
    return [
        line
        for line, final in zip(body, ends, strict=True)
        if not final and line.x1 < edges[column_of(line, lefts)][1] - tolerance
    ]


def inter_character_spacing(line: Line) -> float:
    """The space justification added between two characters of a line, in em of its size."""
    advances = sorted(b.x0 - a.x0 for a, b in zip(line.chars, line.chars[1:], strict=False))
    # the median advance is a plain full-width character's: marks and digits are the few
    return (advances[len(advances) // 2] - line.size) / line.size if advances else 0.0


def joined(lines: list[Line]) -> tuple[str, list[int]]:
    """The lines' text run together, and the offsets where each line break falls."""
    text, breaks = "", []
    for line in lines:
        text += line.text
        breaks.append(len(text))
    return text, breaks


def split_terms(lines: list[Line], terms: list[str]) -> list[tuple[str, str]]:
    """Occurrences of `terms` that a line break cuts in two, as (term, text around the break)."""
    text, breaks = joined(lines)
    found = []
    for term in terms:
        for match in re.finditer(re.escape(term), text):
            cut = [b for b in breaks if match.start() < b < match.end()]
            if cut:
                found.append((term, text[match.start() - 3 : match.end() + 3]))
    return found


def column_breaks(body: list[Line]) -> list[int]:
    """Indices i where body[i] is the last line of a column (the next line is elsewhere)."""
    lefts = column_lefts(body)
    where = [(ln.page, column_of(ln, lefts)) for ln in body]
    return [i for i in range(len(body) - 1) if where[i] != where[i + 1]]


def column_bottoms(lines: list[Line], body: list[Line], page: int) -> list[float]:
    """Where each body column of a page ends: the lowest baseline of its text or byline."""
    edges = column_edges(body)
    in_body = {id(line) for line in body}
    bottoms: dict[int, float] = {}
    for line in lines:
        byline = line.text.startswith("（") and line.text.endswith("）")
        if line.page != page or not (id(line) in in_body or byline):
            continue
        for column, (left, right) in edges.items():
            if left - 1 <= line.x0 and line.x1 <= right + 1:
                bottoms[column] = max(bottoms.get(column, 0.0), line.top + line.size)
    return [bottoms[c] for c in sorted(bottoms)]
