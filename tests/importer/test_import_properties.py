"""Property tests: whatever text is pasted, the importer imports it or says what is wrong."""

from __future__ import annotations

import shutil
import tempfile
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from publish.errors import InputError
from publish.importer.folder import escape_markdown, import_raw
from publish.importer.lines import decode_paste
from publish.importer.preflight import check_article, check_issue
from publish.importer.punctuation import halfwidth_marks, han_only, normalise
from publish.importer.rawtext import seed_shaped
from publish.model import Article, Issue, Source

PIECES = [
    "# ",
    "## ",
    "### ——访",
    "#",
    "——",
    "局长",
    " ",
    "\u3000",
    "\n",
    "\n\n",
    "\r\n",
    "\ufeff",
    "(",
    ")",
    "（",
    "）",
    "、",
    "，",
    ",",
    ":",
    "“",
    "”",
    '"',
    "'",
    "。",
    "张三",
    "为为",
    "---",
    "- ",
    "1. ",
    "*",
    "\\",
    "<",
    "&",
    "yes",
    "null",
    ": ",
]

BYLINE_LABELS = "记者本报通讯员实习生文图摄"
"""Words the importer drops from a byline; kept out of generated text so no Han may vanish."""

raw_text = st.lists(
    st.one_of(
        st.sampled_from(PIECES),
        st.text(
            st.characters(exclude_characters=BYLINE_LABELS, exclude_categories=["Cs"]), max_size=8
        ),
    ),
    max_size=40,
).map("".join)
"""Text built from the raw format's own pieces mixed with arbitrary characters."""

fragment = st.one_of(
    st.sampled_from(PIECES), st.text(st.sampled_from("张三李四局长书记的为，。：“”‘’、 ,:()"))
)
line = st.lists(fragment, min_size=1, max_size=6).map("".join).map(lambda t: t.replace("\n", ""))
article_text = st.tuples(
    line,
    st.one_of(st.just(""), line.map(lambda t: f"### ——访{t}")),
    st.lists(line, max_size=4).map("\n\n".join),
    st.one_of(st.just(""), line.map(lambda t: f"({t})")),
).map(lambda parts: f"# {parts[0]}\n\n" + "\n\n".join(p for p in parts[1:] if p))
"""One article in the raw format, each part filled with the characters the format cares about."""
issue_text = st.lists(article_text, min_size=1, max_size=3).map("\n\n".join)

PASTE_PIECES = [
    "记者 ",
    "本报记者",
    "实习记者",
    "新华社记者",
    "通讯员",
    "编辑：",
    "责任编辑",
    "摄",
    "供图",
    "图为",
    "文/图 ",
    "報導．攝影╱",
    "／台北報導",
    "——访",
    "——",
    "专访",
    "對話",
    "：",
    "问：",
    "答：",
    "主持人",
    "嘉宾",
    "2018年04月07日 19:59 来源：",
    "编者按：",
    "——编者",
    "（",
    "）",
    "【",
    "】",
    "“",
    "”",
    "「",
    "」",
    "。",
    "？",
    "，",
    "、",
    "张三",
    "李四",
    "王小明",
    "局长",
    "台北",
    "香港",
    "一、",
    "\n",
    "\n",
    "\n\n",
    "\n\n\n",
    "---",
    ":::",
    "# ",
    " ",
    "\u3000",
]
paste_text = st.lists(
    st.one_of(
        st.sampled_from(PASTE_PIECES),
        st.text(st.characters(exclude_categories=["Cs"]), max_size=6),
    ),
    max_size=50,
).map("".join)
"""Text shaped like a paste from a news site: bylines, labels, dates, captions, notes, no #."""

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def run_import(data: bytes) -> None:
    """Import `data` into a fresh folder: only InputError may come out; an imported issue keeps
    every Chinese character of the raw text, and the preflight runs on it."""
    folder = Path(tempfile.mkdtemp(prefix="import-prop-"))
    try:
        raw = folder / "raw.txt"
        raw.write_bytes(data)
        try:
            issue = import_raw(raw, folder / "issue")
        except InputError as error:
            assert str(error).startswith(f"{raw}:")  # the message points into the raw file
            assert not (folder / "issue").exists()
            return
        check_issue(issue)
        assert_text_kept(decode_paste(data, raw).text, issue)
    finally:
        shutil.rmtree(folder)


def assert_text_kept(text: str, issue: Issue) -> None:
    """No Han character lost or invented. The seed's marked shape: the articles' Han are the
    input's, in order. A paste: the bodies' Han come from the input in order, and every Han of
    the input is in an article file (a byline's role words and a date line kept as comments)."""
    if seed_shaped(text):
        imported = "".join(
            a.title + a.subtitle + a.body + "".join(a.reporters) for a in issue.articles
        )
        assert han_only(imported) == han_only(text)
        return
    bodies = han_only("".join(a.body for a in issue.articles))
    source = iter(han_only(text))
    assert all(char in source for char in bodies), "a body holds a character the paste has not"
    files = Counter(han_only("".join(a.source.path.read_text("utf-8") for a in issue.articles)))
    assert not Counter(han_only(text)) - files, "a character of the paste is in no article"


@FAST
@given(raw_text)
def test_structured_text_imports_or_stops_with_a_message(text: str):
    run_import(text.encode("utf-8"))


@settings(FAST, max_examples=60)  # each example writes, reads and checks a whole issue
@given(issue_text)
def test_article_shaped_text_imports_or_stops_with_a_message(text: str):
    run_import(text.encode("utf-8"))


@settings(FAST, max_examples=100)
@given(paste_text)
def test_pasted_news_text_imports_or_stops_with_a_message(text: str):
    run_import(text.replace("# ", "").encode("utf-8"))


@FAST
@given(st.sampled_from(["utf-8", "utf-16", "gb18030", "big5"]), paste_text)
def test_encoded_pastes_keep_their_text(encoding: str, text: str):
    try:
        data = text.replace("# ", "").encode(encoding)
    except UnicodeEncodeError:
        return
    run_import(data)


@FAST
@given(st.binary(max_size=200))
def test_arbitrary_bytes_import_or_stop_with_a_message(data: bytes):
    run_import(data)


@FAST
@given(st.text(alphabet=st.characters(exclude_categories=["Cs", "Cc"]), max_size=60))
def test_escaped_paragraph_renders_as_its_own_text(text: str):
    paragraph = " ".join(normalise(text).split())
    tokens = MarkdownIt("commonmark").parse(escape_markdown(paragraph))
    if not paragraph:
        return
    assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"]
    rendered = "".join(child.content for child in tokens[1].children or [])
    assert rendered == paragraph


chinese_text = st.text(
    st.one_of(st.sampled_from("中文的为，。“”‘’（）,;:!?()\"' 　12aB．"), st.characters()),
    max_size=60,
).filter(lambda t: not any(0xD800 <= ord(c) <= 0xDFFF for c in t))


@FAST
@given(chinese_text)
def test_normalise_keeps_the_text_and_leaves_no_half_width_mark(text: str):
    result = normalise(text)
    assert han_only(result) == han_only(text)
    assert halfwidth_marks(result) == []
    assert '"' not in result
    assert normalise(result) == result


@FAST
@given(st.lists(chinese_text, max_size=8).map("\n\n".join))
def test_preflight_findings_point_into_the_body(body: str):
    path = Path("articles/01-x.md")
    article = Article("01-x", "标题", "", (), (), body, Source(path, 1), body_line=7)
    for finding in check_article(article):
        assert finding.source.path == path
        assert finding.source.line == 1 or 7 <= finding.source.line <= 7 + body.count("\n")
