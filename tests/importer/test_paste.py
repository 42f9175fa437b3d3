"""The inference on pastes made for each rule: bylines, speakers, structure, splitting,
encodings and scripts, the report, and the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from publish.cli import main
from publish.importer.byline import parse_byline
from publish.importer.folder import import_file
from publish.importer.lines import blocks, decode_paste
from publish.importer.paste import infer_article
from publish.importer.script import detect_language
from publish.importer.split import split_articles
from publish.model import Issue


def infer(text: str) -> list:
    return [infer_article(g, Path("raw.txt")) for g in split_articles(blocks(text))]


def front(issue: Issue, index: int = 0) -> tuple[dict, str]:
    """The front matter (values) and the raw text of an imported article file."""
    text = issue.articles[index].source.path.read_text("utf-8")
    return yaml.safe_load(text.split("---\n")[1]), text


@pytest.mark.parametrize(
    ("line", "reporters", "editors", "credits"),
    [
        ("【某某网】（记者 张三 实习记者 李四）", ("张三", "李四"), (), ()),
        ("本报记者 王小明", ("王小明",), (), ()),
        ("□ 新华社记者 刘铮 王清 李晶", ("刘铮", "王清", "李晶"), (), ()),
        ("（记者 郭兆科 通讯员 李帅）", ("郭兆科", "李帅"), (), ()),
        ("文/图 张放", ("张放",), (), (("图", "张放"),)),
        ("采访 | 王清  作者 | 李晶  编辑 | 郝皓", ("王清", "李晶"), ("郝皓",), ()),
        ("報導．攝影╱王小明", ("王小明",), (), (("攝影", "王小明"),)),
        ("記者王小明／台北報導", ("王小明",), (), ()),
        ("责任编辑：郝皓 责编 路小庆", (), ("郝皓", "路小庆"), ()),
        ("王清 摄", (), (), (("摄", "王清"),)),
        ("（中央社記者葉素萍台北3日電）", ("葉素萍",), (), ()),
        ("□ 文/王 倩", ("王倩",), (), ()),
    ],
)
def test_byline_forms(line: str, reporters: tuple, editors: tuple, credits: tuple):
    byline = parse_byline(line)
    assert (byline.reporters, byline.editors, byline.credits) == (reporters, editors, credits)


@pytest.mark.parametrize("line", ["本网记者采访任永蔚", "（德國之聲）", "张三说：我们要努力。"])
def test_lines_that_are_no_byline(line: str):
    assert parse_byline(line) is None


def test_bylines_at_the_end_editors_and_an_author_line(tmp_path: Path):
    raw = tmp_path / "raw.txt"
    raw.write_text(
        "让老街重新热闹起来\n2020年02月20日 08:00 来源：某某网\n"
        "区商务局局长张三接受本报记者专访时说，老街改造今年完成。\n"
        "张三：今年我们要把老街的店铺都开起来。\n记者：难在哪里？\n张三：难在人气。\n"
        "————王小明\n责任编辑：郝皓\n",
        "utf-8",
    )
    imported = import_file(raw, tmp_path / "issue")
    values, text = front(imported.issue)
    assert values["speakers"] == [{"name": "张三", "role": "区商务局局长"}]
    assert values["reporters"] == ["王小明"]
    assert "# editors: 郝皓" in text
    assert "# date or source line: 2020年02月20日 08:00 来源：某某网" in text
    assert "王小明" not in imported.issue.articles[0].body  # a byline is no paragraph
    assert "editors: 郝皓" in imported.report


def test_qa_labels_on_their_own_line_become_turns():
    (article,) = infer(
        "夜谈\n来源：某某网\n今晚我们连线了正在现场的记者李宁，请他介绍情况，以下是对话实录。\n"
        "主持人沙晨\n现场情况怎么样？\n李宁\n现场秩序井然。\n"
    )
    turns = [p.text for p in article.pieces if p.kind == "turn"]
    assert turns == ["主持人沙晨：现场情况怎么样？", "李宁：现场秩序井然。"]
    assert [(s.name, s.role) for s in article.speakers] == [("李宁", "记者")]


def test_several_speakers_from_a_dialogue_headline():
    (article,) = infer(
        "对话张三、李四：老街的明天\n某某网记者日前与两位店主对谈。\n"
        "问：为什么留下？\n张三：因为老街有人情味。\n李四：我也这么觉得。\n"
    )
    assert [s.name for s in article.speakers] == ["张三", "李四"]


def test_kicker_headline_and_subheadline():
    (article,) = infer(
        "新区建设攻坚年\n打赢新区建设攻坚战\n——访区发展和改革局局长 闫立然\n"
        "“区发改局将以更大的力度推进项目建设。”闫立然说，今年的重点是招商引资和项目落地。\n"
    )
    assert (article.kicker, article.title) == ("新区建设攻坚年", "打赢新区建设攻坚战")
    assert article.subtitle == "——访区发展和改革局局长 闫立然"
    assert [(s.name, s.role) for s in article.speakers] == [("闫立然", "区发展和改革局局长")]


def test_subheads_captions_and_containers(tmp_path: Path):
    raw = tmp_path / "raw.txt"
    raw.write_text(
        "老街新生\n编者按：老街改造是今年的民生实事，本报推出系列报道。\n"
        "图为张三在老街店铺前。本报记者 王小明 摄\n"
        "区商务局局长张三接受本报记者专访，介绍了老街改造的进展与下一步打算。\n"
        "店铺都开起来了\n“老街要有人气”，张三说，老街要有人气才能活下去，这是改造的目的。\n"
        "“老街要有人气”\n",
        "utf-8",
    )
    imported = import_file(raw, tmp_path / "issue")
    body = imported.issue.articles[0].body
    assert "::: editor-note\n编者按：老街改造" in body
    assert "\n\n图为张三在老街店铺前。本报记者 王小明 摄\n\n" in body  # no photo: a paragraph
    assert "caption without its photo" in imported.report
    assert "\n\n## 店铺都开起来了\n\n" in body
    assert "::: pullquote\n“老街要有人气”\n:::" in body


def test_hard_wrapped_text_is_joined_without_spaces():
    paragraphs = [
        "刘铮：陈博士，你的经历非常与众不同，你能否谈谈你怎样在美国十年取得博士学位之后，"
        "决定回北京去做记者的？这是很多读者想知道的问题，也是我想问的问题之一。",
        "陈晓薇：我觉得我这个人做科学可能不是太合适，耐心不够好。你也知道，做生物实验需要"
        "无穷的耐心，没完没了的重复快把我急疯了。另外一方面，我从小就对新闻感兴趣。",
    ]
    wrapped = "\n\n".join(
        "\n".join(p[i : i + 30] for i in range(0, len(p), 30)) for p in paragraphs
    )
    (article,) = infer(f"硬换行的采访录\n\n{wrapped}\n")
    assert [p.text for p in article.pieces] == paragraphs


def test_one_paragraph_per_line_stays_apart():
    (article,) = infer("标题\n第一段说完了。\n第二段也说完了。\n第三段。\n")
    assert [p.text for p in article.pieces] == ["第一段说完了。", "第二段也说完了。", "第三段。"]


def test_several_articles_in_one_paste_are_split_at_their_headlines():
    paste = (
        "第一篇的标题\n2020年02月20日 来源：某某网\n第一篇的正文很长很长，说了很多事情。\n"
        "\n\n\n第二篇的标题\n2020年02月21日 来源：某某网\n第二篇的正文也很长很长，说了很多事情。\n"
        "\n-----\n第三篇\n正文。\n"
    )
    assert [a.title for a in infer(paste)] == ["第一篇的标题", "第二篇的标题", "第三篇"]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("这是简体中文的新闻，记者在北京报道。", "zh-Hans"),
        ("這是繁體中文的新聞，記者在台北報導，立法院今天開會。", "zh-Hant-TW"),
        ("這是繁體中文的新聞，記者喺香港報道，明報今日出版。", "zh-Hant-HK"),
        ("這是繁體中文的新聞，記者在吉隆坡報導。", "zh-Hant"),
    ],
)
def test_script_and_region_are_detected(text: str, language: str):
    assert detect_language(text) == language


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        ("gb18030", "新区建设\n本报记者 张三\n区长李四接受专访说，今年的项目都已开工。\n"),
        ("big5", "總統專訪\n記者王小明／台北報導\n總統今天接受專訪時說，台灣經濟穩定成長。\n"),
        ("utf-16", "新区建设\n本报记者 张三\n区长李四接受专访说，今年的项目都已开工。\n"),
    ],
)
def test_other_encodings_are_decoded_and_reported(tmp_path: Path, encoding: str, text: str):
    raw = tmp_path / "raw.txt"
    raw.write_bytes(text.encode(encoding))
    assert decode_paste(raw.read_bytes(), raw).text == text
    imported = import_file(raw, tmp_path / "issue")
    assert imported.issue.articles[0].title == text.split("\n")[0]
    assert f"read as {encoding}" in imported.report
    if encoding != "utf-16":
        assert "(decoded to UTF-8)" in imported.report


def test_a_traditional_paste_declares_its_script(tmp_path: Path):
    raw = tmp_path / "raw.txt"
    raw.write_text("總統專訪\n記者王小明／台北報導\n總統今天接受專訪時說，台灣經濟穩定成長。\n")
    import_file(raw, tmp_path / "issue")
    config = yaml.safe_load((tmp_path / "issue" / "publish.yaml").read_text("utf-8"))
    assert (config["language"], config["editions"]) == ("zh-Hant-TW", ["zh-Hant-TW", "zh-Hans"])
    assert main(["check", str(tmp_path / "issue")]) in (0, 1)  # the reader takes zh-Hant-TW


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b"\x00\x01\x02binary\x00", "not a text file"),
    ],
)
def test_bad_text_files_stop_with_the_fix(tmp_path: Path, data: bytes, message: str, capsys):
    raw = tmp_path / "raw.txt"
    raw.write_bytes(data)
    assert main(["import", str(raw), "--out", str(tmp_path / "issue")]) == 2
    err = capsys.readouterr().err
    assert message in err and str(raw) in err and "Fix:" in err and "Traceback" not in err
    assert not (tmp_path / "issue").exists()


def test_import_then_check_on_the_command_line(tmp_path: Path, capsys):
    raw = tmp_path / "raw.txt"
    raw.write_text(
        "让老街重新热闹起来\n——访区商务局局长 张三\n"
        "张三：今年我们要把老街的店铺都开起来。\n记者：难在哪里？\n张三：难在人气。\n"
        "（记者 王小明）\n",
        "utf-8",
    )
    out = tmp_path / "老街"
    assert main(["import", str(raw), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "speakers: 张三 (区商务局局长)" in printed and "reporters: 王小明" in printed
    assert (out / "import-report.txt").is_file()
    assert main(["check", str(out)]) in (0, 1)  # findings are the editor's, not an error
    assert "check: 1 articles" in capsys.readouterr().out
