"""calibre's `ebook-meta` reads the package metadata a reading system shows on its shelf."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def ebook_meta(book: Path) -> dict[str, str]:
    """The fields `ebook-meta` prints for a book, by name ('Author(s)', 'Languages', ...)."""
    tool = shutil.which("ebook-meta")
    if tool is None:
        pytest.fail("missing ebook-meta (calibre); fix: make setup-test (or make test)")
    run = subprocess.run([tool, str(book)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    fields = {}
    for line in run.stdout.splitlines():
        name, colon, value = line.partition(":")
        if colon and name.strip():
            fields[name.strip()] = value.strip()
    return fields


@pytest.mark.parametrize(
    ("edition", "title", "author", "publisher"),
    [
        ("zh-Hans", "双人访谈特刊", "测试报社专刊部", "测试出版社"),
        ("zh-Hant-TW", "雙人訪談特刊", "測試報社專刊部", "測試出版社"),
    ],
)
def test_calibre_shows_title_author_publisher_and_language(
    speakers_build: Path, edition: str, title: str, author: str, publisher: str
) -> None:
    fields = ebook_meta(speakers_build / f"speakers-{edition}.epub")
    assert fields["Title"] == title
    # the desk that made the issue, not "Unknown"; speakers and reporters stay contributors
    assert fields["Author(s)"] == author
    assert fields["Publisher"] == publisher
    assert fields["Languages"] == "zho"  # calibre's ISO 639-2 code for zh-Hans and zh-Hant-TW
