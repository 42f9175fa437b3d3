"""The one collector of an issue's names, and the one Han character class."""

from __future__ import annotations

from dataclasses import replace

import pytest

from publish.model import Issue
from publish.source.reader import read_issue
from publish.text.han import HAN, is_han
from publish.text.names import issue_names, longest_first, people
from tests.conftest import MINIMAL


@pytest.fixture
def minimal() -> Issue:
    return read_issue(MINIMAL)


def test_people_in_order_of_appearance_each_part_once(minimal: Issue) -> None:
    first = minimal.articles[0]
    doubled = replace(minimal, articles=(first, replace(first, reporters=("范勇",))))
    assert people(doubled) == (
        ("范勇", "speaker"),
        ("李晶", "reporter"),
        ("张放", "reporter"),
        ("范勇", "reporter"),
    )
    assert issue_names(doubled) == ("范勇", "李晶", "张放")
    assert issue_names(doubled, reporters=False) == ("范勇",)
    assert issue_names(doubled, speakers=False) == ("李晶", "张放", "范勇")


def test_longest_first(minimal: Issue) -> None:
    names = longest_first(minimal)
    assert sorted(names) == sorted(issue_names(minimal))
    assert [len(n) for n in names] == sorted((len(n) for n in names), reverse=True)


@pytest.mark.parametrize(
    "char", ["中", "範", "㐀", "\U00020000", "\U0002a700", "\U00030000", "〇", "\uf900"]
)
def test_han_characters(char: str) -> None:
    assert is_han(char) and HAN.fullmatch(char)


@pytest.mark.parametrize("char", ["a", "1", "，", "。", "「", "ー", "가", "あ", "\u4dc0", "\u2e80"])
def test_not_han(char: str) -> None:
    assert not is_han(char)
