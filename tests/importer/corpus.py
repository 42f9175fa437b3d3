"""The importer measured on real pastes: each text's inference against what an editor reads in
it (tests/fixtures/raw/{real,heldout}/index.yaml). `python -m tests.importer.corpus` prints the
per-text tables."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from publish.importer.lines import blocks, decode_paste
from publish.importer.paste import PastedArticle, infer_article
from publish.importer.punctuation import normalise
from publish.importer.script import detect_language
from publish.importer.split import split_articles
from tests.conftest import FIXTURES

REAL = FIXTURES / "raw" / "real"
HELDOUT = FIXTURES / "raw" / "heldout"


@dataclass(frozen=True)
class Row:
    """One text's results."""

    file: str
    publisher: str
    region: str
    headline: bool
    speakers: bool
    reporters: bool
    structure: bool
    language: bool

    @property
    def right(self) -> bool:
        """Headline, speakers, reporters and structure all right: what the issue counts."""
        return self.headline and self.speakers and self.reporters and self.structure


def entries(folder: Path) -> list[dict]:
    """The expectation entries of a corpus folder."""
    return yaml.safe_load((folder / "index.yaml").read_text("utf-8"))


def infer(path: Path) -> tuple[list[PastedArticle], str]:
    """The articles inferred from a paste, and its detected language."""
    text = decode_paste(path.read_bytes(), path).text
    return [infer_article(g, path) for g in split_articles(blocks(text))], detect_language(text)


def measure(folder: Path, entry: dict) -> Row:
    """One text's inference held against its expectation."""
    articles, language = infer(folder / entry["file"])
    article = articles[0]
    expected_speakers = entry["speakers"]
    speakers_right = [s.name for s in article.speakers] == [s["name"] for s in expected_speakers]
    speakers_right = speakers_right and all(
        s.role in [normalise(r) for r in e["roles"]]
        for s, e in zip(article.speakers, expected_speakers, strict=False)
    )
    kinds = [p.kind for p in article.pieces]
    structure = (
        len(articles) == 1
        and [p.text for p in article.pieces if p.kind == "subhead"]
        == [normalise(t) for t in entry["subheads"]]
        and [p.text for p in article.pieces if p.kind == "caption"]
        == [normalise(t) for t in entry["captions"]]
        and kinds.count("turn") == entry["turns"]
        and kinds.count("turn") + kinds.count("paragraph") == entry["paragraphs"]
        and ("editor-note" in kinds) == entry.get("editor_note", False)
    )
    return Row(
        file=entry["file"],
        publisher=entry["publisher"],
        region=entry["region"],
        headline=article.title == normalise(entry["title"])
        and article.subtitle == normalise(entry.get("subtitle", "")),
        speakers=speakers_right,
        reporters=list(article.byline.reporters) == entry["reporters"],
        structure=structure,
        language=language == entry["language"],
    )


def table(rows: list[Row]) -> str:
    """The per-text results as a Markdown table, with the share of texts all right."""
    mark = {True: "yes", False: "**no**"}
    lines = [
        "| text | publisher | region | headline | speakers | reporters | structure | script |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        cells = [r.headline, r.speakers, r.reporters, r.structure, r.language]
        lines.append(
            f"| {r.file.removesuffix('.txt')} | {r.publisher} | {r.region} | "
            + " | ".join(mark[c] for c in cells)
            + " |"
        )
    right = sum(r.right for r in rows)
    lines.append(f"\n{right} of {len(rows)} texts right on all four ({right / len(rows):.0%}).")
    return "\n".join(lines)


if __name__ == "__main__":
    for folder in (REAL, HELDOUT):
        print(f"\n{folder.name}:\n")
        print(table([measure(folder, e) for e in entries(folder)]))
