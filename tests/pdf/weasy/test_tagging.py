"""PDF/UA-1 tagging: furniture as artifacts, one P a paragraph, TOC/TOCI, described links."""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from pdfua import Severity, validate
from pypdf import PdfReader

from publish.pdf.render import render_print_html, write_pdf
from publish.pdf.weasy import tagging
from publish.source.reader import read_issue
from publish.text.editions import EDITIONS
from tests.conftest import MINIMAL
from tests.pdf import pdfcheck


@pytest.fixture(scope="module")
def long_issue(tmp_path_factory: pytest.TempPathFactory):
    """The minimal issue as PDF/UA-1, its first article long enough for paragraphs to cross
    columns and a page."""
    root = tmp_path_factory.mktemp("ua") / "minimal"
    shutil.copytree(MINIMAL, root)
    article = root / "articles" / "01-fan-yong.md"
    head, body = article.read_text(encoding="utf-8").split("---\n", 2)[1:]
    long_body = "\n".join(p.replace("\n", "") * 6 + "\n" for p in body.split("\n\n") if p)
    article.write_text(f"---\n{head}---\n" + long_body * 4, encoding="utf-8")
    issue = read_issue(root)
    return replace(
        issue, config=replace(issue.config, pdf=replace(issue.config.pdf, standard="pdf/ua-1"))
    )


@pytest.fixture(scope="module")
def ua_pdf(long_issue, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("ua-out") / "ua.pdf"
    write_pdf(long_issue, EDITIONS["zh-Hans"], target)
    return target


def test_every_piece_of_text_is_tagged_or_an_artifact(ua_pdf: Path) -> None:
    assert pdfcheck.untagged_text(ua_pdf) == []


def test_running_heads_and_folios_are_artifacts(ua_pdf: Path) -> None:
    shown = pdfcheck.marked_text(ua_pdf)
    artifacts = [t for t in shown if "/Artifact" in t.tags]
    pages = {t.page for t in shown}
    # the cover has none; every other page a folio, article pages a running head too
    assert {t.page for t in artifacts} == pages - {1}
    assert all(t.mcid is None for t in artifacts)


def test_one_p_for_each_paragraph_even_across_columns_and_pages(long_issue, ua_pdf: Path) -> None:
    html = render_print_html(long_issue, EDITIONS["zh-Hans"])
    paragraphs = len(re.findall(r"<p[ >]", html))
    assert len(pdfcheck.structure_elements(ua_pdf, "/P")) == paragraphs
    arts = pdfcheck.structure_elements(ua_pdf, "/Art")
    assert len(arts) == 2  # one per article, the long one over three pages


def test_the_toc_is_a_toc_of_tocis(ua_pdf: Path) -> None:
    assert len(pdfcheck.structure_elements(ua_pdf, "/TOC")) == 1
    assert len(pdfcheck.structure_elements(ua_pdf, "/TOCI")) == 2
    assert len(pdfcheck.structure_elements(ua_pdf, "/L")) == 1  # the cover's speakers, a list


def test_links_are_described_by_what_they_lead_to(ua_pdf: Path) -> None:
    descriptions = pdfcheck.link_descriptions(ua_pdf)
    pages = PdfReader(ua_pdf).pages
    for description, (who, headline) in zip(
        descriptions,
        [("范勇", "提升服务效能 增强发展动力"), ("张本才", "真抓实干促发展 凝心聚力惠民生")],
        strict=True,
    ):
        found = re.fullmatch(rf"{who} · {headline} 第(\d+)页", description)
        assert found, description
        page = int(found.group(1))  # the page the headline is set on (after the cover and TOC)
        assert page > 2 and headline in pages[page - 1].extract_text()


def test_the_pdfua_checker_finds_nothing(ua_pdf: Path) -> None:
    report = validate(str(ua_pdf))
    assert [f.message for f in report.findings if f.severity >= Severity.WARNING] == []


def test_without_the_extension_the_furniture_is_left_untagged(long_issue, tmp_path: Path) -> None:
    tagging.uninstall()
    try:
        with pytest.MonkeyPatch.context() as patch:  # the layout would install it again
            patch.setattr(tagging, "install", lambda: False)
            write_pdf(long_issue, EDITIONS["zh-Hans"], tmp_path / "plain.pdf")
    finally:
        tagging.install()
    assert pdfcheck.untagged_text(tmp_path / "plain.pdf") != []
