"""The text layer: spacing drawn as character spacing, lines with ActualText; same glyph places."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from publish.pdf.render import write_pdf
from publish.pdf.weasy import textlayer
from publish.pdf.weasy.textlayer import ShownText, operators, parse
from publish.source.reader import read_issue
from publish.text.editions import EDITIONS
from tests.conftest import MINIMAL

HAN_GAP_HAN = re.compile(r"[\u4e00-\u9fff][ \u00a0\u3000]+[\u4e00-\u9fff]")
WIDTHS = {0x10: 1000, 0x11: 1000, 0x12: 500, 0x13: 556}


def glyph_places(content: bytes, size: float) -> list[tuple[str, float]]:
    """Where each glyph of a run of `TJ`/`Tc`/`Td` operators starts (ISO 32000-1 §9.4.4)."""
    places, x, line, spacing = [], 0.0, 0.0, 0.0
    for array, number, operator in re.findall(
        rb"\[([^\]]*)\]\s*TJ|(-?[\d.]+)\s+(Tc|0 Td)", content
    ):
        if operator == b"Tc":
            spacing = float(number)
        elif operator == b"0 Td":
            line += float(number)
            x = line
        else:
            for hexes, move in re.findall(rb"<([0-9a-f]+)>|(-?[\d.]+)", array):
                if move:
                    x -= float(move) / 1000 * size
                    continue
                for at in range(0, len(hexes), 4):
                    glyph = int(hexes[at : at + 4], 16)
                    places.append((f"{glyph:04x}", round(x, 6)))
                    x += WIDTHS[glyph] / 1000 * size + spacing
    return places


@pytest.mark.parametrize(
    "array",
    [
        b"<0010>-150<0011>-150<0012>-150<0013>-150",  # letter spaced
        b"-75<0010>-200<0011>-190<0012>300<0013>12.5",  # a lead, a halved mark, kerning
        b"<0010>",  # one glyph
    ],
)
@pytest.mark.parametrize("joined", [0.0, 250.0])
def test_redrawn_glyphs_stand_where_weasyprint_put_them(array: bytes, joined: float) -> None:
    shown = parse(array, 10.5, WIDTHS)
    assert shown is not None
    before = glyph_places(b"[" + array + b"] TJ", 10.5)
    after = glyph_places(operators(shown, None, joined), 10.5)
    assert [g for g, _ in after] == [g for g, _ in before]
    assert [x for _, x in after] == pytest.approx([x for _, x in before], abs=1e-3)


def test_letter_spacing_becomes_character_spacing() -> None:
    shown = parse(b"<0010>-300<0011>-300<0010>-300", 10.0, WIDTHS)
    assert isinstance(shown, ShownText)
    drawn = operators(shown, None)
    assert drawn.startswith(b"3 Tc ") and drawn.endswith(b" 0 Tc")
    assert b"-300" not in drawn  # no pen move left between the glyphs


def test_a_join_widens_only_the_last_glyph() -> None:
    shown = parse(b"<0010><0011>", 10.0, WIDTHS)
    assert shown is not None
    drawn = operators(shown, None, 250.0)
    assert drawn.endswith(b"2.5 Tc [<0011>] TJ 0 Tc")


@pytest.fixture(scope="module")
def minimal_pdfs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The minimal issue with the text layer extension, and without it."""
    out = tmp_path_factory.mktemp("textlayer")
    root = out / "minimal"
    shutil.copytree(MINIMAL, root)
    issue = read_issue(root)
    ours, theirs = out / "ours.pdf", out / "theirs.pdf"
    write_pdf(issue, EDITIONS["zh-Hans"], ours)
    textlayer.uninstall()
    try:
        with pytest.MonkeyPatch.context() as patch:  # the layout would install it again
            patch.setattr(textlayer, "install", lambda: False)
            write_pdf(issue, EDITIONS["zh-Hans"], theirs)
    finally:
        textlayer.install()
    return ours, theirs


def pdftotext(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pypdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def source_count(text: str) -> int:
    return sum(p.read_text(encoding="utf-8").count(text) for p in MINIMAL.glob("articles/*.md"))


@pytest.mark.parametrize("extract", [pdftotext, pypdf_text], ids=["pdftotext", "pypdf"])
def test_2020_is_found_wherever_it_is_printed(
    minimal_pdfs: tuple[Path, Path], extract: object
) -> None:
    ours, theirs = minimal_pdfs
    masthead = 1  # 2020年2月20日 on the cover
    assert extract(ours).count("2020年") == source_count("2020年") + masthead  # type: ignore[operator]
    assert extract(theirs).count("2020年") < source_count("2020年")  # type: ignore[operator]


@pytest.mark.parametrize("extract", [pdftotext, pypdf_text], ids=["pdftotext", "pypdf"])
def test_no_space_between_han_characters_of_body_lines(
    minimal_pdfs: tuple[Path, Path], extract: object
) -> None:
    ours, theirs = minimal_pdfs
    body = "".join(p.read_text(encoding="utf-8") for p in MINIMAL.glob("articles/*.md"))
    lines = [ln for ln in extract(ours).splitlines() if len(ln) > 12]  # type: ignore[operator]
    spaced = [ln for ln in lines if HAN_GAP_HAN.search(ln) and ln.replace(" ", "") in body]
    assert spaced == []
    assert any(HAN_GAP_HAN.search(ln) for ln in extract(theirs).splitlines())  # type: ignore[operator]


def test_every_body_line_reads_as_the_source(minimal_pdfs: tuple[Path, Path]) -> None:
    ours, _ = minimal_pdfs
    body = "".join(p.read_text(encoding="utf-8") for p in MINIMAL.glob("articles/*.md"))
    body = re.sub(r"\s+", "", body)
    pages = pdftotext(ours).split("\f")[2:]  # the article pages, after the cover and the TOC
    # each page: the headline first, the running head and the folio last
    lines = [ln for page in pages for ln in page.splitlines()[1:-2] if len(ln) >= 8]
    assert lines and [ln for ln in lines if ln not in body and "——访" not in ln] == []


def test_the_glyphs_do_not_move(minimal_pdfs: tuple[Path, Path]) -> None:
    ours, theirs = minimal_pdfs
    with pdfplumber.open(ours) as a, pdfplumber.open(theirs) as b:
        for page_a, page_b in zip(a.pages, b.pages, strict=True):
            places_a = [(c["text"], round(c["x0"], 2), round(c["top"], 2)) for c in page_a.chars]
            places_b = [(c["text"], round(c["x0"], 2), round(c["top"], 2)) for c in page_b.chars]
            assert places_a == places_b
