"""Interviewees and their roles, from the headline, a ——访 subtitle, the lead and Q&A labels."""

from __future__ import annotations

import re
from dataclasses import dataclass

from publish.importer.byline import _SURNAMES, is_name, likely_name
from publish.importer.script import shadow

_BOUNDARY = re.compile(r"[，,。：:；;！!？?“”「」（）()\s|｜/／【】]")
_VERBS = re.compile(
    r"(?:专访|采访|访问|连线|对话|对谈|邀请|做客|嘉宾是|为|是|和|及|与|到|了|访|vs\.?|VS\.?)"
)
_ORG_END = frozenset("心部局台社院会委厅所校团司行馆报网站处室组队府署厂党")
_ROLE_END = frozenset("长员人师者席理家手任官生记编辑授士将督统卿事表导演星干委帅兵警医匠工农主")
_RANK_AFTER = ("少将", "中将", "上将", "博士", "教授", "院士", "医生", "律师", "议员")
_HONORIFICS = ("老师", "先生", "女士", "同学", "教授", "博士", "医生", "书记", "主任", "阿姨")
_PROFILE = re.compile(r"^(.{2,5}?)(?:小档案|档案|简介|简历|小传)$")
_TIME_END = re.compile(r"(?:\d{1,2}日|今天|昨天|日前|近日|选前|当天|今日|近期|上午|下午|晚间)+$")
_SUBTITLE_OBJECT = re.compile(r"^[—─\-－]*\s*(?:专访|访问|对话|访)了?\s*([^：:，,。！？｜|（(]+)")
_HEADLINE_OBJECT = re.compile(
    r"(?:专访|对话|对谈|访问|连线|——访|—访|^访)了?([^：:，,。！？｜|\s（(]+)"
)
_HEADLINE_SUBJECT = re.compile(
    r"([^：:，,。！？｜|\s）)]+?)(?:对谈|对话|访谈(?!录)|采访录|访谈录|受访|做客|专访(?=$|[\s：:｜|]))"
)
_LEAD_SUBJECT = re.compile(
    r"([^，。！？：；]{2,70}?)[，,]?(?:在[^，。]{0,12})?接受了?[^，。]{0,16}?(?:专访|采访|访问)"
)
_LEAD_OBJECT = re.compile(r"(?:专访|采访|连线|对话|访问)(?:了|到)*([^，。！？：；、]{2,30})")


@dataclass(frozen=True)
class Found:
    """A speaker found in the text, with where, so the report can say how sure it is."""

    name: str
    """Personal name as printed."""
    role: str
    """Role as printed before (or a rank after) the name; '' when none is printed."""
    where: str
    """headline, subtitle, lead or label."""


def split_on(text: str, pattern: str) -> list[str]:
    """re.split of `text` matched on its Simplified shadow (与 finds 與), pieces in the original
    script; a group in `pattern` keeps the separators, as re.split does."""
    simple = shadow(text)
    pieces, start = [], 0
    for match in re.finditer(pattern, simple):
        pieces.append(text[start : match.start()])
        if match.groups():
            pieces.append(text[match.start() : match.end()])
        start = match.end()
    return [*pieces, text[start:]]


def trailing_name(text: str, context: str) -> tuple[str, str]:
    """(role, name) of a text that ends with a name, no space between: the two- or
    three-character ending that stands alone more often in `context`, else the one whose split
    leaves a role ending in a title (局长, 人士) and a name starting with a surname."""
    text = text.strip()
    if " " in text:
        head, _, name = text.rpartition(" ")
        return head.strip(), name
    if len(text) <= 3:
        return "", text
    three, two = text[-3:], text[-2:]
    if context.count(two) > context.count(three):
        return text[:-2], two

    def score(size: int) -> int:
        simple = shadow(text)
        return (simple[-size - 1] in _ROLE_END) + (simple[-size] in _SURNAMES)

    size = 3 if score(3) > score(2) else 2
    return text[:-size], text[-size:]


def clean_role(text: str, names: tuple[str, ...] = ()) -> str:
    """The role in the words before a name: from the last boundary, verb or other name on; a
    clause ending in 的 dropped unless it names an organisation (中心的首席记者)."""
    simple = shadow(text)
    cut = 0
    for pattern in [_BOUNDARY, _VERBS, *(re.compile(re.escape(shadow(n))) for n in names)]:
        for match in pattern.finditer(simple):
            cut = max(cut, match.end())
    role = text[cut:].lstrip("、的")
    simple = shadow(role)
    if "的" in simple:
        before = simple[: simple.rindex("的")]
        if not before or before[-1] not in _ORG_END:
            role = role[simple.rindex("的") + 1 :]
    return role if valid_role(role) else ""


def valid_role(role: str) -> bool:
    """Whether words before a name read as a role (局长, 参选人, 首席记者), not a clause."""
    simple = shadow(role)
    return bool(simple) and len(simple) <= 40 and simple[-1] in _ROLE_END


def _rank_after(name: str, texts: list[str]) -> str:
    """A rank printed right after the name (孙立方少将, 陈晓薇博士), or ''."""
    for text in texts:
        simple = shadow(text)
        for rank in _RANK_AFTER:
            at = simple.find(shadow(name) + rank)
            if at >= 0:
                start = at + len(name)
                return text[start : start + len(rank)]
    return ""


def role_of(name: str, texts: list[str], names: tuple[str, ...]) -> str:
    """The first role printed before `name` in the headline, subtitle or lead."""
    others = tuple(n for n in names if n != name)
    for text in texts:
        for match in re.finditer(re.escape(name), text):
            role = clean_role(text[: match.start()], others)
            if role:
                return role
    return _rank_after(name, texts)


def _parties(text: str, context: str, labels: frozenset[str]) -> list[tuple[str, str]]:
    """(role, name) of each party of a list (张三、李四 / 甲和乙) that ends in a name; a part
    without a name belongs to the role of the next (区发展和改革局局长 闫立然)."""
    found = []
    pending = ""
    pieces = split_on(text, r"([、和及与]|vs\.?|VS\.?)")
    for index in range(0, len(pieces), 2):
        part = _TIME_END.sub("", pieces[index].strip())
        separator = pieces[index + 1] if index + 1 < len(pieces) else ""
        for rank in _RANK_AFTER:
            if shadow(part).endswith(rank) and len(part) > len(rank) + 1:
                part = part[: -len(rank)]
        role, name = trailing_name(part, context) if part else ("", "")
        if (
            role
            and is_name(role)
            and context.count(role) >= 2
            and shadow(role)[-1] not in _ROLE_END
            and (likely_name(name) or name in labels)
        ):
            found.append(("", role))  # two names side by side: 希拉里盖特纳
            role = ""
        if name and (name in labels or likely_name(name) or (valid_role(role) and is_name(name))):
            found.append((pending + role, name))
            pending = ""
        else:
            pending += part + separator
    return found


def headline_speakers(
    title: str, subtitle: str, context: str, labels: frozenset[str]
) -> list[Found]:
    """Speakers the headline or subtitle names: 专访张三, 对话甲、乙, 甲乙对谈, 张三：…"""
    found: list[Found] = []
    for where, text in (("headline", title), ("subtitle", subtitle)):
        simple = shadow(text)
        spans = [m.span(1) for m in _HEADLINE_OBJECT.finditer(simple)]
        if where == "subtitle" and (line := _SUBTITLE_OBJECT.match(simple)):
            spans = [line.span(1)]  # ——访 <role> <name>: the space parts role and name
        spans += [m.span(1) for m in _HEADLINE_SUBJECT.finditer(simple)]
        if colon := re.match(r"^(?:【[^】]*】)?([^：:，,。]{1,16})[：:]", simple):
            spans.append(colon.span(1))
        for start, end in sorted(spans):
            parties = [
                (role, name)
                for role, name in _parties(text[start:end], context, labels)
                if context.count(name) >= 2 or name in labels or valid_role(role)
            ]
            # a role alone (总统与…对谈) is confirmed by the name printed after it
            parties = parties or _named_roles(text[start:end], context)
            found += [Found(name, role, where) for role, name in parties]
    return found


def _named_roles(text: str, context: str) -> list[tuple[str, str]]:
    """Parties a headline names by role only (总统与小特派对谈), each with the name printed after
    that role elsewhere (总统蔡英文)."""
    found = []
    for part in split_on(text, r"[、和及与]"):
        if not valid_role(part) or len(part) > 8:
            continue
        for match in re.finditer(re.escape(part) + r"([\u4e00-\u9fff]{3})", context):
            three, two = match.group(1), match.group(1)[:2]
            name = three if context.count(three) == context.count(two) else two
            if likely_name(name):
                found.append((part, name))
                break
    return found


def lead_speakers(lead: list[str], context: str, labels: frozenset[str]) -> list[Found]:
    """Speakers the lead names: 张三接受…专访, 记者专访了…的张三, 连线了张三."""
    found: list[Found] = []
    for text in lead:
        simple = shadow(text)
        for match in _LEAD_SUBJECT.finditer(simple):
            found += [
                Found(n, r, "lead")
                for r, n in _parties(text[slice(*match.span(1))], context, labels)
            ]
        for match in _LEAD_OBJECT.finditer(simple):
            role, name = trailing_name(text[slice(*match.span(1))], context)
            if name in labels or likely_name(name) and context.count(name) >= 2:
                found.append(Found(name, role, "lead"))
    return found


def profile_speakers(subheads: list[str], context: str) -> list[Found]:
    """The person of a profile box's heading (彼得阿内特小档案, 张三简介)."""
    found = []
    for text in subheads:
        if (match := _PROFILE.match(shadow(text))) and context.count(text[: match.end(1)]) >= 2:
            found.append(Found(text[: match.end(1)], "", "profile box"))
    return found


def honorific(label: str) -> tuple[str, str]:
    """(name, title) of a label with a title after the name (罗荣良老师 → 罗荣良, 老师)."""
    simple = shadow(label)
    for title in _HONORIFICS:
        rest = label[: len(label) - len(title)]
        if simple.endswith(title) and likely_name(rest):
            return rest, label[len(rest) :]
    return label, ""


def with_roles(found: list[Found], texts: list[str]) -> list[Found]:
    """Each speaker once, in order found, with the first role printed for them; a ——访 line's
    role is taken whole (区发展和改革局局长), a sentence's from its last verb on."""
    names = tuple(dict.fromkeys(f.name for f in found))

    def role(f: Found) -> str:
        if f.where == "subtitle" and valid_role(f.role):
            return f.role
        return clean_role(f.role, names)

    merged: list[Found] = []
    for name in names:
        mine = [f for f in found if f.name == name]
        printed = next((r for f in mine if (r := role(f))), "")
        merged.append(Found(name, printed or role_of(name, texts, names), mine[0].where))
    return merged
