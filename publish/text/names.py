"""The people an issue names: speakers and reporters, the one collector of them."""

from __future__ import annotations

from typing import Literal

from publish.model import Issue

Part = Literal["speaker", "reporter"]


def people(issue: Issue) -> tuple[tuple[str, Part], ...]:
    """(name, part) of every speaker and reporter, in order of appearance, without repeats
    (a person who both speaks and reports appears once as each)."""
    found: dict[tuple[str, Part], None] = {}
    for article in issue.articles:
        found.update(dict.fromkeys((s.name, "speaker") for s in article.speakers))
        found.update(dict.fromkeys((r, "reporter") for r in article.reporters))
    return tuple(found)


def issue_author(issue: Issue) -> str:
    """Who authored the issue, for the PDF's Author and the e-book's dc:creator: the `creator`
    key, else the publisher, else the reporters, since a special issue is authored by its desk."""
    config = issue.config
    return config.creator or config.publisher or "、".join(issue_names(issue, speakers=False))


def issue_names(issue: Issue, *, speakers: bool = True, reporters: bool = True) -> tuple[str, ...]:
    """Speaker and/or reporter names of the issue, in order of appearance, without repeats."""
    wanted = {"speaker": speakers, "reporter": reporters}
    return tuple(dict.fromkeys(name for name, part in people(issue) if wanted[part]))


def longest_first(issue: Issue) -> tuple[str, ...]:
    """Every name of the issue, longest first: the longer of two overlapping names wins."""
    return tuple(sorted(issue_names(issue), key=len, reverse=True))
