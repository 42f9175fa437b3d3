"""Which issues are laid out in pieces (short ones, for the layout cache), in chunks or whole."""

from __future__ import annotations

from dataclasses import replace

from publish.model import Issue
from publish.pdf import parts
from publish.source.reader import read_issue
from tests.conftest import DEFAULT_ISSUE


def with_pdf(issue: Issue, count: int | None = None, **options: object) -> Issue:
    """The issue with other PDF options, and its articles cut or repeated up to `count`."""
    articles = issue.articles
    if count is not None:
        articles = tuple((articles * (count // len(articles) + 1))[:count])
    pdf = replace(issue.config.pdf, **options)
    return replace(issue, articles=articles, config=replace(issue.config, pdf=pdf))


def test_a_short_issue_of_several_articles_is_laid_out_in_pieces() -> None:
    issue = read_issue(DEFAULT_ISSUE)
    assert parts.in_pieces(issue) and not parts.wants_chunks(issue, jobs=2)
    assert parts.in_pieces(with_pdf(issue, standard="pdf/x-4"))
    assert parts.in_pieces(with_pdf(issue, 2))


def test_one_article_an_issue_without_new_pages_or_a_tagged_one_stays_whole() -> None:
    issue = read_issue(DEFAULT_ISSUE)
    assert not parts.in_pieces(with_pdf(issue, 1))
    assert not parts.in_pieces(with_pdf(issue, article_new_page=False))
    assert not parts.in_pieces(with_pdf(issue, standard="pdf/ua-1"))


def test_a_long_issue_is_chunks_not_runs() -> None:
    issue = with_pdf(read_issue(DEFAULT_ISSUE), parts.CHUNK_FROM + 1)
    assert parts.wants_chunks(issue, jobs=2) and not parts.in_pieces(issue)
    assert not parts.wants_chunks(issue, jobs=1)  # one core: one render, not pieces either
