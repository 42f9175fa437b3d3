"""End to end: the default issue built as `make dist` builds it, outputs opened and checked."""

from __future__ import annotations

import io
import os
import zipfile
from xml.etree import ElementTree

import pytest
from PIL import Image
from pypdf import PdfReader

from publish import build as build_module
from publish.bench import repeated_issue
from publish.epub.cover import DESIGNED_SIZE
from publish.run.pools import LocalRunner
from publish.source.reader import read_issue
from tests.conftest import DEFAULT_ISSUE

OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"
EDITIONS = ("zh-Hans", "zh-Hant-TW")
HEADLINE = {"zh-Hans": "打赢新区建设攻坚战", "zh-Hant-TW": "打贏新區建設攻堅戰"}


@pytest.mark.slow  # builds both editions, PDF and EPUB
def test_the_four_outputs_are_written_and_nothing_else(default_build):
    assert sorted(p.name for p in default_build.iterdir()) == sorted(
        f"jiyang-2020-{e}.{k}" for e in EDITIONS for k in ("pdf", "epub")
    )


@pytest.mark.slow  # builds both editions, PDF and EPUB
def test_each_pdf_has_cover_toc_and_a_page_per_article_at_least(default_build):
    articles = len(read_issue(DEFAULT_ISSUE).articles)
    for edition in EDITIONS:
        reader = PdfReader(default_build / f"jiyang-2020-{edition}.pdf")
        assert len(reader.pages) >= articles + 2
        first_article = reader.pages[2].extract_text()
        assert HEADLINE[edition] in first_article
        opening_quote = "“" if edition == "zh-Hans" else "「"
        assert first_article.lstrip().split("\n")[2].startswith(opening_quote)


@pytest.mark.slow  # builds both editions, PDF and EPUB
def test_each_epub_package_parses_with_the_edition_language(default_build):
    for edition in EDITIONS:
        with zipfile.ZipFile(default_build / f"jiyang-2020-{edition}.epub") as book:
            assert book.namelist()[0] == "mimetype"
            assert book.read("mimetype") == b"application/epub+zip"
            container = ElementTree.fromstring(book.read("META-INF/container.xml"))
            opf_path = container.find(".//{*}rootfile").get("full-path")
            package = ElementTree.fromstring(book.read(opf_path))
        assert package.find(f"{OPF}metadata/{DC}language").text == edition
        assert package.find(f"{OPF}metadata/{DC}title").text in ("济阳三千会专访", "濟陽三千會專訪")
        spine = package.findall(f"{OPF}spine/{OPF}itemref")
        assert len(spine) >= 10


def test_build_via_the_command_reports_what_it_wrote(tmp_path, capsys):
    from publish.cli import main

    code = main(
        [
            "build",
            str(DEFAULT_ISSUE),
            "--edition",
            "zh-Hans",
            "--format",
            "epub",
            "--out",
            str(tmp_path),
        ]
    )
    out, err = capsys.readouterr()
    assert code == 0
    assert "publish: zh-Hans: converting text, writing EPUB" in err
    assert "publish: wrote jiyang-2020-zh-Hans.epub (12)" in err
    (row,) = [line for line in out.splitlines() if line.startswith(str(tmp_path))]
    assert row.split()[0] == str(tmp_path / "jiyang-2020-zh-Hans.epub")
    assert int(row.split()[1]) >= 10


@pytest.mark.slow
def test_a_long_issue_writes_its_epub_while_its_pdf_is_joined(tmp_path, monkeypatch):
    """More than 50 articles: the PDF is laid out in chunks, and the EPUB is written in a
    process of its own beside it, with its own designed cover."""
    issue = repeated_issue(DEFAULT_ISSUE, 6, tmp_path / "long", "zh-Hans")
    output = build_module.write_output

    def recorded(target, *args):
        kind = "epub" if ".epub" in target.name else "pdf"  # the EPUB's written staged
        (tmp_path / f"{kind}.pid").write_text(str(os.getpid()))
        return output(target, *args)

    monkeypatch.setattr(build_module, "write_output", recorded)
    report = build_module.build(issue, tmp_path / "out", force=True)
    assert sorted(w.path.name for w in report.written) == ["x6-zh-Hans.epub", "x6-zh-Hans.pdf"]
    writers = {kind: int((tmp_path / f"{kind}.pid").read_text()) for kind in ("pdf", "epub")}
    assert writers["pdf"] == os.getpid() != writers["epub"]
    with zipfile.ZipFile(tmp_path / "out" / "x6-zh-Hans.epub") as book:
        cover = next(n for n in book.namelist() if n.endswith(".png"))
        image = book.read(cover)
    assert Image.open(io.BytesIO(image)).size == DESIGNED_SIZE


@pytest.mark.slow
@pytest.mark.parametrize("editions", [["zh-Hans"], ["zh-Hans", "zh-Hant-TW"]])
def test_a_short_issue_forks_a_process_only_where_a_core_is_free(editions, tmp_path, monkeypatch):
    """The default issue in pieces: each edition's renders (cover, TOC, articles, overlays) run
    in its own process, no process forked for each; its EPUB beside the PDF's join only when a
    core is free for it (one edition on two cores), else after the PDF in the same process."""
    forked, output = os.fork, build_module.write_output

    def counted():
        pid = forked()
        if pid == 0:
            with (tmp_path / "forks").open("a") as log:  # appended to from any process
                log.write(f"{os.getppid()} {os.getpid()}\n")
        return pid

    def recorded(target, *args):
        with (tmp_path / "writes").open("a") as log:
            log.write(f"{'epub' if '.epub' in target.name else 'pdf'} {os.getpid()}\n")
        return output(target, *args)

    monkeypatch.setattr(os, "fork", counted)
    monkeypatch.setattr(build_module, "write_output", recorded)
    monkeypatch.setattr(build_module, "LocalRunner", lambda cores=0: LocalRunner(cores or 2))
    build_module.build(DEFAULT_ISSUE, tmp_path / "out", editions=editions, force=True)
    forks = [line.split() for line in (tmp_path / "forks").read_text().splitlines()]
    writes = [line.split() for line in (tmp_path / "writes").read_text().splitlines()]
    assert len(writes) == 2 * len(editions)
    writers = {(kind, pid) for kind, pid in writes}
    if len(editions) == 1:  # built here; the EPUB beside, in the one process forked
        assert forks == [[str(os.getpid()), writers_of(writers, "epub")[0]]]
        assert writers_of(writers, "pdf") == [str(os.getpid())]
    else:  # a process per edition, which writes both its outputs and forks nothing
        assert sorted(pid for _, pid in forks) == sorted(writers_of(writers, "pdf"))
        assert writers_of(writers, "pdf") == writers_of(writers, "epub")
        assert {parent for parent, _ in forks} == {str(os.getpid())}


def writers_of(writers: set[tuple[str, str]], kind: str) -> list[str]:
    return sorted(pid for each, pid in writers if each == kind)


@pytest.mark.slow
def test_a_long_issue_whose_epub_comes_first_writes_it_once_with_its_page_list(
    tmp_path, monkeypatch
):
    """formats: [epub, pdf]: the PDF is laid out first all the same (the EPUB's page list
    follows its pages), and the EPUB is written once, beside its join."""
    issue = repeated_issue(DEFAULT_ISSUE, 6, tmp_path / "long", "zh-Hans")
    written: list[str] = []
    output = build_module.write_output

    def recorded(target, *args):
        with (tmp_path / "writes").open("a") as log:  # appended to from any process
            log.write("epub\n" if ".epub" in target.name else "pdf\n")
        return output(target, *args)

    monkeypatch.setattr(build_module, "write_output", recorded)
    report = build_module.build(issue, tmp_path / "out", formats=["epub", "pdf"], force=True)
    written = (tmp_path / "writes").read_text().split()
    assert written == ["pdf", "epub"]
    with zipfile.ZipFile(tmp_path / "out" / "x6-zh-Hans.epub") as book:
        assert b'epub:type="page-list"' in book.read(next(n for n in book.namelist() if "nav" in n))
    assert sorted(w.path.name for w in report.written) == ["x6-zh-Hans.epub", "x6-zh-Hans.pdf"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "x6-zh-Hans.epub",
        "x6-zh-Hans.pdf",
    ]
