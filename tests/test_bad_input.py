"""Every class of bad input: exit 2, a message naming file, line and fix, out folder untouched."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from publish.cli import main
from publish.source import fonts

Break = Callable[[Path], None]


def edit(relative: str, old: str, new: str) -> Break:
    def apply(issue: Path) -> None:
        path = issue / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"test setup: {old!r} not in {relative}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return apply


def append(line: str) -> Break:
    def apply(issue: Path) -> None:
        with (issue / "publish.yaml").open("a", encoding="utf-8") as config:
            config.write(line + "\n")

    return apply


def remove_articles(issue: Path) -> None:
    for path in (issue / "articles").iterdir():
        path.unlink()


def gb18030_article(issue: Path) -> None:
    path = issue / "articles" / "02-zhang-ben-cai.md"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))


ARTICLE = "articles/01-fan-yong.md"
CASES: dict[str, tuple[Break, str]] = {
    "invalid YAML in publish.yaml": (
        edit("publish.yaml", "editions: [zh-Hans, zh-Hant-TW]", "editions: [zh-Hans"),
        "publish.yaml:7: invalid YAML:",
    ),
    "invalid YAML in front matter": (
        edit(ARTICLE, "reporters: [李晶, 张放]", "reporters: [李晶, 张放"),
        "01-fan-yong.md:7: invalid YAML:",
    ),
    "missing required field": (
        edit(ARTICLE, "title: 提升服务效能 增强发展动力\n", ""),
        "01-fan-yong.md:2: missing required key 'title'",
    ),
    "wrong type": (append("pdf: {columns: two}"), "publish.yaml:8: pdf.columns: expected a whole"),
    "unknown key": (append("titel: 特刊"), "publish.yaml:8: unknown key 'titel'; did you mean"),
    "unknown edition": (
        edit("publish.yaml", "zh-Hant-TW]", "zh-TW]"),
        "publish.yaml:6: editions: unknown value 'zh-TW'; did you mean 'zh-Hant-TW'?",
    ),
    "unknown format": (
        edit("publish.yaml", "formats: [pdf, epub]", "formats: [pdf, mobi]"),
        "publish.yaml:7: formats: unknown value 'mobi'; valid: epub, pdf",
    ),
    "unknown layout": (append("layout: newspaper"), "publish.yaml:8: unknown layout 'newspaper'"),
    "unknown OpenCC config": (
        append("conversion: {configs: {zh-Hant-TW: s2tww}}"),
        "publish.yaml:8: conversion.configs: unknown value 's2tww'; did you mean 's2tw'?",
    ),
    "unknown page size": (append("pdf: {page_size: A3}"), "publish.yaml:8: pdf.page_size: unknown"),
    "unknown PDF standard": (
        append("pdf: {standard: pdf/x-1a}"),
        "publish.yaml:8: pdf.standard: unknown value 'pdf/x-1a'",
    ),
    "listed article missing": (
        append("articles: [01-fan-yong.md, 03-gone.md]"),
        "publish.yaml:8: article '03-gone.md' is listed but",
    ),
    "empty issue": (remove_articles, "the issue has no articles. Fix: add articles/NN-name.md"),
    "article without front matter": (
        edit(ARTICLE, "---\ntitle:", "title:"),
        "01-fan-yong.md:1: no front matter:",
    ),
    "not UTF-8": (gb18030_article, "02-zhang-ben-cai.md:2: the file is not UTF-8"),
}


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """An out folder holding yesterday's good outputs."""
    folder = tmp_path / "dist"
    folder.mkdir()
    for edition in ("zh-Hans", "zh-Hant-TW"):
        (folder / f"minimal-{edition}.pdf").write_bytes(f"%PDF yesterday {edition}".encode())
        (folder / f"minimal-{edition}.epub").write_bytes(f"PK yesterday {edition}".encode())
    return folder


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_bad_input_stops_cleanly(case, issue_dir, out, capsys):
    breaker, expected = CASES[case]
    breaker(issue_dir)
    before = snapshot(out)
    code = main(["build", str(issue_dir), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert expected in err
    assert "Traceback" not in err
    assert snapshot(out) == before


def test_missing_font_stops_before_writing_and_names_the_fix(
    issue_dir, out, capsys, monkeypatch, tmp_path
):
    table = tmp_path / "fonts"
    table.mkdir()
    (table / "fonts.yaml").write_text(
        "SC: {body: Noto Serif CJK ZZ, heading: Noto Sans CJK SC, byline: Noto Sans CJK SC}\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(fonts, "FONTS_DIR", table)
    fonts.font_roles.cache_clear()
    try:
        before = snapshot(out)
        code = main(["build", str(issue_dir), "--edition", "zh-Hans", "--out", str(out)])
    finally:
        fonts.font_roles.cache_clear()
    err = capsys.readouterr().err
    assert code == 2
    assert "environment error: font 'Noto Serif CJK ZZ' (body) is not installed" in err
    assert "apt-get install fonts-noto-cjk" in err
    assert snapshot(out) == before
