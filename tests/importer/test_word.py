"""`publish import FILE.docx`: Word files made with python-docx, read through mammoth."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.shared import Inches

from publish.cli import main
from publish.importer import word
from publish.importer.folder import import_file
from tests.importer.test_import_properties import assert_text_kept

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FOOTNOTES = (
    f'<w:footnotes xmlns:w="{W}">'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
    "</w:r></w:p></w:footnote>"
    '<w:footnote w:id="1"><w:p><w:r><w:t>数据来自区统计局。</w:t></w:r></w:p></w:footnote>'
    "</w:footnotes>"
)


def png() -> bytes:
    """A 2×2 red and blue PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    rows = b"\x00" + b"\xff\x00\x00" * 2 + b"\x00" + b"\x00\x00\xff" * 2
    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def add_footnote(document: docx.Document, paragraph: docx.text.paragraph.Paragraph) -> None:
    """A footnote part (python-docx has no API for one) and a reference to it at the end of
    `paragraph`."""
    part = Part(
        PackURI("/word/footnotes.xml"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
        FOOTNOTES.encode("utf-8"),
        document.part.package,
    )
    document.part.relate_to(part, RT.FOOTNOTES)
    run = parse_xml(f'<w:r xmlns:w="{W}"><w:footnoteReference w:id="1"/></w:r>')
    paragraph._p.append(run)


def interview(path: Path, *, second: bool = False) -> Path:
    """An interview as editors receive it: heading, ——访 line, byline, bold Q&A labels, a
    sub-head, a numbered list, a table, a footnote, a photograph with its caption."""
    document = docx.Document()
    document.add_heading("打赢新区建设攻坚战", 1)
    document.add_paragraph("——访区发展和改革局局长 闫立然")
    document.add_paragraph("本报记者 范倩楠 路小庆")
    for label, text in [("记者", "今年的重点是什么？"), ("闫立然：", "重点是项目建设。")]:
        paragraph = document.add_paragraph()
        paragraph.add_run(label).bold = True
        paragraph.add_run(text)
    document.add_heading("抓项目", 2)
    document.add_paragraph("第一，抓招商。", style="List Number")
    document.add_paragraph("第二，抓服务。", style="List Number")
    table = document.add_table(rows=2, cols=2)
    for cell, text in zip(table._cells, ["年份", "投资", "2019", "10亿元"], strict=True):
        cell.text = text
    add_footnote(document, document.add_paragraph("全年投资创新高。"))
    document.add_picture(io.BytesIO(png()), width=Inches(1))
    document.add_paragraph("图为闫立然在项目现场。记者 李晶 摄", style="Caption")
    if second:
        document.add_heading("第二篇访谈", 1)
        document.add_paragraph("——访新市镇党委书记 张本才")
        document.add_paragraph("张本才说，新市镇今年要建三个产业园，带动全镇群众增收致富。")
    document.save(path)
    return path


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("word")
    return import_file(interview(folder / "闫立然.docx"), folder / "issue")


def test_word_structure_becomes_the_dialect(imported):
    (article,) = imported.issue.articles
    assert (article.title, article.subtitle) == (
        "打赢新区建设攻坚战",
        "——访区发展和改革局局长 闫立然",
    )
    assert [(s.name, s.role) for s in article.speakers] == [("闫立然", "区发展和改革局局长")]
    assert article.reporters == ("范倩楠", "路小庆")
    body = article.body
    assert "记者：今年的重点是什么？\n\n闫立然：重点是项目建设。" in body  # bold labels
    assert "\n\n## 抓项目\n\n1. 第一，抓招商。\n\n1. 第二，抓服务。\n\n" in body
    assert "| 年份 | 投资 |\n| --- | --- |\n| 2019 | 10亿元 |" in body
    assert "\n\n全年投资创新高。[^1]\n\n" in body  # a paragraph with its note, no sub-head
    assert "[^1]: 数据来自区统计局。" in body
    assert '![](images/01.png "图为闫立然在项目现场。记者 李晶 摄")' in body


def test_word_images_are_extracted_into_the_issue(imported):
    image = imported.issue.articles[0].source.path.parents[1] / "images" / "01.png"
    assert image.read_bytes() == png()
    assert "read as Word (.docx)" in imported.report


def test_word_text_is_all_kept(imported, tmp_path: Path):
    path = interview(tmp_path / "again.docx")
    text = word.read_word(path).text
    assert_text_kept(text, imported.issue)


def test_two_headings_make_two_articles(tmp_path: Path):
    issue = import_file(interview(tmp_path / "two.docx", second=True), tmp_path / "issue").issue
    assert [a.title for a in issue.articles] == ["打赢新区建设攻坚战", "第二篇访谈"]
    assert [s.name for s in issue.articles[1].speakers] == ["张本才"]
    assert (
        "[^1]: 数据来自区统计局。" in issue.articles[0].body
    )  # the footnote goes with its article
    assert "[^1]" not in issue.articles[1].body


def test_a_file_that_opens_with_a_table_is_named_by_the_file(tmp_path: Path):
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    for cell, text in zip(table._cells, ["会议主题", "分组", "记录人", "赵益萍"], strict=True):
        cell.text = text
    for label, text in [("罗荣良老师", "请假规则最常问。"), ("胡隽老师", "成绩发布时间也常问。")]:
        paragraph = document.add_paragraph()
        paragraph.add_run(label + "：").bold = True
        paragraph.add_run(text)
    document.save(tmp_path / "纪要.docx")
    imported = import_file(tmp_path / "纪要.docx", tmp_path / "issue")
    (article,) = imported.issue.articles
    assert article.title == "纪要" and article.body.startswith("| 会议主题 | 分组 |")
    assert [(s.name, s.role) for s in article.speakers] == [("罗荣良", "老师"), ("胡隽", "老师")]
    assert "the file name 纪要 is the headline" in imported.report


def zip_with(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b"\x89PNG\r\n\x1a\n not a document", "not a Word .docx file"),
        (zip_with({"notes.txt": b"hello"}), "not a Word .docx (it has no word/document.xml)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "encrypted Word file or an old .doc"),
        (
            zip_with({"word/document.xml": b"<x/>", "word/media/bomb.bin": b"\x00" * 30_000_000}),
            "refused as a zip bomb",
        ),
        (zip_with({"word/document.xml": b"<not xml"}), "cannot be read"),
    ],
    ids=["empty", "binary", "zip", "encrypted", "bomb", "broken"],
)
def test_bad_word_files_stop_with_the_fix(tmp_path: Path, capsys, data: bytes, message: str):
    path = tmp_path / "interview.docx"
    path.write_bytes(data)
    assert main(["import", str(path), "--out", str(tmp_path / "issue")]) == 2
    err = capsys.readouterr().err
    assert message in err and str(path) in err and "Fix:" in err and "Traceback" not in err
    assert not (tmp_path / "issue").exists()


def test_an_oversized_word_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = interview(tmp_path / "big.docx")
    monkeypatch.setattr(word, "MAX_DOCX", path.stat().st_size - 1)
    with pytest.raises(Exception, match=r"big\.docx: the Word file is over .* Compress Pictures"):
        import_file(path, tmp_path / "issue")


def test_a_bold_label_whose_colon_is_not_bold_keeps_one_colon(tmp_path: Path):
    # **潘**：… as editors type it: the label bold, its colon in the plain run after it
    document = docx.Document()
    document.add_heading("關於金庸", 1)
    for label, text in [
        ("潘", "：你是什麼時候認識查生的？"),
        ("倪", ":我認識查生是董千里等人介紹的。"),
    ]:
        paragraph = document.add_paragraph()
        paragraph.add_run(label).bold = True
        paragraph.add_run(text)
    path = tmp_path / "colon.docx"
    document.save(path)
    body = import_file(path, tmp_path / "issue").issue.articles[0].body
    assert "潘：你是什麼時候認識查生的？" in body and "倪：我認識查生" in body
    assert "：：" not in body
