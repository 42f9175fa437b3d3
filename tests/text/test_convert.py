"""Traditional editions: names keep their surname, editor's terms win, quotes become corners."""

from __future__ import annotations

import logging
import sys
from dataclasses import replace
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from publish.errors import EnvironmentProblem, InputError
from publish.model import ConversionOptions, Issue
from publish.source.reader import read_issue
from publish.text import convert
from publish.text.convert import (
    SURNAMES,
    convert_issue,
    convert_name,
    convert_text,
    opencc_converter,
)
from publish.text.editions import EDITIONS, OPENCC_CONFIGS, edition_for
from publish.text.names import issue_names
from publish.text.quotes import corner_quote
from tests.conftest import DEFAULT_ISSUE, MINIMAL

TW = EDITIONS["zh-Hant-TW"]
HANS = EDITIONS["zh-Hans"]
TRADITIONAL = [e for e in EDITIONS.values() if e.opencc_config]
NAMES = ("闫立然", "张本才", "范勇", "范倩楠", "路小庆", "于洋", "钟南山")
SIMPLIFIED_QUOTES = "“”‘’"


@pytest.fixture(scope="module")
def minimal() -> Issue:
    # fixed layout words, so the test does not follow edits to the shipped words.yaml
    return replace(read_issue(MINIMAL), words={"toc": "目录", "page": "第{n}页"})


@pytest.mark.parametrize("edition", TRADITIONAL, ids=lambda e: e.tag)
@pytest.mark.parametrize(
    ("name", "want"), [("范勇", "范勇"), ("范倩楠", "范倩楠"), ("张本才", "張本才")]
)
def test_names_keep_an_ambiguous_surname_and_convert_the_rest(edition, name, want) -> None:
    official = opencc_converter(edition.opencc_config)
    assert convert_text(name, edition, NAMES) == want
    around = ("局长", "在接受记者采访时说")
    converted = convert_text(name.join(around), edition, NAMES)
    assert converted == want.join(map(official, around))


@pytest.mark.parametrize("edition", TRADITIONAL, ids=lambda e: e.tag)
def test_ordinary_words_still_convert(edition) -> None:
    text = "示范村和模范勇士，关于洋务，其余160余项，分钟"
    converted = convert_text(text, edition, NAMES)
    assert converted.startswith("示範村和模範勇士，關於洋務，其餘160餘項，分鐘")


def test_names_in_the_body_convert_their_given_name() -> None:
    assert convert_text("闫立然表示，于洋说", TW, NAMES) == "閆立然表示，于洋說"
    assert convert_text("范局长说", TW, NAMES) == "范局長說"
    assert convert_text("范局长说", TW, ()) == "範局長說"


def test_regional_phrases_convert_around_names() -> None:
    regional = edition_for("zh-Hant-TW", ConversionOptions(regional_phrases=True))
    text = "范勇用方便面和软件打印文件"
    assert convert_text(text, regional, NAMES) == "范勇用泡麵和軟體列印檔案"
    assert convert_text(text, TW, NAMES) == "范勇用方便麵和軟件打印文件"


def test_a_listed_surname_prints_its_own_traditional_form() -> None:
    assert convert_name("钟表", "s2t") == "鍾表"  # a person, not a clock: OpenCC says 鐘錶
    assert convert_name("沈阳", "s2tw") == "沈陽"  # a person, not the city 瀋陽
    assert all(len(s) == 1 and len(t) == 1 for s, t in SURNAMES.items())


def test_editors_terms_win_over_opencc_and_names() -> None:
    text = "为今后的发展指明了方向，新签合同"
    assert convert_text(text, TW) == "為今後的發展指明瞭方向，新籤合同"  # OpenCC's own choice
    terms = {"指明了": "指明了", "新签": "新簽", "范勇": "範勇"}
    assert convert_text(text, TW, terms=terms) == "為今後的發展指明了方向，新簽合同"
    assert convert_text("范勇", TW, NAMES, terms) == "範勇"


def test_quotes_become_corner_brackets_with_nesting_kept() -> None:
    text = "他说：“要坚持‘两手抓’，China’s ‘双胜利’。”"
    assert convert_text(text, TW) == "他說：「要堅持『兩手抓』，China’s 『雙勝利』。」"
    assert convert_text(text, HANS) == text


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("“甲‘乙’丙”", "「甲『乙』丙」"),
        ("‘十三五’规划", "『十三五』规划"),
        ("“大会暨“集中攻坚年”动员”", "「大会暨『集中攻坚年』动员」"),
        ("“一‘二“三”二’一”", "「一『二「三」二』一」"),
        ("“第一段\n\n“第二段”", "「第一段\n\n「第二段」"),
        ("多余的”和’", "多余的」和』"),
    ],
)
def test_corner_quotes_follow_nesting(text: str, want: str) -> None:
    assert corner_quote(text) == want


@given(st.text(alphabet="“”‘’范勇说a’ \n", max_size=40))
def test_no_simplified_quotes_survive_but_apostrophes(text: str) -> None:
    out = corner_quote(text)
    assert not set(out) & set("“”‘")
    kept = [i for i, c in enumerate(out) if c == "’"]
    assert all(0 < i < len(out) - 1 and out[i - 1] == out[i + 1] == "a" for i in kept)
    assert len(out) == len(text)


@given(st.text(alphabet="范勇示模于洋关其余钟表说发展“”‘’ \n", max_size=60))
def test_any_text_keeps_its_length_and_loses_its_simplified_quotes(text: str) -> None:
    terms = {"": "x", "发展": "發展"}
    out = convert_text(text, TW, ("范勇", "于洋", "钟"), terms)
    assert len(out) == len(text)  # s2tw, the surnames and the quotes all map one to one
    assert not set(out) & set(SIMPLIFIED_QUOTES)


def test_simplified_edition_returns_the_issue_itself(minimal: Issue) -> None:
    assert convert_issue(minimal, HANS) is minimal


def test_convert_issue_converts_every_printed_text(minimal: Issue) -> None:
    converted = convert_issue(minimal, TW)
    first = converted.articles[0]
    assert first.title == "提升服務效能 增強發展動力"
    assert first.subtitle == "——訪濟北開發區管委會經濟發展局局長 范勇"
    assert first.speakers[0].name == "范勇"
    assert first.speakers[0].role == "濟北開發區管委會經濟發展局局長"
    assert first.reporters == ("李晶", "張放")
    assert "以示範區建設為抓手" in first.body and "范勇表示：「2020年" in first.body
    assert converted.articles[1].speakers[0].name == "張本才"
    assert converted.words["toc"] == "目錄" and converted.words["page"] == "第{n}頁"
    assert (converted.config.title, converted.config.publisher) == ("測試特刊", "測試出版社")
    assert converted.config.language == "zh-Hant-TW"
    assert minimal.articles[0].speakers[0].name == "范勇"  # the input is left alone


def test_protected_terms_of_publish_yaml_count_as_names(minimal: Issue) -> None:
    options = ConversionOptions(protected=("范长江",))
    issue = replace(minimal, config=replace(minimal.config, conversion=options))
    body = replace(issue.articles[0], body="范长江说")
    converted = convert_issue(replace(issue, articles=(body,)), TW)
    assert converted.articles[0].body == "范長江說"


def test_issue_names_are_speakers_and_reporters_once(minimal: Issue) -> None:
    assert issue_names(minimal) == ("范勇", "李晶", "张放", "张本才", "刘婧", "郝皓")


def test_each_distinct_text_converts_once(minimal: Issue, monkeypatch) -> None:
    calls: list[str] = []
    real = opencc_converter("s2hk")

    def counting(config: str):
        return lambda text: calls.append(text) or real(text)

    monkeypatch.setattr(convert, "opencc_converter", counting)
    convert._convert_cached.cache_clear()
    twice = replace(minimal, articles=minimal.articles * 2)
    convert_issue(twice, EDITIONS["zh-Hant-HK"])
    texts = [c for c in calls if len(c) > 8]
    assert texts and len(texts) == len(set(texts))
    convert._convert_cached.cache_clear()


def test_the_reimplementation_is_used_by_name_and_warned_about(monkeypatch, caplog) -> None:
    made: list[str] = []

    class Reimplemented:
        def __init__(self, conversion: str) -> None:
            made.append(conversion)

        def set_conversion(self, conversion: str) -> None: ...

        def convert(self, text: str) -> str:
            return text

    fake = SimpleNamespace(OpenCC=Reimplemented)
    monkeypatch.setitem(sys.modules, "opencc", fake)
    convert.opencc_module.cache_clear()
    convert.opencc_converter.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="publish.text.convert"):
            opencc_converter("s2tw")
            opencc_converter("s2hk")
        assert made == ["s2tw", "s2hk"]
        assert len([r for r in caplog.records if "reimplemented" in r.message]) == 1
    finally:
        convert.opencc_module.cache_clear()
        convert.opencc_converter.cache_clear()


def test_a_damaged_opencc_is_an_environment_problem(monkeypatch) -> None:
    class Broken:
        def __init__(self, config: str) -> None:
            raise RuntimeError(f"{config} not found or not accessible")

    monkeypatch.setitem(sys.modules, "opencc", SimpleNamespace(OpenCC=Broken))
    convert.opencc_module.cache_clear()
    convert.opencc_converter.cache_clear()
    try:
        with pytest.raises(EnvironmentProblem, match="s2t.json .*force-reinstall"):
            opencc_converter("s2t")
    finally:
        convert.opencc_module.cache_clear()
        convert.opencc_converter.cache_clear()


def test_a_missing_opencc_is_an_environment_problem(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "opencc", None)  # makes `import opencc` fail
    convert.opencc_module.cache_clear()
    try:
        with pytest.raises(EnvironmentProblem, match="pip install 'opencc>=1.1.9'"):
            convert.opencc_module()
    finally:
        convert.opencc_module.cache_clear()


def test_unknown_opencc_config_lists_the_valid_ones() -> None:
    with pytest.raises(InputError, match="valid configs: s2t, s2tw, s2twp, s2hk, t2s"):
        opencc_converter("s2j")


def test_edition_for_applies_publish_yaml() -> None:
    assert edition_for("zh-Hant-TW", ConversionOptions()).opencc_config == "s2tw"
    regional = ConversionOptions(regional_phrases=True)
    assert edition_for("zh-Hant-TW", regional).opencc_config == "s2twp"
    assert edition_for("zh-Hant", regional).opencc_config == "s2t"
    override = ConversionOptions(configs={"zh-Hant": "s2tw"})
    assert edition_for("zh-Hant", override) == replace(EDITIONS["zh-Hant"], opencc_config="s2tw")


@pytest.mark.parametrize(
    ("tag", "options", "message"),
    [
        ("zh-TW", ConversionOptions(), "valid editions: zh-Hans, zh-Hant, zh-Hant-TW, zh-Hant-HK"),
        ("zh-Hant", ConversionOptions(configs={"zh-Hant": "s2j"}), "valid configs: s2t"),
        ("zh-Hant", ConversionOptions(configs={"zh-Hant": "t2tw"}), "use one of s2t, s2tw"),
        ("zh-Hans", ConversionOptions(configs={"zh-Hans": "s2t"}), "takes no OpenCC config"),
    ],
)
def test_edition_for_rejects_unknown_editions_and_configs(tag, options, message) -> None:
    with pytest.raises(InputError, match=message):
        edition_for(tag, options)


def _differences_outside(converted: str, expected: str, spans: list[range]) -> list[int]:
    assert len(converted) == len(expected), "s2tw keeps the length of the text"
    inside = {i for span in spans for i in span}
    return [
        i
        for i, (a, b) in enumerate(zip(converted, expected, strict=True))
        if a != b and i not in inside
    ]


def _name_spans(text: str, names: tuple[str, ...]) -> list[range]:
    spans = []
    for name in names:
        start = text.find(name)
        while start >= 0:
            spans.append(range(start, start + len(name)))
            start = text.find(name, start + 1)
    return spans


@pytest.mark.skipif(not (DEFAULT_ISSUE / "publish.yaml").is_file(), reason="no default issue")
def test_default_issue_equals_opencc_s2tw_except_names_and_quotes() -> None:
    issue = read_issue(DEFAULT_ISSUE)
    edition = edition_for("zh-Hant-TW", issue.config.conversion)
    assert edition.opencc_config in OPENCC_CONFIGS
    converted = convert_issue(issue, edition)
    official = opencc_converter("s2tw")
    terms = tuple(issue.config.conversion.terms)
    names = (*issue_names(issue), *issue.config.conversion.protected)
    for source, done in zip(issue.articles, converted.articles, strict=True):
        for field in ("title", "subtitle", "body"):
            text, out = getattr(source, field), getattr(done, field)
            expected = corner_quote(official(text))
            spans = _name_spans(text, names + terms)
            assert _differences_outside(out, expected, spans) == [], (source.source, field)
            assert not set(out) & set(SIMPLIFIED_QUOTES)
    everything = "".join(a.body + a.subtitle + " ".join(a.reporters) for a in converted.articles)
    assert "范勇" in everything and "范倩楠" in everything and "範勇" not in everything
    assert "示範村" in everything and "示范" not in everything


def test_the_comparison_helpers_find_differences() -> None:
    """The default-issue comparison can fail: a difference outside a name is reported."""
    assert _name_spans("范勇说范勇", ("范勇",)) == [range(0, 2), range(3, 5)]
    assert _differences_outside("範勇說", "范勇說", [range(0, 2)]) == []
    assert _differences_outside("範勇說", "范勇說", []) == [0]
