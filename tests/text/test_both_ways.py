"""Editions from Traditional originals: the source kept, OpenCC's Simplified, regions chained."""

from __future__ import annotations

import re

import pytest

from publish.model import ConversionOptions, Issue
from publish.source.reader import read_issue
from publish.text.convert import convert_issue, convert_text, opencc_converter
from publish.text.editions import ROUTES, edition_for
from publish.text.quotes import curly_quote
from tests.conftest import FIXTURES, MINIMAL

TW_ORIGINAL = FIXTURES / "issues" / "tw-original"
HK_ORIGINAL = FIXTURES / "issues" / "hk-original"
HAN = re.compile(r"[\u3400-\u9fff]")


def han(text: str) -> str:
    return "".join(HAN.findall(text))


def edition_of(issue: Issue, tag: str) -> Issue:
    config = issue.config
    return convert_issue(issue, edition_for(tag, config.conversion, config.language))


@pytest.fixture(scope="module", params=[TW_ORIGINAL, HK_ORIGINAL], ids=["tw", "hk"])
def original(request) -> Issue:
    return read_issue(request.param)


@pytest.mark.parametrize(
    ("source", "tag", "config"),
    [
        ("zh-Hant-TW", "zh-Hans", "tw2s"),
        ("zh-Hant-HK", "zh-Hans", "hk2s"),
        ("zh-Hant", "zh-Hans", "t2s"),
        ("zh-Hant-TW", "zh-Hant-TW", None),
        ("zh-Hant-HK", "zh-Hant-HK", None),
        ("zh-Hant-HK", "zh-Hant-TW", "hk2t+t2tw"),
        ("zh-Hant-TW", "zh-Hant-HK", "tw2t+t2hk"),
        ("zh-Hant", "zh-Hant-TW", "t2tw"),
        ("zh-Hans", "zh-Hant-TW", "s2tw"),
    ],
)
def test_each_edition_is_made_the_way_the_source_needs(source, tag, config) -> None:
    assert edition_for(tag, ConversionOptions(), source).opencc_config == config


def test_regional_phrases_apply_in_both_directions() -> None:
    regional = ConversionOptions(regional_phrases=True)
    assert edition_for("zh-Hans", regional, "zh-Hant-TW").opencc_config == "tw2sp"
    assert edition_for("zh-Hans", regional, "zh-Hant-HK").opencc_config == "hk2sp"
    assert edition_for("zh-Hant-TW", regional, "zh-Hans").opencc_config == "s2twp"
    tw2sp = edition_for("zh-Hans", regional, "zh-Hant-TW")
    assert convert_text("軟體裡面的資訊", tw2sp) == "软件里面的信息"


def test_a_chain_is_opencc_config_after_config() -> None:
    text = "「我初初出來工作」這裏的麵包，說著爲了"
    chained = opencc_converter("hk2t+t2tw")(text)
    assert chained == opencc_converter("t2tw")(opencc_converter("hk2t")(text))
    assert "裡" in chained and "裏" not in chained  # Taiwan's form of the HK 裏


def test_the_same_region_edition_keeps_every_han_character(original: Issue) -> None:
    tag = original.config.language
    edition = edition_of(original, tag)
    for source, printed in zip(original.articles, edition.articles, strict=True):
        assert printed.body == source.body
        assert (printed.title, printed.speakers) == (source.title, source.speakers)
    assert edition.config.title == original.config.title


def test_the_simplified_edition_is_opencc_but_the_editors_terms(original: Issue) -> None:
    config = ROUTES[original.config.language]["zh-Hans"]
    convert = opencc_converter(config)
    terms = original.config.conversion.terms
    edition = edition_of(original, "zh-Hans")
    for source, printed in zip(original.articles, edition.articles, strict=True):
        expected = convert(source.body)
        for term, replacement in terms.items():
            expected = expected.replace(convert(term), replacement)
        assert printed.body == curly_quote(expected)
        assert "「" not in printed.body and "」" not in printed.body
        assert [s.name for s in printed.speakers] == [convert(s.name) for s in source.speakers]


def test_the_taiwan_edition_of_a_hong_kong_original_goes_through_opencc() -> None:
    issue = read_issue(HK_ORIGINAL)
    taiwan = edition_of(issue, "zh-Hant-TW")
    body = taiwan.articles[2].body
    assert "這裡是記者的樹洞" in body  # the HK source's 這裏
    assert body == opencc_converter("t2tw")(opencc_converter("hk2t")(issue.articles[2].body))


def test_terms_apply_only_where_the_script_changes() -> None:
    issue = read_issue(TW_ORIGINAL)
    assert "制作播客的动力" in edition_of(issue, "zh-Hans").articles[0].body
    for tag in ("zh-Hant-TW", "zh-Hant-HK"):
        assert "製作Podcast的動力" in edition_of(issue, tag).articles[0].body


def test_surnames_of_a_traditional_original_take_their_one_simplified_form() -> None:
    issue = read_issue(HK_ORIGINAL)
    names = [s.name for a in edition_of(issue, "zh-Hans").articles for s in a.speakers]
    assert names == ["黄任匡", "黄远辉", "区家麟"]


def test_the_layouts_words_follow_every_edition(original: Issue) -> None:
    assert edition_of(original, "zh-Hans").words["toc"] == "目录"
    for tag in ("zh-Hant-TW", "zh-Hant-HK"):
        assert edition_of(original, tag).words["toc"] == "目錄"
        assert edition_of(original, tag).words["toc_by_speaker"] == "受訪者索引"


def test_a_simplified_source_edition_is_untouched() -> None:
    issue = read_issue(MINIMAL)
    assert edition_of(issue, "zh-Hans") is issue
    assert han(edition_of(issue, "zh-Hant-TW").articles[0].body) != han(issue.articles[0].body)
