"""The speaker index in pinyin (surname readings), stroke (ICU) and zhuyin order, per edition."""

from __future__ import annotations

from dataclasses import replace

import pytest

from publish.model import Issue, TocOptions
from publish.source.reader import read_issue
from publish.text.convert import convert_issue
from publish.text.editions import edition_for
from publish.text.toc import speaker_toc, strokes_key
from tests.conftest import FIXTURES

TWELVE = FIXTURES / "issues" / "twelve-speakers"

PINYIN = [
    "丁磊",  # dīng
    "欧阳晨",  # ōu yáng: the compound surname, before 区志坚 by its second syllable
    "区志坚",  # ōu as a surname (qū otherwise)
    "朴成浩",  # piáo (pǔ otherwise)
    "仇海燕",  # qiú (chóu otherwise)
    "单立新",  # shàn (dān otherwise)
    "上官云",  # shàng guān
    "司马南",
    "万里红",
    "王芳",
    "解文华",  # xiè (jiě otherwise)
    "叶青",
    "于丹",  # yú
    "尉迟敬",  # yù chí (wèi otherwise)
    "曾晓明",  # zēng (céng otherwise)
    "查建英",  # zhā (chá otherwise)
    "张建国",
    "诸葛明",
]
"""The zh-Hans edition, by the surnames' readings as surnames."""

STROKES = [
    ("丁磊", 2),
    ("上官雲", 3),
    ("于丹", 3),
    ("仇海燕", 4),
    ("王芳", 4),
    ("司馬南", 5),
    ("朴成浩", 6),
    ("查建英", 9),
    ("區志堅", 11),
    ("尉遲敬", 11),
    ("張建國", 11),
    ("單立新", 12),
    ("曾曉明", 12),
    ("萬里紅", 13),
    ("葉青", 13),
    ("解文華", 13),
    ("歐陽晨", 15),
    ("諸葛明", 16),
]
"""The zh-Hant-TW edition by the stroke count of the Traditional surname (張 11, not 张 7)."""

ZHUYIN = [
    "朴成浩",  # ㄆ
    "丁磊",  # ㄉ
    "仇海燕",  # ㄑ
    "解文华",  # ㄒ
    "查建英",  # ㄓㄚ
    "张建国",  # ㄓㄤ
    "诸葛明",  # ㄓㄨ
    "单立新",  # ㄕㄢ
    "上官云",  # ㄕㄤ
    "曾晓明",  # ㄗ
    "司马南",  # ㄙ
    "区志坚",  # ㄡ ㄓ
    "欧阳晨",  # ㄡ ㄧ
    "叶青",  # ㄧ
    "万里红",  # ㄨㄢ
    "王芳",  # ㄨㄤ
    "于丹",  # ㄩˊ
    "尉迟敬",  # ㄩˋ
]
"""By the order of the zhuyin table (ㄅㄆㄇㄈ…ㄧㄨㄩ), surnames read as surnames."""


@pytest.fixture(scope="module")
def twelve() -> Issue:
    return read_issue(TWELVE)


def index(issue: Issue, tag: str, order=None) -> list[str]:
    if order is not None:
        issue = replace(issue, config=replace(issue.config, toc=TocOptions(order=order)))
    edition = edition_for(tag, issue.config.conversion, issue.config.language)
    return [entry.speaker.name for entry in speaker_toc(convert_issue(issue, edition))]


def test_the_simplified_edition_sorts_by_the_surnames_pinyin(twelve: Issue) -> None:
    assert index(twelve, "zh-Hans") == PINYIN


def test_the_taiwan_edition_sorts_by_strokes_of_its_own_characters(twelve: Issue) -> None:
    assert index(twelve, "zh-Hant-TW") == [name for name, _ in STROKES]
    counts = [count for _, count in STROKES]
    assert counts == sorted(counts)


def test_stroke_order_counts_each_editions_characters(twelve: Issue) -> None:
    hans = index(twelve, "zh-Hans", "strokes")
    assert hans.index("朴成浩") < hans.index("张建国") < hans.index("查建英")  # 张 7 < 查 9
    hant = index(twelve, "zh-Hant-TW", "strokes")
    assert hant.index("朴成浩") < hant.index("查建英") < hant.index("張建國")  # 查 9 < 張 11


def test_strokes_compare_the_surname_before_the_given_name() -> None:
    # 丁 (2) + a 13-stroke given name still precedes 王 (4) + a 1-stroke one
    names = ["王一", "丁愛", "歐陽一", "歐一"]
    assert sorted(names, key=strokes_key) == ["丁愛", "王一", "歐一", "歐陽一"]


def test_zhuyin_follows_the_zhuyin_table(twelve: Issue) -> None:
    assert index(twelve, "zh-Hans", "zhuyin") == ZHUYIN


def test_an_edition_the_mapping_omits_keeps_appearance(twelve: Issue) -> None:
    appearance = [s.name for a in twelve.articles for s in a.speakers]
    assert index(twelve, "zh-Hans", {"zh-Hant-TW": "strokes"}) == appearance
