"""Article text is data: never template code, never markup, never a way to read local files."""

from __future__ import annotations

import re
import zipfile

import pytest
from pypdf import PdfReader

from publish.build import build

HOSTILE_BODY = """\
模板语法原样印出：{{{{ 7*7 }}}} 与 {{% if true %}}是{{% endif %}}。

<script>alert("脚本")</script><b>粗体标签</b>

<img src="file://{canary}"> ![图](file://{canary}) [链接](file://{canary})

<link rel="stylesheet" href="file://{canary}">

<style>body {{ background: url(file://{canary}) }}</style>

远程资源：![远程](https://example.com/tracker.png) 网址 [正常链接](https://example.com/)。
"""


@pytest.fixture(scope="module")
def hostile_outputs(tmp_path_factory):
    """The minimal issue with one hostile article, built in zh-Hans (PDF and EPUB)."""
    import shutil

    from tests.conftest import MINIMAL

    root = tmp_path_factory.mktemp("hostile")
    canary = root / "canary.txt"
    canary.write_text("CANARY-SECRET-金丝雀", encoding="utf-8")
    issue = root / "issue"
    shutil.copytree(MINIMAL, issue)
    article = issue / "articles" / "01-fan-yong.md"
    head = article.read_text(encoding="utf-8").split("---\n")[1]
    body = HOSTILE_BODY.format(canary=canary)
    article.write_text(f"---\n{head}---\n{body}", encoding="utf-8")
    out = root / "dist"
    build(issue, out, editions=["zh-Hans"])
    return out / "minimal-zh-Hans.pdf", out / "minimal-zh-Hans.epub"


def pdf_text(path) -> str:
    return "".join(page.extract_text() for page in PdfReader(path).pages)


def test_template_syntax_and_tags_are_printed_as_text_in_the_pdf(hostile_outputs):
    text = re.sub(r"\s+", "", pdf_text(hostile_outputs[0]))
    assert "{{7*7}}" in text
    assert "{%iftrue%}" in text
    assert '<script>alert("脚本")</script>' in text or "<script>alert(“脚本”)</script>" in text


def test_no_local_file_reaches_the_pdf(hostile_outputs):
    assert "CANARY" not in pdf_text(hostile_outputs[0])
    raw = hostile_outputs[0].read_bytes()
    assert b"CANARY" not in raw


def test_epub_has_no_script_no_remote_resource_no_local_file(hostile_outputs):
    with zipfile.ZipFile(hostile_outputs[1]) as book:
        assert not [n for n in book.namelist() if "canary" in n]
        documents = {
            n: book.read(n).decode("utf-8")
            for n in book.namelist()
            if n.endswith(("html", "opf", "css"))
        }
    everything = "\n".join(documents.values())
    assert "CANARY" not in everything
    assert "<script" not in everything
    assert "{{ 7*7 }}" in everything
    assert not re.search(r'(src|href)="file:', everything)
    assert not re.search(r'<(img|link|style)\b[^>]*(src|href)="https?:', everything)
    assert 'href="https://example.com/"' in everything
