"""The book's shared font programs kept in the layout cache: an edit that brings no new
character subsets no face; new glyphs, another book or --force subset again."""

from __future__ import annotations

from pathlib import Path

import pytest

from publish.pdf import worker
from publish.pdf.weasy import sharedfonts
from publish.source.fonts import font_set


@pytest.fixture
def subsets(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[sharedfonts.Glyphs]:
    """The faces subset in this test (a layout cache of its own)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    made: list[sharedfonts.Glyphs] = []
    subset = sharedfonts.subset_face

    def counting(glyphs: sharedfonts.Glyphs, target: Path) -> sharedfonts.Program:
        made.append(glyphs)
        return subset(glyphs, target)

    monkeypatch.setattr(sharedfonts, "subset_face", counting)
    return made


def glyphs(ids: tuple[int, ...]) -> sharedfonts.Glyphs:
    body = font_set("SC")["body"]
    face = sharedfonts.Face(str(body.file), body.index, False, True)
    return sharedfonts.Glyphs(face, ids, False)


def programs(folder: Path, faces, key: str = "book", reuse: bool = True) -> list[tuple[bytes, int]]:
    """Each face's program (its compressed bytes and its length) made for the book `key`."""
    folder.mkdir(parents=True, exist_ok=True)
    worker._SETTINGS = worker.Settings(layout_key=key, reuse_layout=reuse)
    try:
        made = worker.shared_programs(faces, folder)
    finally:
        worker._SETTINGS = worker.Settings()
    assert [program.face for program in made] == [each.face for each in faces]
    return [(program.file.read_bytes(), program.length) for program in made]


def test_the_same_glyphs_are_subset_once(subsets, tmp_path: Path) -> None:
    faces = [glyphs((1, 2, 3, 500))]
    first = programs(tmp_path / "cold", faces)
    assert programs(tmp_path / "edit", faces) == first
    assert len(subsets) == 1


def test_new_glyphs_another_book_or_force_subset_again(subsets, tmp_path: Path) -> None:
    programs(tmp_path / "cold", [glyphs((1, 2, 3))])
    more = programs(tmp_path / "more", [glyphs((1, 2, 3, 4))])
    assert more != programs(tmp_path / "cold-again", [glyphs((1, 2, 3))])
    programs(tmp_path / "other", [glyphs((1, 2, 3))], key="another book")
    programs(tmp_path / "forced", [glyphs((1, 2, 3))], reuse=False)
    assert len(subsets) == 4
