"""The importer on the real seed and on the ways pasted text differs from it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from markdown_it import MarkdownIt

from publish.errors import EnvironmentProblem, InputError
from publish.importer.folder import escape_markdown, import_file, import_raw, working_title
from publish.importer.punctuation import ends_sentence, han_only, normalise
from publish.model import Issue
from publish.source.reader import read_issue
from tests.conftest import DEFAULT_ISSUE, FIXTURES

RAW = FIXTURES / "raw"
SEED = RAW / "jiyang-2020.txt"
COMMITTED = DEFAULT_ISSUE
SEED_OPTIONS = {
    "title": "济阳三千会专访",
    "subtitle": "全区三级干部大会暨集中攻坚年动员大会系列访谈",
    "date": "2020-02-20",
    "slug": "jiyang-2020",
}

SPEAKERS = [
    ("闫立然", "区发展和改革局局长"),
    ("张本才", "新市镇党委书记"),
    ("许金祯", "垛石镇柳家村党支部书记"),
    ("张瑞刚", "曲堤镇党委书记"),
    ("刘娟", "区行政审批服务局副局长"),
    ("范勇", "济北开发区管委会经济发展局局长"),
    ("张清利", "区住房和城乡建设局局长"),
    ("杨德超", "区卫生健康局局长"),
    ("石兴震", "区投资促进局副局长"),
    ("刘毅", "济北街道营家社区党委书记"),
]
REPORTERS = [
    ("范倩楠", "路小庆"),
    ("刘婧", "郝皓"),
    ("李树新",),
    ("王清",),
    ("刘琳琪",),
    ("李晶", "张放"),
    ("李晶", "李汝川"),
    ("刘琳琪", "郭兆科"),
    ("李晶", "李帅"),
    ("李晶", "李帅"),
]
HAN_NEXT_TO_HALFWIDTH = re.compile(r"[\u4e00-\u9fff][,;:!?()]|[,;:!?()][\u4e00-\u9fff]")


def source_bodies(text: str) -> list[str]:
    """The seed's article bodies, found independently of the importer: what lies between the
    speaker line and the bracketed byline."""
    bodies = []
    for chunk in re.split(r"^# ", text, flags=re.MULTILINE)[1:]:
        lines = [line for line in chunk.split("\n")[1:] if not line.startswith("###")]
        body = "\n".join(lines).strip()
        bodies.append(re.sub(r"\n\([^()]*\)$", "", body))
    return bodies


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Issue:
    out = tmp_path_factory.mktemp("seed") / "jiyang-2020"
    return import_raw(SEED, out, **SEED_OPTIONS)


def test_seed_gives_ten_articles_with_speakers_and_reporters(seed: Issue):
    assert [a.slug for a in seed.articles][:2] == ["01-yan-li-ran", "02-zhang-ben-cai"]
    assert [(s.name, s.role) for a in seed.articles for s in a.speakers] == SPEAKERS
    assert [a.reporters for a in seed.articles] == REPORTERS
    assert seed.articles[9].subtitle == "——济北街道营家社区党委书记 刘毅"


def test_seed_config(seed: Issue):
    config = seed.config
    assert (config.title, config.slug, str(config.date)) == (
        "济阳三千会专访",
        "jiyang-2020",
        "2020-02-20",
    )
    assert config.editions == ("zh-Hans", "zh-Hant-TW")
    assert config.publisher == ""


def test_no_chinese_character_lost_or_added(seed: Issue):
    bodies = source_bodies(SEED.read_text("utf-8"))
    assert len(bodies) == 10
    for article, body in zip(seed.articles, bodies, strict=True):
        assert han_only(article.body) == han_only(body), article.slug
    assert han_only(seed.articles[4].title) == han_only("着力打造在济阳济时办政务服务品牌")


def test_broken_paragraphs_are_joined(seed: Issue):
    paragraphs = [p for a in seed.articles for p in a.body.split("\n\n")]
    assert all(ends_sentence(p) for p in paragraphs)
    first = seed.articles[0].body.split("\n\n")
    assert len(first) == 2  # the raw text cuts the second paragraph in three
    assert "结合‘十四五’规划编制工作" in first[1]
    # 45 body blocks in the raw text, 19 of them cut mid-sentence (tracker issue 3)
    assert sum(len(a.body.split("\n\n")) for a in seed.articles) == 45 - 19


def test_punctuation_is_full_width_next_to_chinese(seed: Issue):
    text = "\n".join(a.title + a.body for a in seed.articles)
    assert not HAN_NEXT_TO_HALFWIDTH.search(text)
    assert '"' not in text and "'" not in text
    for kept in ("13.5万元", "1+2+1", "336.58亿元", "90%", "‘8S’", "（单位）"):
        assert kept in text
    assert "闫立然表示：“2020年" in seed.articles[0].body


def test_small_form_marks_become_full_width():
    # Big5-era Hong Kong text: ﹕ after a speaker label prints small and low in a line of body
    assert normalise("倪匡（下稱「倪」）﹕我認識查生﹐他們﹖好﹗﹙笑﹚") == (
        "倪匡（下稱「倪」）：我認識查生，他們？好！（笑）"
    )


def test_published_defects_are_kept(seed: Issue):
    assert "被评为为" in seed.articles[2].body
    assert seed.articles[8].body.count("确保了在疫情防控期间招商推介") == 2
    assert seed.articles[4].body.count("“") == seed.articles[4].body.count("”") + 1


def test_committed_seed_is_what_the_importer_makes(seed: Issue):
    for article in seed.articles:
        committed = COMMITTED / "articles" / f"{article.slug}.md"
        assert committed.read_text("utf-8") == article.source.path.read_text("utf-8")
    assert read_issue(COMMITTED).config.title == seed.config.title


def messy_copy(text: str) -> bytes:
    """The seed as another paste might deliver it: BOM, CRLF, full-width byline brackets,
    ideographic and repeated spaces, extra blank lines, indented paragraphs."""
    text = re.sub(r"^\((.*)\)$", r"（\1）", text, flags=re.MULTILINE)
    text = text.replace("局长 闫立然", "局长\u3000闫立然").replace("书记 张本才", "书记   张本才")
    text = text.replace("\n\n", "\n\n\n").replace("\n“", "\n\u3000\u3000“")
    return b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8")


def test_messy_copy_gives_the_same_issue(seed: Issue, tmp_path: Path):
    raw = tmp_path / "messy.txt"
    raw.write_bytes(messy_copy(SEED.read_text("utf-8")))
    messy = import_raw(raw, tmp_path / "out", **SEED_OPTIONS)
    for ours, theirs in zip(seed.articles, messy.articles, strict=True):
        assert ours.source.path.read_bytes() == theirs.source.path.read_bytes()


def import_text(tmp_path: Path, text: str, **options: Any) -> Issue:
    raw = tmp_path / "raw.txt"
    raw.write_text(text, "utf-8")
    return import_raw(raw, tmp_path / "issue", **options)


def test_hand_made_messy_raw_file(tmp_path: Path):
    issue = import_raw(RAW / "two-speakers.txt", tmp_path / "issue")  # BOM, CRLF, U+3000, （）
    first, second = issue.articles
    assert [(s.name, s.role) for s in first.speakers] == [("张三", "A局局长"), ("李四", "副局长")]
    assert first.reporters == ("王五", "赵六")
    assert first.body == (
        "“我们将继续努力，推动发展再上新台阶。”张三说。\n\n李四表示：“要抓好（重点）项目！”\n"
    )
    assert (second.slug, second.speakers[0].role, second.reporters) == (
        "02-liu-yi",
        "街道党委书记",
        ("钱七",),
    )


def test_several_speakers_in_one_line(tmp_path: Path):
    issue = import_text(
        tmp_path, "# 标题\n\n### ——访A局局长 张三、副局长 李四\n\n正文。\n\n(王五)\n"
    )
    speakers = [(s.name, s.role) for s in issue.articles[0].speakers]
    assert speakers == [("张三", "A局局长"), ("李四", "副局长")]
    assert issue.articles[0].slug == "01-zhang-san"


def test_one_speaker_with_two_titles_and_a_spaced_name(tmp_path: Path):
    issue = import_text(
        tmp_path, "# 标题\n### ——访区委常委、副区长　刘　毅\n正文。\n（记者 王五）\n"
    )
    article = issue.articles[0]
    assert [(s.name, s.role) for s in article.speakers] == [("刘毅", "区委常委、副区长")]
    assert article.reporters == ("王五",)


def test_speaker_without_space_is_found_in_the_body(tmp_path: Path):
    text = "# 标题\n### ——访济北街道党委书记刘毅\n“好。”书记刘毅说。\n\n刘毅表示：“好。”\n"
    issue = import_text(tmp_path, text)
    assert [(s.name, s.role) for s in issue.articles[0].speakers] == [("刘毅", "济北街道党委书记")]
    assert issue.articles[0].reporters == ()


def test_markdown_specials_come_out_literally(tmp_path: Path):
    text = (
        "# 标题: yes\n\n#话题# 1. 第一 *强调* <b>粗</b> \\ 2>1 _x_ [链接](http://a)\n\n- 列表？\n"
    )
    issue = import_text(tmp_path, text)
    article = issue.articles[0]
    assert article.title == "标题：yes"
    rendered = MarkdownIt("commonmark").render(article.body)
    assert (
        "<p>#话题# 1. 第一 *强调* &lt;b&gt;粗&lt;/b&gt; \\ 2&gt;1 _x_ [链接](http://a)" in rendered
    )
    assert "<p>- 列表？</p>" in rendered


def test_titles_that_yaml_would_misread_round_trip(tmp_path: Path):
    for title in ("yes", "2020-02-20", "'引号' 与 \"双引号\"", "- 破折", "null", "a: b #c"):
        shutil.rmtree(tmp_path / "issue", ignore_errors=True)
        issue = import_text(tmp_path, f"# {title}\n正文。\n")
        assert issue.articles[0].title == normalise(title)


def test_straight_quotes_become_curly(tmp_path: Path):
    issue = import_text(tmp_path, "# 标题\n他说:\"我们要'两手抓'.\"他的don't不变.\n")
    assert issue.articles[0].body == "他说：“我们要‘两手抓’.”他的don’t不变.\n"


def test_unmarked_paste_takes_its_first_line_as_headline(tmp_path: Path):
    issue = import_text(tmp_path, "只有一行的标题\n只有正文，没有标记。\n")
    assert [(a.title, a.body) for a in issue.articles] == [
        ("只有一行的标题", "只有正文，没有标记。\n")
    ]


@pytest.mark.parametrize("text", ["", "  \n\u3000\n", "\ufeff\n"])
def test_empty_paste_is_refused(tmp_path: Path, text: str):
    with pytest.raises(InputError, match=r"raw\.txt: .*empty|raw\.txt: no text to import"):
        import_text(tmp_path, text)
    assert not (tmp_path / "issue").exists()


def test_text_before_the_first_headline_is_refused(tmp_path: Path):
    with pytest.raises(InputError, match=r"raw\.txt:2: text before the first headline"):
        import_text(tmp_path, "\n前言\n# 标题\n正文。\n")


def test_gb18030_marked_input_is_decoded_and_reported(tmp_path: Path):
    raw = tmp_path / "gbk.txt"
    raw.write_bytes("# 标题\n\n正文。\n".encode("gb18030"))
    imported = import_file(raw, tmp_path / "out")
    assert [(a.title, a.body) for a in imported.issue.articles] == [("标题", "正文。\n")]
    assert "read as gb18030 (decoded to UTF-8)" in imported.report


def test_existing_folder_needs_force_and_survives_a_failed_import(tmp_path: Path):
    first = import_text(tmp_path, "# 第一\n正文。\n")
    with pytest.raises(InputError, match=r"issue: exists already\. Fix: .*--force"):
        import_text(tmp_path, "# 第二\n正文。\n")
    with pytest.raises(InputError):
        import_text(tmp_path, "# \n正文。\n", force=True)  # an empty marked headline
    assert read_issue(first.root).articles[0].title == "第一"
    second = import_text(tmp_path, "# 第二\n正文。\n", force=True)
    assert [a.title for a in second.articles] == ["第二"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["issue", "raw.txt"]


def test_write_failure_keeps_the_old_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import_text(tmp_path, "# 第一\n正文。\n")
    calls = []

    def failing_write(self: Path, *args: object, **kwargs: object) -> int:
        calls.append(self)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "write_text", failing_write)
    raw = tmp_path / "raw.txt"
    with pytest.raises(
        EnvironmentProblem, match=r"\(No space left on device\); nothing was replaced"
    ):
        import_raw(raw, tmp_path / "issue", force=True)
    monkeypatch.undo()
    assert calls and read_issue(tmp_path / "issue").articles[0].title == "第一"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["issue", "raw.txt"]


def test_force_never_replaces_a_folder_that_is_not_an_issue(tmp_path: Path):
    (tmp_path / "issue").mkdir()
    (tmp_path / "issue" / "notes.txt").write_text("keep me", "utf-8")
    with pytest.raises(InputError, match="not an issue folder"):
        import_text(tmp_path, "# 标题\n正文。\n", force=True)
    assert (tmp_path / "issue" / "notes.txt").read_text("utf-8") == "keep me"


def test_bad_date_is_an_input_error(tmp_path: Path):
    with pytest.raises(InputError, match="--date '20.2.2020': not a date"):
        import_text(tmp_path, "# 标题\n正文。\n", date="20.2.2020")


def test_bad_slug_is_an_input_error_and_writes_nothing(tmp_path: Path):
    with pytest.raises(InputError, match="import options: slug: 'Bad Slug' is not a slug"):
        import_text(tmp_path, "# 标题\n正文。\n", slug="Bad Slug")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["raw.txt"]


def test_plain_subtitle_has_no_speaker(tmp_path: Path):
    issue = import_text(tmp_path, "# 标题\n## 副题 二\n正文。\n")
    assert (issue.articles[0].subtitle, issue.articles[0].speakers) == ("副题 二", ())


def test_front_matter_matches_the_contract():
    text = (COMMITTED / "articles" / "01-yan-li-ran.md").read_text("utf-8")
    assert text.startswith(
        "---\ntitle: 打赢新区建设攻坚战 当好发展改革排头兵\n"
        "subtitle: ——访区发展和改革局局长 闫立然\n"
        "speakers:\n  - {name: 闫立然, role: 区发展和改革局局长}\n"
        "reporters: [范倩楠, 路小庆]\n---\n“区发改局将以全区三千会为契机，"
    )
    config = yaml.safe_load((COMMITTED / "publish.yaml").read_text("utf-8"))
    # keys after these are the editor's own additions (conversion terms) made after the import
    assert list(config)[:9] == [
        "title",
        "subtitle",
        "date",
        "slug",
        "language",
        "editions",
        "formats",
        "layout",
        "toc",
    ]
    assert config["toc"] == {"by": "speaker", "order": "appearance"}


@pytest.mark.parametrize(
    ("paragraph", "escaped"),
    [
        ("# 标题", "\\# 标题"),
        ("1. 第一", "1\\. 第一"),
        ("> 引用", "\\> 引用"),
        ("a*b*", "a\\*b\\*"),
    ],
)
def test_escape_markdown(paragraph: str, escaped: str):
    assert escape_markdown(paragraph) == escaped


@pytest.mark.parametrize(
    ("speakers", "language", "title"),
    [
        (["张善政"], "zh-Hans", "张善政专访"),
        (["張善政", "張善政"], "zh-Hant-TW", "張善政專訪"),
        (["倪匡", "葉頌文"], "zh-Hant-HK", "倪匡、葉頌文專訪"),
        (["甲", "乙", "丙", "丁"], "zh-Hans", "访谈录"),
        ([], "zh-Hans", ""),
    ],
)
def test_working_title_names_whom_the_issue_interviews(
    speakers: list[str], language: str, title: str
):
    assert working_title(speakers, language) == title


def test_an_issue_imported_without_a_title_is_named_after_its_speaker(tmp_path: Path):
    # before, the folder name (05-storm-zhangshanzheng) was printed as the cover's masthead
    raw = RAW / "real" / "05-storm-zhangshanzheng.txt"
    imported = import_file(raw, tmp_path / "storm")
    assert imported.issue.config.title == "張善政專訪"
    assert "? issue title: 張善政專訪 (from the speakers" in imported.report
    header = (tmp_path / "storm" / "publish.yaml").read_text("utf-8").splitlines()[0]
    assert "working one names the speakers" in header


def test_a_given_title_is_kept_and_not_questioned(tmp_path: Path):
    raw = RAW / "real" / "05-storm-zhangshanzheng.txt"
    imported = import_file(raw, tmp_path / "storm", title="選戰特刊")
    assert imported.issue.config.title == "選戰特刊"
    assert "issue title" not in imported.report


def test_without_title_or_speaker_the_file_name_stands_in(tmp_path: Path):
    raw = tmp_path / "采访稿.txt"
    raw.write_text("第一\n\n今天天气很好，我们去了公园。\n", "utf-8")
    imported = import_file(raw, tmp_path / "issue")
    assert imported.issue.config.title == "采访稿"
    assert "(from the file name" in imported.report
