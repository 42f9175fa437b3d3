"""Editions in another script: OpenCC conversion with protected names, editor's terms, quotes."""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from types import ModuleType

from publish.errors import EnvironmentProblem, InputError
from publish.model import Article, ConversionOptions, Edition, Issue, IssueConfig
from publish.text.editions import EDITIONS, OPENCC_CONFIGS, edition_for
from publish.text.names import issue_names
from publish.text.quotes import corner_quote, curly_quote

log = logging.getLogger("publish.text.convert")


def _words(text: str) -> tuple[str, ...]:
    """Space-separated words of a table written as one string, for readability."""
    return tuple(text.split())


SURNAMES: dict[str, str] = {
    "范": "范",  # OpenCC: 範 (model); the surname is 范
    "于": "于",  # 於 (preposition)
    "余": "余",  # 餘 (remainder)
    "郁": "郁",  # 鬱 (gloomy)
    "游": "游",  # 遊 (travel)
    "岳": "岳",  # 嶽 (mountain)
    "朴": "朴",  # 樸 (plain); the Korean surname Park is 朴
    "党": "党",  # 黨 (party)
    "干": "干",  # 幹/乾 (do/dry)
    "咸": "咸",  # 鹹 (salty)
    "涂": "涂",  # 塗 (smear)
    "后": "后",  # 後 (after)
    "台": "台",  # 臺 in s2t and s2tw (台湾 → 臺灣)
    "种": "种",  # 種 (seed); the surname Chóng is 种
    "姜": "姜",  # 薑 (ginger) in phrases: 生姜 → 生薑
    "钟": "鍾",  # 鐘 (bell) in phrases: 钟表 → 鐘錶; the surname is 鍾
    "谷": "谷",  # 穀 (grain) in phrases: 谷物 → 穀物
    "沈": "沈",  # 瀋 in phrases: 沈阳 → 瀋陽 (a person 沈阳 stays 沈陽)
}
"""Surnames whose simplified form stands for several traditional characters → the surname's form.

OpenCC converts a lone character to its most frequent traditional counterpart, which for these
is a common word (范 → 範); a name's surname is therefore printed from this table and only the
given name goes through OpenCC (范勇 → 范勇, 张本才 → 張本才 because 张 is not listed here).
"""

SURNAME_WORDS = frozenset(
    _words(
        "示范 模范 典范 防范 规范 风范 师范 就范 垂范 "
        "关于 对于 由于 位于 属于 至于 终于 在于 等于 基于 鉴于 善于 勇于 敢于 便于 易于 难于 "
        "急于 乐于 用于 处于 限于 免于 过于 出于 源于 归于 忠于 少于 多于 大于 小于 高于 低于 "
        "其余 多余 业余 剩余 残余 富余 盈余 课余 工余 节余 结余 "
        "生姜 老姜 分钟 时钟 警钟 闹钟 秒钟 点钟 "
        "以后 之后 然后 最后 前后 今后 随后 背后 落后 先后 而后 此后 会后 午后 皇后 "
        "沉郁 浓郁 忧郁 抑郁 旅游 上游 下游 中游 出游 导游 政党 入党 建党 "
        "五岳 山岳 淳朴 简朴 俭朴 质朴 骨干 若干 主干 能干 树干 阳台 平台 舞台 柜台 讲台"
    )
)
"""Words that end in a listed surname: 示范 + 勇 is not the name 范勇, so OpenCC converts it."""

TITLES = _words(
    "书记 局长 主任 县长 区长 市长 镇长 村长 乡长 部长 处长 科长 所长 厅长 省长 院长 校长 "
    "经理 总经理 董事长 主席 委员 代表 队长 站长 社长 行长 会长 秘书长 副局长 副书记 副主任 "
    "副区长 副县长 副市长 副镇长 先生 女士 老师 同志 记者 教授 博士 医生 师傅 总"
)
"""Titles that follow a bare surname (范局长): the surname then refers to a protected name."""


def convert_issue(issue: Issue, edition: Edition) -> Issue:
    """The issue with every printed text in the edition's script and quotation style."""
    if edition.opencc_config is None and not edition.corner_quotes:
        return issue
    options = issue.config.conversion
    names = (*issue_names(issue), *options.protected)
    # the editor's terms name the other script's form: they apply when the script changes
    crossing = EDITIONS[issue.config.language].traditional != edition.traditional
    terms = options.terms if crossing else {}
    convert = functools.partial(convert_text, edition=edition, protected=names, terms=terms)
    articles = tuple(_convert_article(a, convert) for a in issue.articles)
    words = {key: _layout_word(word, convert, edition, issue) for key, word in issue.words.items()}
    config = _convert_config(issue.config, convert, edition)
    return replace(issue, config=config, articles=articles, words=words)


def _layout_word(word: str, convert: Callable[[str], str], edition: Edition, issue: Issue) -> str:
    """A layout word (written in Simplified) in the edition, whatever the articles' script."""
    if issue.config.language == "zh-Hans":
        return convert(word)
    regional = ConversionOptions(regional_phrases=issue.config.conversion.regional_phrases)
    return convert_text(word, edition_for(edition.tag, regional))


def _convert_article(article: Article, convert: Callable[[str], str]) -> Article:
    speakers = tuple(
        replace(s, name=convert(s.name), role=convert(s.role)) for s in article.speakers
    )
    return replace(
        article,
        title=convert(article.title),
        subtitle=convert(article.subtitle),
        speakers=speakers,
        reporters=tuple(convert(r) for r in article.reporters),
        body=convert(article.body),
    )


def _convert_config(
    config: IssueConfig, convert: Callable[[str], str], edition: Edition
) -> IssueConfig:
    return replace(
        config,
        title=convert(config.title),
        subtitle=convert(config.subtitle),
        publisher=convert(config.publisher),
        creator=convert(config.creator),
        language=edition.tag,
    )


def convert_text(
    text: str,
    edition: Edition,
    protected: Iterable[str] = (),
    terms: Mapping[str, str] | None = None,
) -> str:
    """One string in the edition's script; `protected` names keep their surname, `terms` win."""
    if edition.opencc_config is None and not edition.corner_quotes:
        return text
    term_items = tuple(sorted((terms or {}).items()))
    return _convert_cached(
        text, edition.opencc_config, edition.corner_quotes, tuple(protected), term_items
    )


@functools.lru_cache(maxsize=8192)
def _convert_cached(
    text: str,
    config: str | None,
    corner_quotes: bool,
    names: tuple[str, ...],
    terms: tuple[tuple[str, str], ...],
) -> str:
    """Each distinct text converts once per edition, however often a build asks for it."""
    if config is None:
        return corner_quote(text) if corner_quotes else text
    text = _convert_script(text, config, names, terms)
    # an edition converted into Simplified takes the mainland's “ ” for a Traditional 「 」
    return corner_quote(text) if corner_quotes else curly_quote(text)


def _convert_script(
    text: str, config: str, names: tuple[str, ...], terms: tuple[tuple[str, str], ...]
) -> str:
    """OpenCC over the whole text, with protected spans held out by private-use placeholders."""
    spans = _protected_spans(text, config, names, terms)
    if not spans:
        return opencc_converter(config)(text)
    marks = _placeholders(text, len(spans))
    pieces, start = [], 0
    for (begin, end, _), mark in zip(spans, marks, strict=True):
        pieces += [text[start:begin], mark]
        start = end
    converted = opencc_converter(config)("".join(pieces) + text[start:])
    for (_, _, kept), mark in zip(spans, marks, strict=True):
        converted = converted.replace(mark, kept, 1)
    return converted


def _protected_spans(
    text: str, config: str, names: tuple[str, ...], terms: tuple[tuple[str, str], ...]
) -> list[tuple[int, int, str]]:
    """(start, end, replacement) of every editor's term and protected name, left to right."""
    replacements = _replacements(config, names, terms)
    if not replacements:
        return []
    pattern = _alternation(tuple(replacements))
    editors = dict(terms)
    spans, position = [], 0
    while match := pattern.search(text, position):
        found = match.group()
        if found not in editors and _inside_word(text, match.start()):
            position = match.start() + 1  # 示范 is a word, not the name 范…
            continue
        spans.append((match.start(), match.end(), replacements[found]))
        position = match.end()
    return spans


@functools.lru_cache(maxsize=64)
def _replacements(
    config: str, names: tuple[str, ...], terms: tuple[tuple[str, str], ...]
) -> dict[str, str]:
    """Every protected form to look for → its text in the edition; editor's terms win."""
    found: dict[str, str] = {}
    for name in names:
        if name:
            found[name] = convert_name(name, config)
            found.update(_titled(name, config))
    found.update((key, value) for key, value in terms if key)  # an empty key would match anywhere
    return found


def _titled(name: str, config: str) -> dict[str, str]:
    """范局长 and the like, when the name's surname is one OpenCC would change."""
    surname = name[0]
    if not _from_simplified(config) or surname not in SURNAMES or len(name) < 2:
        return {}
    convert = opencc_converter(config)
    return {surname + title: SURNAMES[surname] + convert(title) for title in TITLES}


def convert_name(name: str, config: str) -> str:
    """A personal name in the edition: listed surnames keep their form, the rest goes to OpenCC."""
    convert = opencc_converter(config)
    surname = SURNAMES.get(name[:1]) if _from_simplified(config) else None
    if surname is None:
        return convert(name)  # a Traditional surname has one Simplified form: 鍾 → 钟, 範 → 范
    return surname + convert(name[1:])


def _from_simplified(config: str) -> bool:
    """Whether a config reads Simplified text, where one character may stand for several."""
    return config.startswith("s2")


def _inside_word(text: str, start: int) -> bool:
    """Whether the character before `start` forms a common word with the one at `start`."""
    return start > 0 and text[start - 1 : start + 1] in SURNAME_WORDS


@functools.lru_cache(maxsize=64)
def _alternation(keys: tuple[str, ...]) -> re.Pattern[str]:
    """A pattern that finds the longest key at the leftmost position."""
    ordered = sorted(keys, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, ordered)))


def _placeholders(text: str, count: int) -> list[str]:
    """`count` private-use characters absent from `text`; OpenCC passes them through unchanged."""
    marks: list[str] = []
    code = 0xF0001
    while len(marks) < count:
        if chr(code) not in text:
            marks.append(chr(code))
        code += 1
    return marks


@functools.cache
def opencc_converter(config: str) -> Callable[[str], str]:
    """The conversion function of an OpenCC config (or chain `a+b`), built once per process."""
    steps = config.split("+")
    unknown = [step for step in steps if step not in OPENCC_CONFIGS]
    if unknown:
        raise InputError(
            f"unknown OpenCC config {unknown[0]!r}; valid configs: {', '.join(OPENCC_CONFIGS)}. "
            "Fix conversion.configs in publish.yaml."
        )
    converters = [_one_config(step) for step in steps]
    if len(converters) == 1:
        return converters[0]
    return functools.partial(_chained, converters)


def _chained(converters: list[Callable[[str], str]], text: str) -> str:
    """The text through each config in turn (HK → TW: hk2t, then t2tw)."""
    for step in converters:
        text = step(text)
    return text


def _one_config(config: str) -> Callable[[str], str]:
    module = opencc_module()
    # The official bindings take the config file name, "s2t.json"; the reimplementation appends
    # ".json" itself and fails on "s2t.json".
    name = f"{config}.json" if is_official(module) else config
    try:
        return module.OpenCC(name).convert
    except Exception as error:  # the C++ core raises plain RuntimeErrors for missing data files
        raise EnvironmentProblem(
            f"OpenCC cannot load its {name} config ({error}); the installation is damaged. "
            "Fix: pip install --force-reinstall 'opencc>=1.1.9'."
        ) from None


@functools.cache
def opencc_module() -> ModuleType:
    """The imported `opencc` module; warns once when it is the less accurate reimplementation."""
    try:
        import opencc
    except ImportError as error:
        raise EnvironmentProblem(
            "Traditional editions need OpenCC, which is not installed "
            f"({error}). Fix: pip install 'opencc>=1.1.9' (or `make setup`)."
        ) from None
    if not is_official(opencc):
        log.warning(
            "the `opencc` module is opencc-python-reimplemented, which converts many phrases "
            "wrongly (e.g. 胚胎发育 → 胚胎髮育); for exact Traditional text run: "
            "pip uninstall opencc-python-reimplemented && pip install --force-reinstall opencc"
        )
    return opencc


def is_official(module: ModuleType) -> bool:
    """Whether `module` is the official OpenCC binding (C++ core), not the reimplementation."""
    # Only the reimplementation has set_conversion(); only the official package ships opencc_clib.
    return not hasattr(module.OpenCC, "set_conversion")
