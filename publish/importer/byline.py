"""Bylines in their common newspaper forms: reporters, editors and credits, role words apart."""

from __future__ import annotations

import re
from dataclasses import dataclass

from publish.importer.script import shadow

_SEPARATORS = re.compile(r"[\s、，,／/╱|｜：:．.·•□■◎]+")
_REPORTER_PREFIX = re.compile(r"^(.{0,8}?(?:记者|通讯员|实习生|特派员))")
_REPORTER_WORDS = frozenset(
    [
        "文",
        "撰文",
        "采写",
        "采访",
        "作者",
        "报导",
        "报道",
        "整理",
        "记录",
        "笔录",
        "文字",
        "主笔",
        "特约撰稿",
    ]
)
_EDITOR_WORDS = frozenset(
    ["编辑", "责编", "责任编辑", "编审", "审核", "校对", "美编", "统筹", "监制", "主编", "值班编辑"]
)
_CREDIT_WORDS = frozenset(
    ["摄", "摄影", "图", "图片", "供图", "制图", "视频", "设计", "插画", "图文"]
)
_SPEAKER_WORDS = frozenset({"口述", "受访", "受访者", "嘉宾"})
_CREDIT_NAME = re.compile(r"^(?:受访者(?:提供|供图)|资料图片?|网络图片|视觉中国|新华社发)$")
_POSTFIX_WORDS = frozenset({"整理", "摄", "供图", "采写", "报道", "报导", "口述", "笔录"})
_DATELINE_END = re.compile(r"[\u4e00-\u9fff]{2}(?:\d{1,2}月)?\d{1,2}日[电讯]$")
_PLACE_REPORT = re.compile(r"^[\u4e00-\u9fff]{2}(?:报导|报道|电)$")
_NAME = re.compile(r"^[\u4e00-\u9fff][\u4e00-\u9fff·]{1,3}$")
_PUBLICATION = re.compile(r"^(?:【[^】]{1,20}】|《[^》]{1,20}》|\S{1,16}?(?:消息|报讯|讯)(?!员))")
_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左"
    "柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶"
    "解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟"
    "邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
)
"""Common surnames (Simplified; a Traditional name is matched on its shadow)."""


@dataclass(frozen=True)
class Byline:
    """Who made an article, as one byline printed it."""

    reporters: tuple[str, ...] = ()
    """Writers and interviewers, role words removed (实习记者 李四 → 李四)."""
    editors: tuple[str, ...] = ()
    """编辑 / 责编 / 责任编辑 names."""
    credits: tuple[tuple[str, str], ...] = ()
    """(role, name) of photographers and other contributors, role as printed."""
    printed: str = ""
    """The byline text as printed, kept in the front matter so no character is lost."""
    speakers: tuple[str, ...] = ()
    """Names a byline gives as the speaking side (余济美 口述)."""

    def __add__(self, other: Byline) -> Byline:
        def merged(a: tuple, b: tuple) -> tuple:
            return a + tuple(x for x in b if x not in a)

        printed = " ".join(p for p in (self.printed, other.printed) if p)
        return Byline(
            merged(self.reporters, other.reporters),
            merged(self.editors, other.editors),
            merged(self.credits, other.credits),
            printed,
            merged(self.speakers, other.speakers),
        )


def is_name(word: str) -> bool:
    """Whether `word` can be a personal name: two to four Han characters, not a role word."""
    simple = shadow(word)
    return bool(_NAME.match(word)) and not _is_role(simple) and not _PLACE_REPORT.match(simple)


def likely_name(word: str) -> bool:
    """A name that starts with a common surname: enough to take a bare name for a byline."""
    return is_name(word) and len(word) <= 3 and shadow(word)[0] in _SURNAMES


def _is_role(word: str) -> bool:
    return (
        word in _REPORTER_WORDS
        or word in _EDITOR_WORDS
        or word in _CREDIT_WORDS
        or word in _SPEAKER_WORDS
        or bool(_REPORTER_PREFIX.fullmatch(word))
    )


def parse_byline(text: str, *, bare: bool = False) -> Byline | None:
    """The byline in `text` (a block, or a bracket's inside), or None if it is not one; a byline
    without role words counts only when `bare` is allowed and every name looks like one."""
    inner = _unbracket(text.strip())
    simple = shadow(inner)
    if re.search(r"[。！？!?“”「」]", simple) or len(inner) > 60:
        return None
    simple = _PUBLICATION.sub(lambda m: " " * len(m.group()), simple, count=1)
    simple = _DATELINE_END.sub(lambda m: " " * len(m.group()), simple)
    simple = re.sub(r"[()（）\[\]【】]", " ", simple)
    tokens = _tokens(inner, simple)
    byline = _assign(tokens)
    if byline is None:
        return None
    has_role = any(_is_role(shadow(t)) or _REPORTER_PREFIX.match(shadow(t)) for t in tokens)
    if not has_role and not (bare and all(likely_name(t) for t in tokens)):
        return None
    return Byline(byline.reporters, byline.editors, byline.credits, text.strip(), byline.speakers)


def _unbracket(text: str) -> str:
    """A byline's inside: outer brackets and a leading mark (□ ——) removed."""
    text = re.sub(r"^[□■◎●—─\-－]+\s*", "", text)
    match = re.fullmatch(r"[(（\[【]([^()（）]*)[)）\]】]", text)
    return match.group(1) if match else text


def _tokens(original: str, simple: str) -> list[str]:
    """Words of a byline between separators, in the original script; a role word glued to a
    name (记者张三) is split off; two single characters (王 倩) are one name."""
    words: list[str] = []
    for match in re.finditer(r"[^\s、，,／/╱|｜：:．.·•□■◎]+", simple):
        word, piece = original[match.start() : match.end()], match.group()
        if _PLACE_REPORT.match(piece):
            continue
        prefix = _REPORTER_PREFIX.match(piece)
        if prefix and len(piece) > len(prefix.group()):
            words += [word[: prefix.end()], word[prefix.end() :]]
        elif len(piece) > 1 and piece[-1] == "摄" and is_name(word[:-1]):
            words += [word[:-1], word[-1]]
        else:
            words.append(word)
    joined: list[str] = []
    for word in words:
        single = joined and len(word) == 1 and len(joined[-1]) == 1
        if single and not _is_role(shadow(word)) and not _is_role(shadow(joined[-1])):
            joined[-1] += word
        else:
            joined.append(word)
    return joined


def _assign(tokens: list[str]) -> Byline | None:
    """Names sorted by the role word before them (or after them: 张三 摄); None if a word is
    neither a role nor a name."""
    reporters: list[str] = []
    editors: list[str] = []
    credits: list[tuple[str, str]] = []
    speakers: list[str] = []
    roles: list[str] = []
    pending: list[str] = []  # names before any role word: a postfix role may follow
    named = False
    for token in tokens:
        simple = shadow(token)
        if _is_role(simple):
            if pending and simple in _POSTFIX_WORDS | _CREDIT_WORDS:
                _file(pending, [token], (reporters, editors, credits, speakers))
                pending = []
                continue
            roles = [token] if named or not roles else [*roles, token]
            named = False
        elif is_name(token):
            named = True
            if roles:
                _file([token], roles, (reporters, editors, credits, speakers))
            else:
                pending.append(token)
        elif _CREDIT_NAME.match(simple) and roles:
            credits.append((roles[-1], token))  # 图：张三、受访者提供
        else:
            return None
    reporters += pending
    if not (reporters or editors or credits or speakers):
        return None
    return Byline(
        tuple(dict.fromkeys(reporters)), tuple(editors), tuple(credits), speakers=tuple(speakers)
    )


def _file(
    names: list[str],
    roles: list[str],
    lists: tuple[list[str], list[str], list[tuple[str, str]], list[str]],
) -> None:
    """Put names where their roles say: writing roles make reporters, 编辑 editors, 摄 credits,
    口述 speakers."""
    reporters, editors, credits, speakers = lists
    for role in roles:
        simple = shadow(role)
        for name in names:
            if simple in _EDITOR_WORDS:
                editors.append(name)
            elif simple in _CREDIT_WORDS:
                credits.append((role, name))
            elif simple in _SPEAKER_WORDS:
                speakers.append(name)
            else:
                reporters.append(name)


_CREDIT_SEGMENT = re.compile(
    r"(?:^|[，,；;。）)])\s*(采访|作者|撰文|编辑|责任编辑|嘉宾|摄影|受访者)[：:]\s*([^，,；;。（(：:]+)"
)
_LATIN_NAME = re.compile(r"^[A-Z][A-Za-z.\-]{1,30}$")


def credit_segments(text: str) -> Byline | None:
    """Names of a credit list run into a sentence (采访：Lisa，编辑：阿黄，嘉宾：李厚辰（…）), the
    sentence left where it is."""
    simple = shadow(text)
    lists: tuple[list[str], list[str], list[tuple[str, str]], list[str]] = ([], [], [], [])
    for match in _CREDIT_SEGMENT.finditer(simple):
        names = [n.strip() for n in text[slice(*match.span(2))].split("、")]
        if not names or not all(is_name(n) or _LATIN_NAME.match(n) for n in names):
            continue
        _file(names, [text[slice(*match.span(1))]], lists)
    reporters, editors, credits, speakers = lists
    if not (reporters or editors or speakers):
        return None
    return Byline(tuple(reporters), tuple(editors), tuple(credits), "", tuple(speakers))


def reporter_mentions(text: str) -> tuple[str, ...]:
    """Names right after 记者 in a short line (《报导者》国防记者许诗恺 带大家…)."""
    simple = shadow(text)
    names = []
    for match in re.finditer(r"记者\s?([\u4e00-\u9fff]{2,3})(?=[\s、，,）)]|$)", simple):
        name = text[match.start(1) : match.end(1)]
        if is_name(name):
            names.append(name)
    return tuple(names)


def author_line(text: str) -> str | None:
    """The author of a line that is a name alone, after dashes or before a date
    (————王小明, 刘铮 (2000年12月)); None for any other line."""
    line = text.strip()
    dashed = re.match(r"^[—─\-－]{2,}\s*", line)
    core = line[dashed.end() :] if dashed else line
    dated = re.search(r"\s*[（(][^（）()]*\d{4}[^（）()]*[）)]$", core)
    core = (core[: dated.start()] if dated else core).strip()
    return core if (dashed or dated) and likely_name(core) else None
