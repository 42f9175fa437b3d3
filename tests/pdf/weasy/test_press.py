"""PDF/X-4 colour: CMYK under the output intent, black text in black ink, registration marks."""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from pathlib import Path

import pikepdf
import pytest

from publish.model import Issue
from publish.pdf.render import CMYK_PROFILES, write_pdf
from publish.pdf.weasy import press
from publish.source.reader import read_issue
from publish.text.editions import EDITIONS
from tests.conftest import MINIMAL
from tests.pdf import pdfcheck

MM = 72 / 25.4
FOGRA39 = CMYK_PROFILES["fogra39"]
needs_fogra39 = pytest.mark.skipif(not FOGRA39.is_file(), reason="make setup builds FOGRA39L")


def with_pdf(issue: Issue, **options: object) -> Issue:
    return replace(issue, config=replace(issue.config, pdf=replace(issue.config.pdf, **options)))


@pytest.fixture(scope="module")
def fogra39() -> press.Press:
    from PIL import ImageCms

    return press.press_of(ImageCms.getOpenProfile(str(FOGRA39)))


@needs_fogra39
def test_greys_print_in_black_ink_alone_and_near_black_as_solid_black(
    fogra39: press.Press,
) -> None:
    for grey in (0x1A, 0x33, 0x55, 0x99, 0xBB):
        c, m, y, k = fogra39.cmyk((grey / 255,) * 3)
        assert (c, m, y) == (0, 0, 0) and 0 < k <= 1
    assert fogra39.cmyk((0x1A / 255,) * 3)[3] == 1.0  # body text: 100% K, never rich black
    tones = [fogra39.cmyk((g / 255,) * 3)[3] for g in (0x33, 0x55, 0x99, 0xBB, 0xFF)]
    assert tones == sorted(tones, reverse=True) and tones[-1] == 0


@needs_fogra39
def test_a_colour_goes_through_the_press_profile(fogra39: press.Press) -> None:
    c, m, y, k = fogra39.cmyk((0xA3 / 255, 0x15 / 255, 0x1B / 255))  # the layout's red
    assert m > 0.9 and y > 0.8 and c < 0.05


@pytest.fixture(scope="module")
def x4_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal issue as PDF/X-4 with 3 mm bleed and marks, its first article long
    enough to fill a page with text alone."""
    root = tmp_path_factory.mktemp("x4") / "minimal"
    shutil.copytree(MINIMAL, root)
    article = root / "articles" / "01-fan-yong.md"
    head, body = article.read_text(encoding="utf-8").split("---\n", 2)[1:]
    article.write_text(f"---\n{head}---\n" + body * 40, encoding="utf-8")
    issue = with_pdf(read_issue(root), bleed=3.0, marks=("crop", "cross"), standard="pdf/x-4")
    target = root.parent / "x4.pdf"
    write_pdf(issue, EDITIONS["zh-Hans"], target)
    return target


def test_no_device_rgb_anywhere(x4_pdf: Path) -> None:
    assert pdfcheck.device_rgb_uses(x4_pdf) == []


@needs_fogra39
def test_the_output_intent_is_fogra39(x4_pdf: Path) -> None:
    with pikepdf.open(x4_pdf) as pdf:
        intent = pdf.Root.OutputIntents[0]
        assert intent.S == "/GTS_PDFX" and intent.DestOutputProfile.N == 4
        assert "FOGRA39" in str(intent.OutputConditionIdentifier)


def test_a_page_of_text_prints_in_black_ink_only(x4_pdf: Path) -> None:
    # page 4: the long first article's second page, body text, running head and folio
    (c, m, y, k), *_ = pdfcheck.ink_coverage(x4_pdf, 4, 4)
    assert (c, m, y) == (0, 0, 0) and k > 0.01


def test_marks_are_in_registration_colour_outside_the_bleed(x4_pdf: Path) -> None:
    with pikepdf.open(x4_pdf) as pdf:
        page = pdf.pages[0]
        trim, bleed = [float(v) for v in page.TrimBox], [float(v) for v in page.BleedBox]
        media = [float(v) for v in page.MediaBox]
        assert trim[0] - bleed[0] == pytest.approx(3 * MM, abs=0.01)
        assert bleed[0] - media[0] == pytest.approx(press.MARK_ROOM_MM * MM, abs=0.01)
        sheets = [
            x
            for x in page.Resources.XObject.values()
            if "/All" in str(x.get("/Resources", {}).get("/ColorSpace", {}))
        ]
        assert len(sheets) == len(pdf.pages)  # one sheet of marks a page, all pages alike
        separation = sheets[0].Resources.ColorSpace.All
        assert [str(v) for v in separation[:3]] == ["/Separation", "/All", "/DeviceCMYK"]
        content = sheets[0].read_bytes().decode()
        assert "/All CS" in content and re.search(r"\b1 SCN\b", content)
        assert not re.search(r"\b(rg|RG|k|K|g|G)\b", content)  # drawn in nothing else
        # every point of a mark lies outside the bleed box: the sheet is drawn in CSS px from
        # the trim's top left corner, y downwards, 0.75 pt a px
        points = [
            (float(x) * 0.75, trim[3] - float(y) * 0.75)
            for x, y in re.findall(r"(-?[\d.]+) (-?[\d.]+) [ml]\b", content)
        ]
        inside = [
            (x, y)
            for x, y in points
            if bleed[0] + 0.1 < x < bleed[2] - 0.1 and bleed[1] + 0.1 < y < bleed[3] - 0.1
        ]
        assert len(points) > 16 and inside == []


@needs_fogra39
def test_an_rgb_image_is_converted_with_the_press_profile(tmp_path: Path) -> None:
    import base64
    import io

    import weasyprint
    from PIL import Image

    picture = io.BytesIO()
    Image.new("RGB", (8, 8), (0xA3, 0x15, 0x1B)).save(picture, format="PNG")
    data = base64.b64encode(picture.getvalue()).decode()
    html = (
        f"<style>@color-profile device-cmyk {{ src: url({FOGRA39.as_uri()!r}); "
        "components: cyan, magenta, yellow, black; }</style>"
        f'<p lang="zh">图<img src="data:image/png;base64,{data}" alt="红"></p>'
    )
    press.install()
    weasyprint.HTML(string=html).write_pdf(tmp_path / "image.pdf", pdf_variant="pdf/x-4")
    assert pdfcheck.device_rgb_uses(tmp_path / "image.pdf") == []
    with pikepdf.open(tmp_path / "image.pdf") as pdf:
        images = [
            obj
            for obj in pdf.objects
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image"
        ]
        assert [str(i.ColorSpace) for i in images] == ["/DeviceCMYK"]
        c, m, y, k = pikepdf.PdfImage(images[0]).as_pil_image().getpixel((0, 0))
        assert m > 230 and y > 200 and c < 15  # the same red as the layout's rules


def test_without_any_cmyk_profile_the_pdf_claims_no_pdf_x(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from publish.pdf import render

    missing = {name: tmp_path / f"{name}.icc" for name in render.CMYK_PROFILES}
    monkeypatch.setattr(render, "CMYK_PROFILES", missing)
    root = tmp_path / "minimal"
    shutil.copytree(MINIMAL, root)
    target = tmp_path / "plain.pdf"
    write_pdf(with_pdf(read_issue(root), standard="pdf/x-4"), EDITIONS["zh-Hans"], target)
    assert "not claiming PDF/X-4" in caplog.text
    with pikepdf.open(target) as pdf:
        assert "/OutputIntents" not in pdf.Root
        assert b"pdfxid" not in (pdf.Root.Metadata.read_bytes() if "/Metadata" in pdf.Root else b"")
