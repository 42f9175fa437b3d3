"""Telling Simplified from Traditional text by the characters only one script uses."""

from __future__ import annotations

from publish.source.reader import read_issue
from publish.text.script import count_script, script_mismatch
from tests.conftest import DEFAULT_ISSUE, FIXTURES


def test_the_default_issue_is_simplified() -> None:
    issue = read_issue(DEFAULT_ISSUE)
    assert {count_script(a.body).script for a in issue.articles} == {"Hans"}


def test_the_traditional_originals_are_traditional() -> None:
    for name in ("tw-original", "hk-original"):
        issue = read_issue(FIXTURES / "issues" / name)
        assert {count_script(a.body).script for a in issue.articles} == {"Hant"}


def test_shared_characters_and_short_texts_tell_nothing() -> None:
    assert count_script("中国人民大学").script is None  # the same in both scripts
    assert count_script("这里").script is None  # too few to judge
    assert count_script("他说这里的發展").script is None


def test_a_mismatch_names_the_script_and_the_fix() -> None:
    text = "這份熱情，轉化為他製作的動力，解讀世界政治，對他而言，每一則國際新聞"
    message = script_mismatch(text, "zh-Hans")
    assert message is not None and "Traditional characters" in message
    assert "set language: zh-Hant-TW" in message
    assert script_mismatch(text, "zh-Hant-TW") is None
    simplified = "这份热情，转化为他制作的动力，解读世界政治，对他而言，每一则国际新闻"
    assert "set language: zh-Hans" in str(script_mismatch(simplified, "zh-Hant-HK"))
