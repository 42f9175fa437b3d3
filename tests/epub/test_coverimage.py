"""The EPUB cover image kept in the layout cache: a rebuild with the same cover encodes no PNG,
--force encodes it again, a damaged entry is not trusted."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from publish.epub import cover
from publish.run.layoutcache import cache_folder


def a_pdf(width: float = 300, height: float = 450) -> bytes:
    from pypdf import PdfWriter

    writer, out = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=width, height=height)
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def encodings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[object]:
    """A list that grows by one whenever a cover is rasterised (a layout cache of its own)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    calls: list[object] = []
    rasterise = cover.rasterise

    def counting(pdf: Path | bytes) -> bytes:
        calls.append(pdf)
        return rasterise(pdf)

    monkeypatch.setattr(cover, "rasterise", counting)
    return calls


def test_the_same_cover_is_rasterised_once(encodings: list[object]) -> None:
    pdf = a_pdf()
    first = cover.cover_png(pdf, kept=True)
    assert cover.cover_png(pdf, kept=True) == first
    assert len(encodings) == 1
    assert Image.open(io.BytesIO(first)).size == cover.DESIGNED_SIZE


def test_another_cover_force_or_no_cache_rasterise_again(encodings: list[object]) -> None:
    pdf = a_pdf()
    cover.cover_png(pdf, kept=True)
    other = cover.cover_png(a_pdf(300, 300), kept=True)
    assert Image.open(io.BytesIO(other)).size == (1600, 1600)
    cover.cover_png(pdf, kept=False)  # --force: made again (and kept)
    cover.cover_png(pdf, kept=None)
    assert len(encodings) == 4


def test_a_damaged_entry_is_made_again(encodings: list[object]) -> None:
    pdf = a_pdf()
    good = cover.cover_png(pdf, kept=True)
    for entry in cache_folder().rglob("*.pdf"):  # entries keep their bytes in a .pdf file
        entry.write_bytes(b"not a png")
    assert cover.cover_png(pdf, kept=True) == good
    assert len(encodings) == 2
