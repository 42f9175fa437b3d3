"""Typeset bodies kept across builds: many missing bodies are typeset on several processes,
in the same order and to the same HTML as on one."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest
from markupsafe import Markup

from publish.model import Article
from publish.run.bodies import PARALLEL_BODIES, kept_bodies
from publish.source.reader import read_issue
from tests.conftest import DEFAULT_ISSUE


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    """More articles than are typeset on one process, each body its own."""
    first = read_issue(DEFAULT_ISSUE).articles[0]
    return [
        dataclasses.replace(first, slug=f"a{n}", body=f"第{n}段。")
        for n in range(PARALLEL_BODIES + 7)
    ]


def typeset(article: Article) -> Markup:
    return Markup(f"<p>{article.body}</p><!-- {os.getpid()} -->")


def body_of(markup: Markup) -> str:
    return str(markup).split("<!--")[0]


def pid_of(markup: Markup) -> int:
    return int(str(markup).split("<!-- ")[1].split(" ")[0])


def test_many_bodies_are_typeset_in_order_on_several_processes(
    articles: list[Article], tmp_path: Path
) -> None:
    one = kept_bodies(articles, [], repr, typeset, tmp_path / "one.json", read=False)
    two = kept_bodies(articles, [], repr, typeset, tmp_path / "two.json", read=False, jobs=2)
    assert [body_of(b) for b in two] == [body_of(b) for b in one]
    assert [body_of(b) for b in two][:2] == ["<p>第0段。</p>", "<p>第1段。</p>"]
    assert all(isinstance(body, Markup) for body in two)
    assert {pid_of(b) for b in one} == {os.getpid()}
    workers = {pid_of(b) for b in two}
    assert len(workers) == 2 and os.getpid() not in workers


def test_only_the_bodies_not_kept_are_typeset_again(
    articles: list[Article], tmp_path: Path
) -> None:
    store = tmp_path / "bodies.json"
    first = kept_bodies(articles, [], repr, typeset, store, jobs=2)
    edited = [*articles[:-1], dataclasses.replace(articles[-1], body="改过的一段。")]
    again = kept_bodies(edited, [], repr, typeset, store, jobs=2)
    assert again[:-1] == first[:-1]  # taken from the store: the same pids too
    assert body_of(again[-1]) == "<p>改过的一段。</p>" and pid_of(again[-1]) == os.getpid()


def test_a_few_bodies_are_typeset_here(articles: list[Article], tmp_path: Path) -> None:
    few = articles[: PARALLEL_BODIES - 1]
    bodies = kept_bodies(few, [], repr, typeset, tmp_path / "few.json", read=False, jobs=2)
    assert {pid_of(b) for b in bodies} == {os.getpid()}
