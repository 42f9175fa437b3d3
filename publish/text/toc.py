"""The table of contents by speaker: one entry per interviewee, pointing at their article."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from publish.errors import EnvironmentProblem
from publish.model import Article, Issue, Speaker, TocOptions

TOC_ORDERS = ("appearance", "pinyin", "strokes", "zhuyin")
"""How the speaker index may be ordered (`toc.order`)."""

COMPOUND_SURNAMES = frozenset(
    re.split(
        " ",
        "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 令狐 夏侯 端木 轩辕 单于 澹台 "
        "万俟 闻人 呼延 钟离 宗政 濮阳 淳于 太叔 申屠 南宫 西门 百里 东郭 独孤 歐陽 司馬 諸葛 "
        "皇甫 尉遲 公孫 長孫 令狐 端木 軒轅 單于 澹臺 萬俟 聞人 鍾離 東方 濮陽 南宮 西門 東郭 獨孤",
    )
)
"""Two-character surnames: the whole pair is the surname when sorting."""

SURNAME_READINGS = {
    "单": "shan4",
    "單": "shan4",
    "曾": "zeng1",
    "解": "xie4",
    "仇": "qiu2",
    "区": "ou1",
    "區": "ou1",
    "查": "zha1",
    "朴": "piao2",
    "樸": "piao2",
    "乐": "yue4",
    "樂": "yue4",
    "盖": "ge3",
    "蓋": "ge3",
    "覃": "qin2",
    "翟": "zhai2",
    "缪": "miao4",
    "繆": "miao4",
    "瞿": "qu2",
    "秘": "bi4",
    "繁": "po2",
    "重": "chong2",
    "种": "chong2",
    "種": "chong2",
    "折": "she2",
    "那": "na1",
    "都": "du1",
    "六": "lu4",
    "薄": "bo2",
    "柏": "bai3",
    "牟": "mou2",
    "阚": "kan4",
    "闞": "kan4",
    "华": "hua4",
    "華": "hua4",
    "宓": "fu2",
    "召": "shao4",
    "员": "yun4",
    "員": "yun4",
    "贲": "ben1",
    "賁": "ben1",
    "句": "gou1",
    "於": "yu2",
    "长孙": "zhang3 sun1",
    "長孫": "zhang3 sun1",
    "尉迟": "yu4 chi2",
    "尉遲": "yu4 chi2",
    "万俟": "mo4 qi2",
    "萬俟": "mo4 qi2",
    "单于": "chan2 yu2",
    "單于": "chan2 yu2",
}
"""Surnames whose reading as a surname differs from the character's common reading."""


@dataclass(frozen=True)
class TocEntry:
    """A line of the speaker TOC: who, in what role, and which article."""

    speaker: Speaker
    article: Article


def speaker_toc(issue: Issue) -> tuple[TocEntry, ...]:
    """Entries for every speaker of every article, ordered as `toc.order` asks.

    The issue is already in its edition's script (its language is the edition's tag), so
    each edition sorts on its own characters: 张 has 7 strokes, 張 has 11.
    """
    entries = [TocEntry(s, a) for a in issue.articles for s in a.speakers]
    order = order_for(issue.config.toc, issue.config.language)
    if order != "appearance":
        # a stable sort keeps namesakes with the same key in order of appearance
        entries.sort(key=lambda e: SORT_KEYS[order](e.speaker.name))
    return tuple(entries)


def order_for(toc: TocOptions, edition: str) -> str:
    """The order of one edition's index; an edition a per-edition mapping omits keeps appearance."""
    if isinstance(toc.order, Mapping):
        return toc.order.get(edition, "appearance")
    return toc.order


def split_name(name: str) -> tuple[str, str]:
    """Surname and given name of a Chinese personal name."""
    surname = name[:2] if name[:2] in COMPOUND_SURNAMES else name[:1]
    return surname, name[len(surname) :]


def pinyin_key(name: str) -> tuple[tuple[str, int], ...]:
    """Sort key: the surname read as a surname, then the given name; letters first, then tone."""
    return tuple(_syllable_key(s) for s in _readings(name))


def _tone3(text: str) -> list[str]:
    # imported when first needed: loading its phrase dictionary takes ~0.2 s, and only the
    # pinyin order reads it
    from pypinyin import Style, lazy_pinyin

    return lazy_pinyin(text, style=Style.TONE3, neutral_tone_with_five=True, errors="default")


def _syllable_key(syllable: str) -> tuple[str, int]:
    match = re.fullmatch(r"([a-zü:v]+)([1-5]?)", syllable.lower())
    if match is None:
        return (syllable, 0)
    return (match.group(1), int(match.group(2) or 5))


def strokes_key(name: str) -> tuple[bytes, bytes]:
    """Sort key: surname by stroke count, then given name, as ICU's stroke collation says."""
    surname, given = split_name(name)
    collator = _stroke_collator()
    return (collator.getSortKey(surname), collator.getSortKey(given))


def zhuyin_key(name: str) -> tuple[tuple[str, int], ...]:
    """Sort key: the zhuyin of the surname read as a surname, then of the given name."""
    from pypinyin import Style
    from pypinyin.style import convert

    return tuple(_zhuyin_syllable(convert(s, Style.BOPOMOFO, strict=True)) for s in _readings(name))


def _readings(name: str) -> list[str]:
    """TONE3 syllables of a name, the surname read as a surname (曾 zeng1, 单 shan4)."""
    surname, given = split_name(name)
    reading = SURNAME_READINGS.get(surname, "")
    return [*(reading.split() if reading else _tone3(surname)), *_tone3(given)]


ZHUYIN_TONES = {"ˊ": 2, "ˇ": 3, "ˋ": 4, "˙": 5}
"""Tone marks after a zhuyin syllable; none is the first tone."""


def _zhuyin_syllable(syllable: str) -> tuple[str, int]:
    # the Bopomofo block is in the order of the zhuyin table (ㄅㄆㄇㄈ…), so code points sort it
    letters = "".join(c for c in syllable if c not in ZHUYIN_TONES)
    tones = [ZHUYIN_TONES[c] for c in syllable if c in ZHUYIN_TONES]
    return (letters, tones[0] if tones else 1)


@functools.cache
def _stroke_collator() -> Any:
    """ICU's collator that orders Han characters by stroke count (CLDR zh@collation=stroke)."""
    try:
        import icu
    except ImportError as error:
        raise EnvironmentProblem(
            f"toc.order: strokes needs ICU's collation, and PyICU is not installed ({error}). "
            "Fix: apt-get install libicu-dev pkg-config, then pip install PyICU (or `make setup`)."
        ) from None
    return icu.Collator.createInstance(icu.Locale("zh@collation=stroke"))


SORT_KEYS: dict[str, Callable[[str], Any]] = {
    "pinyin": pinyin_key,
    "strokes": strokes_key,
    "zhuyin": zhuyin_key,
}
"""Each order's key on a speaker's name, as printed in the edition."""
