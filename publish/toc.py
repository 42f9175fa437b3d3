"""The table of contents by speaker: one entry per interviewee, pointing at their article."""

from __future__ import annotations

from dataclasses import dataclass

from pypinyin import Style, lazy_pinyin

from publish.model import Article, Issue, Speaker


@dataclass(frozen=True)
class TocEntry:
    """A line of the speaker TOC: who, in what role, and which article."""

    speaker: Speaker
    article: Article


def speaker_toc(issue: Issue) -> tuple[TocEntry, ...]:
    """Entries for every speaker of every article, ordered as `toc.order` asks."""
    entries = [TocEntry(s, a) for a in issue.articles for s in a.speakers]
    if issue.config.toc.order == "pinyin":
        entries.sort(key=lambda e: _pinyin_key(e.speaker.name))
    return tuple(entries)


def _pinyin_key(name: str) -> tuple[str, ...]:
    # surname first, then given name; heteronym surnames get their surname reading
    return tuple(lazy_pinyin(name, style=Style.TONE3, strict=False))
