"""The copy desk on the committed seed and on small articles made to show one problem each."""

from __future__ import annotations

from pathlib import Path

import pytest

from publish.cli import main
from publish.importer.preflight import check_article, check_issue
from publish.model import Article, Finding, Source, Speaker
from publish.source.reader import read_issue
from tests.conftest import DEFAULT_ISSUE

COMMITTED = DEFAULT_ISSUE
PATH = Path("articles/01-x.md")
SPEAKER = Speaker("张三", "局长", Source(PATH, 4))


def article(body: str, *, speakers=(SPEAKER,), reporters=("王五",)) -> Article:
    """An article file whose body starts on line 7, as the importer writes them."""
    return Article(
        slug="01-x",
        title="标题",
        subtitle="",
        speakers=speakers,
        reporters=reporters,
        body=body,
        source=Source(PATH, 1),
        body_line=7,
    )


def messages(body: str) -> list[str]:
    return [f"{f.source.line}: {f.message}" for f in check_article(article(body))]


@pytest.fixture(scope="module")
def seed_findings() -> list[Finding]:
    return check_issue(read_issue(COMMITTED))


def test_seed_duplicate_passage_names_the_file_and_both_lines(seed_findings: list[Finding]):
    repeated = [f for f in seed_findings if "repeated passage" in f.message]
    assert len(repeated) == 1
    assert repeated[0].source.path.name == "09-shi-xing-zhen.md"
    assert repeated[0].source.line == 12
    assert "also at line 10" in repeated[0].message
    assert "扎实开展‘不见面招商’工作" in repeated[0].message


def test_seed_doubled_character_and_unclosed_quote(seed_findings: list[Finding]):
    doubled = [f for f in seed_findings if "doubled" in f.message]
    assert [(f.source.path.name, f.source.line) for f in doubled] == [("03-xu-jin-zhen.md", 10)]
    assert "被评为为" in doubled[0].message
    unclosed = [f for f in seed_findings if "never closed" in f.message]
    assert [(f.source.path.name, f.source.line) for f in unclosed] == [("05-liu-juan.md", 10)]


def test_seed_has_no_other_kind_of_finding(seed_findings: list[Finding]):
    # 实实在在 (07), 等等 (10), multi-paragraph quotes (03, 08) are correct and stay unreported
    kinds = {f.message.split(":")[0].split(" of ")[0] for f in seed_findings}
    assert kinds == {
        "repeated passage",
        "doubled character '为为'",
        "unbalanced “ is never closed",
        "“ inside a “…” quotation, use ‘…’ inside",
    }


def test_check_command_prints_findings_and_exits_1(capsys: pytest.CaptureFixture[str]):
    code = main(["check", str(COMMITTED)])
    out = capsys.readouterr().out
    assert code == 1
    assert f"{COMMITTED}/articles/09-shi-xing-zhen.md:12: repeated passage" in out
    assert f"{COMMITTED}/articles/03-xu-jin-zhen.md:10: doubled character '为为'" in out


def test_clean_article_has_no_findings():
    body = "“常常、天天、人人、谢谢，渐渐纷纷，实实在在，的的确确，方便面等等。”\n\n他说：“好！”\n"
    assert messages(body) == []


def test_half_width_marks_left_are_reported_on_their_line():
    found = messages("第一段。\n\n我们,他们;还有(括号)的!\n")
    assert found == [
        "9: 5 half-width mark(s) next to Chinese text: ','→'，' ';'→'；' '('→'（' ')'→'）' '!'→'！'"
    ]


def test_numbers_and_latin_are_not_half_width_findings():
    assert messages("收入达13.5万元，按照1+2+1思路，时间10:30，a, b (c) d。\n") == []


def test_doubled_function_characters():
    found = messages("我们的的目标。\n\n他是是好人。\n\n这是是是非非。\n")
    assert [m.split(":")[0] for m in found] == ["7", "9"]
    assert "'的的'" in found[0] and "'是是'" in found[1]


def test_paragraph_ending_mid_sentence():
    found = messages("这一段没有写完\n\n下一段。\n\n## 手写的小标题\n\n正文。\n")
    assert found == ["7: paragraph ends mid-sentence: …'这一段没有写完'; join or finish it"]


def test_quotes_over_several_paragraphs_may_reopen():
    assert messages("他说：“第一段。\n\n“第二段。\n\n“第三段。”\n") == []
    assert messages("他说：“第一段。\n\n第二段。”\n") == []


def test_unbalanced_quotes_and_brackets():
    assert messages("他说：“好。\n\n（注释。\n") == [
        "7: unbalanced “ is never closed: 他说：“好。…",
        "9: unbalanced （ is never closed: （注释。…",
    ]
    assert messages("好。\n\n多余的”。\n") == ["9: unbalanced ” closes nothing: 多余的”。…"]


def test_repeated_passage_within_an_article():
    passage = "扎实开展不见面招商工作确保了在疫情防控期间招商推介"  # 25 Han characters
    found = messages(f"{passage}。\n\n其他内容。\n\n又一次：{passage}。\n")
    assert len(found) == 1
    assert found[0].startswith("11: repeated passage of 25 Chinese characters, also at line 7")
    assert messages(f"{passage[:19]}。\n\n{passage[:19]}。\n") == []


def test_missing_speaker_reporters_and_body():
    bare = check_article(article("", speakers=(), reporters=()))
    assert [(f.source.line, f.message.split(":")[0]) for f in bare] == [
        (1, "no speaker"),
        (1, "no reporters"),
        (1, "empty article"),
    ]


SAMPLE = COMMITTED.parent / "sample-features"


def test_the_sample_issue_of_every_element_has_no_findings():
    assert check_issue(read_issue(SAMPLE)) == []


def test_lists_tables_captions_labels_and_pull_quotes_are_no_findings():
    quote = "我们先建学校、医院和公园，再建写字楼，让来新区工作的年轻人住得下"
    body = (
        "- 建成污水处理厂3座\n- 新建管网280公里\n\n"
        "| 指标 | 2019年 |\n|---|---:|\n| 人口（万人） | 3.2 |\n\n"
        '![湿地](images/a.jpg "清晨的湿地 记者 李华 摄")\n\n'
        f"**记者：**怎样留住人？\n\n**张三：**{quote}。\n\n::: 引语\n{quote}\n:::\n"
    )
    assert messages(body) == []


def test_a_repeat_outside_a_pull_quote_is_still_reported():
    passage = "我们先建学校、医院和公园，再建写字楼，让来新区工作的年轻人住得下"
    assert any("repeated passage" in m for m in messages(f"{passage}。\n\n{passage}。\n"))


def _figure_issue(tmp_path: Path, figure: str, size: tuple[int, int]) -> Path:
    import shutil

    from PIL import Image

    issue = tmp_path / "issue"
    shutil.copytree(SAMPLE, issue)
    Image.new("RGB", size, (90, 120, 150)).save(issue / "images" / "small.jpg")
    path = issue / "articles" / "02-zhao-lin.md"
    path.write_text(path.read_text(encoding="utf-8") + f"\n{figure}\n", encoding="utf-8")
    return issue


def test_a_figure_without_alt_or_caption_is_reported(tmp_path: Path):
    issue = _figure_issue(tmp_path, "![](images/small.jpg)", (1200, 800))
    (finding,) = check_issue(read_issue(issue))
    assert "neither alt text nor caption" in finding.message
    assert finding.source.path.name == "02-zhao-lin.md" and finding.source.line > 30


def test_a_figure_under_200_ppi_at_its_printed_size_is_reported(tmp_path: Path):
    issue = _figure_issue(tmp_path, '![小图](images/small.jpg "小图"){.wide}', (900, 600))
    (finding,) = check_issue(read_issue(issue))
    # a wide figure is printed 174 mm across: 900 pixels make 131 ppi; 1370 are needed
    assert "131 ppi" in finding.message and "1370 pixels" in finding.message
