"""Reading an issue folder: articles in order, front matter with positions, clear errors."""

from __future__ import annotations

import pytest

from publish.errors import ConfigError, InputError
from publish.source.reader import read_issue


def test_reads_articles_in_file_name_order_with_speakers_and_positions(issue_dir):
    issue = read_issue(issue_dir)
    assert [a.slug for a in issue.articles] == ["01-fan-yong", "02-zhang-ben-cai"]
    first = issue.articles[0]
    assert first.title == "提升服务效能 增强发展动力"
    assert [(s.name, s.role) for s in first.speakers] == [
        ("范勇", "济北开发区管委会经济发展局局长")
    ]
    assert first.speakers[0].source.line == 5
    assert first.reporters == ("李晶", "张放")
    assert first.body_line == 8
    assert first.body.startswith("“今年，")
    assert first.body.endswith("亿元。”\n")


def test_explicit_article_order_wins(issue_dir):
    config = issue_dir / "publish.yaml"
    config.write_text(
        config.read_text() + "articles: [02-zhang-ben-cai.md, 01-fan-yong.md]\n", "utf-8"
    )
    assert [a.slug for a in read_issue(issue_dir).articles] == ["02-zhang-ben-cai", "01-fan-yong"]


def test_a_listed_article_that_does_not_exist(issue_dir):
    config = issue_dir / "publish.yaml"
    config.write_text(config.read_text() + "articles: [01-fan-yong.md, 03-missing.md]\n", "utf-8")
    with pytest.raises(ConfigError) as caught:
        read_issue(issue_dir)
    (finding,) = caught.value.findings
    assert finding.source.line == 8
    assert finding.message == (
        f"article '03-missing.md' is listed but {issue_dir}/articles/03-missing.md does not "
        "exist; fix the name or remove the entry"
    )


def test_front_matter_problems_of_all_articles_are_reported_together(issue_dir):
    first = issue_dir / "articles" / "01-fan-yong.md"
    first.write_text(first.read_text().replace("\ntitle:", "\ntitel:"), "utf-8")
    second = issue_dir / "articles" / "02-zhang-ben-cai.md"
    second.write_text(second.read_text().replace("reporters: [刘婧, 郝皓]", "reporters: {a: 1}"))
    with pytest.raises(ConfigError) as caught:
        read_issue(issue_dir)
    assert [str(f) for f in caught.value.findings] == [
        f"{first}:2: unknown key 'titel'; did you mean 'title'? "
        "(valid: reporters, speakers, subtitle, title)",
        f"{first}:2: missing required key 'title': add a line 'title: …' (headline)",
        f"{second}:6: reporters: expected text, got a mapping",
    ]


def test_article_without_front_matter(issue_dir):
    path = issue_dir / "articles" / "03-plain.md"
    path.write_text("只有正文，没有标题。\n", "utf-8")
    with pytest.raises(ConfigError) as caught:
        read_issue(issue_dir)
    assert str(caught.value) == (
        f"{path}:1: no front matter: an article starts with a line '---', then 'title: …', "
        "'speakers: …', 'reporters: …', then a line '---', then the body"
    )


def test_empty_issue(issue_dir):
    for path in (issue_dir / "articles").iterdir():
        path.unlink()
    with pytest.raises(InputError, match="the issue has no articles. Fix: add articles/"):
        read_issue(issue_dir)


def test_article_that_is_not_utf8_says_how_to_convert(issue_dir):
    path = issue_dir / "articles" / "01-fan-yong.md"
    path.write_bytes("---\ntitle: 标题\n---\n正文\n".encode("gb18030"))
    with pytest.raises(InputError) as caught:
        read_issue(issue_dir)
    assert str(caught.value).startswith(f"{path}:2: the file is not UTF-8")
    assert "iconv -f GB18030 -t UTF-8" in str(caught.value)


def test_bom_and_crlf_are_accepted(issue_dir):
    path = issue_dir / "articles" / "01-fan-yong.md"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    article = read_issue(issue_dir).articles[0]
    assert article.title == "提升服务效能 增强发展动力"
    assert "\r" not in article.body


def test_the_layout_words_are_loaded(issue_dir):
    words = read_issue(issue_dir).words
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in words.items())
