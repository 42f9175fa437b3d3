"""The import report: per article what was inferred and what is a guess, for one look."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from publish.importer.paste import PastedArticle


@dataclass(frozen=True)
class ImportNote:
    """Facts of the whole paste the report opens with."""

    raw: str
    """The imported file as named."""
    encoding: str
    """The encoding it was read in."""
    language: str
    """The detected script of the articles."""
    title: str = ""
    """The issue's title as written to publish.yaml."""
    origin: str = "--title"
    """Where the title came from: --title, the speakers, the file name."""


def report_text(note: ImportNote, articles: list[tuple[str, PastedArticle]]) -> str:
    """The report: a heading for the paste, then a paragraph per article file."""
    lines = [
        f"import report for {note.raw}",
        f"  read as {note.encoding}"
        + ("" if note.encoding in ("utf-8", "ascii") else " (decoded to UTF-8)"),
        f"  script: {note.language} (detected)",
        f"  articles: {len(articles)}",
    ]
    if note.title and note.origin != "--title":
        lines.append(
            f"  ? issue title: {note.title} (from {note.origin}: edit title in publish.yaml, "
            "or import again with --title)"
        )
    for name, article in articles:
        lines += ["", *article_report(name, article)]
    return "\n".join(lines) + "\n"


def article_report(name: str, article: PastedArticle) -> list[str]:
    """Lines for one article: headline, people, structure, then the guesses marked '?'."""
    b = article.byline
    people = [f"{s.name} ({s.role or 'no role'})" for s in article.speakers]
    kinds = Counter(p.kind for p in article.pieces)
    labels = list(dict.fromkeys(p.label for p in article.pieces if p.kind == "turn"))
    fields = [
        ("headline", article.title),
        ("subtitle", article.subtitle),
        ("kicker", article.kicker),
        ("speakers", "、".join(people) or "none found"),
        ("reporters", "、".join(b.reporters) or "none found"),
        ("editors", "、".join(b.editors)),
        ("credits", "、".join(f"{r} {n}" for r, n in b.credits)),
        ("date/source", " | ".join(article.metadata)),
        ("labels", "、".join(labels)),
        ("sub-heads", str(kinds["subhead"]) if kinds["subhead"] else ""),
        ("captions", str(kinds["caption"]) if kinds["caption"] else ""),
        ("containers", _containers(kinds)),
    ]
    out = [f"{name} (line {article.line})"]
    out += [f"  {key}: {value}" for key, value in fields if value]
    out += [f"  ? {guess}" for guess in article.guesses]
    return out


def _containers(kinds: Counter[str]) -> str:
    return "、".join(f"{k} ×{kinds[k]}" for k in ("editor-note", "pullquote") if kinds[k])
