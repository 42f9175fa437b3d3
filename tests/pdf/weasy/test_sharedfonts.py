"""Shared font programs: a chunk's fonts as placeholders, one union subset per face, the same
program WeasyPrint would have embedded."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest
import weasyprint
from pypdf import PdfReader

from publish.pdf import chunked
from publish.pdf.weasy import sharedfonts
from publish.pdf.weasy.sharedfonts import Face, Glyphs

PAGE = """<html lang="zh-Hans"><style>
@page { size: 120mm 60mm; margin: 8mm }
body { font: 10.5pt 'Noto Serif CJK SC'; margin: 0 }
b { font-family: 'Noto Sans CJK SC' }
</style><body><p>{text}</p><p><b>闫立然 Yan Liran</b> 区发展和改革局局长</p></body></html>"""
FIRST = "推动高质量发展，打造现代化新区：2020年GDP增长6.5%。"
SECOND = "新区建设攻坚战当好发展改革排头兵，真抓实干促发展凝心聚力惠民生。"


def programs(pdf: Path) -> dict[str, bytes]:
    """The font program of each font of a one-page PDF, by font name, decompressed."""
    found = {}
    for font in PdfReader(pdf).pages[0]["/Resources"]["/Font"].values():
        cid_font = font.get_object()["/DescendantFonts"][0].get_object()
        descriptor = cid_font["/FontDescriptor"].get_object()
        found[str(descriptor["/FontName"])] = descriptor["/FontFile3"].get_object().get_data()
    return found


@pytest.fixture
def shared():
    """Sharing on in this process, over the font files fontconfig knows; off afterwards."""
    assert sharedfonts.install()
    sharedfonts.sharing(True, sharedfonts.font_files())
    yield
    sharedfonts.sharing(False)
    sharedfonts.uninstall()


def own_programs(tmp_path: Path, text: str) -> dict[str, bytes]:
    target = tmp_path / "own.pdf"
    weasyprint.HTML(string=PAGE.replace("{text}", text)).write_pdf(target)
    return programs(target)


def test_a_shared_render_holds_placeholders_and_reports_its_glyphs(tmp_path, shared):
    target = tmp_path / "shared.pdf"
    weasyprint.HTML(string=PAGE.replace("{text}", FIRST)).write_pdf(target)
    glyphs = sharedfonts.take_glyphs()
    placeholders = programs(target)
    assert len(placeholders) == len(glyphs) == 2  # the serif body and the bold sans
    named = {Face.from_placeholder(data) for data in placeholders.values()}
    assert named == {each.face for each in glyphs}
    for each in glyphs:
        assert Path(each.face.path).is_file() and each.face.cff
        assert len(each.ids) > 5 and not each.notdef
    assert sharedfonts.take_glyphs() == ()  # taken once


def test_the_union_program_is_what_weasyprint_embeds_for_those_glyphs(tmp_path, shared):
    weasyprint.HTML(string=PAGE.replace("{text}", FIRST)).write_pdf(tmp_path / "a.pdf")
    first = sharedfonts.take_glyphs()
    weasyprint.HTML(string=PAGE.replace("{text}", SECOND)).write_pdf(tmp_path / "b.pdf")
    second = sharedfonts.take_glyphs()
    faces = sharedfonts.union([first, second])
    serif = next(each for each in faces if "Serif" in each.face.path)
    assert set(serif.ids) > set(next(each.ids for each in first if each.face == serif.face))
    made = [
        sharedfonts.subset_face(each, tmp_path / f"face{n}.bin") for n, each in enumerate(faces)
    ]
    sharedfonts.sharing(False)
    # one render of both texts embeds, for each face, the subset of the glyphs of both
    own = own_programs(tmp_path, FIRST + SECOND)
    assert {zlib.decompress(program.file.read_bytes()) for program in made} == set(own.values())


def test_a_font_of_an_unknown_file_keeps_its_own_subset(tmp_path, shared):
    sharedfonts.sharing(True, {})  # no font file known
    target = tmp_path / "own.pdf"
    weasyprint.HTML(string=PAGE.replace("{text}", FIRST)).write_pdf(target)
    assert sharedfonts.take_glyphs() == ()
    assert all(data[:4] == b"OTTO" for data in programs(target).values())
    assert not any(Face.from_placeholder(data) for data in programs(target).values())


def test_renders_not_sharing_embed_what_weasyprint_alone_embeds(tmp_path, shared):
    sharedfonts.sharing(False)
    installed = own_programs(tmp_path, FIRST)  # the face's file read in place, not copied
    assert sharedfonts.take_glyphs() == ()
    sharedfonts.uninstall()
    assert own_programs(tmp_path, FIRST) == installed


def test_union_merges_glyphs_and_missing_marks_per_face():
    serif = Face("/fonts/serif.ttc", 2, False, True)
    sans = Face("/fonts/sans.ttc", 2, False, True)
    merged = sharedfonts.union(
        [(Glyphs(serif, (5, 9), False),), (Glyphs(serif, (1, 9), True), Glyphs(sans, (3,), False))]
    )
    assert merged == [Glyphs(sans, (3,), False), Glyphs(serif, (1, 5, 9), True)]


def test_a_placeholder_names_its_face_and_a_real_program_names_none():
    face = Face("/usr/share/fonts/字体/NotoSerifCJK.ttc", 3, True, False)
    assert face.placeholder()[:4] == b"\0\1\0\0"  # read by WeasyPrint as TrueType
    assert Face.from_placeholder(face.placeholder()) == face
    assert Face.from_placeholder(b"OTTO\0\x0b\0\x80\0\x03\0pCFF ") is None


def test_pdf_1_4_lists_each_font_s_glyphs_and_does_not_share():
    assert chunked.shared_font_files({"pdf_variant": "pdf/a-1b"}) is None
    files = chunked.shared_font_files({"pdf_variant": "pdf/a-2b"})
    assert files and any("NotoSerifCJK" in name for names in files.values() for name in names)


def test_another_weasyprint_shares_no_fonts(monkeypatch: pytest.MonkeyPatch) -> None:
    sharedfonts.uninstall()
    monkeypatch.setattr(weasyprint, "__version__", "71.0")
    assert chunked.shared_font_files({}) is None
