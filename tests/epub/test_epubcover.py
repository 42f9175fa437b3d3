"""The EPUB cover taken from the print PDF just written: the same PNG, without a second layout."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from publish.epub.cover import cover_png
from publish.pdf import cover
from publish.pdf import render as pdf
from publish.source.reader import read_issue
from publish.text.convert import convert_issue
from publish.text.editions import EDITIONS
from tests.conftest import DEFAULT_ISSUE

pytestmark = pytest.mark.slow
EDITION = EDITIONS["zh-Hant-TW"]


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Path, bytes]:
    """(the converted issue, its print PDF, its cover laid out on its own)."""
    issue = convert_issue(read_issue(DEFAULT_ISSUE), EDITION)
    alone = cover_png(cover.cover_pdf(issue, EDITION))
    target = tmp_path_factory.mktemp("print") / "print.pdf"
    pdf.write_pdf(issue, EDITION, target)
    return issue, target, alone


def layouts(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """A list that grows by one whenever the cover is laid out on its own."""
    calls: list[object] = []
    render = pdf.render_cover_document

    def counting(*args: Any) -> Any:
        calls.append(args)
        return render(*args)

    monkeypatch.setattr(pdf, "render_cover_document", counting)
    return calls


def test_the_cover_is_page_one_of_the_print_pdf_byte_for_byte(
    printed: tuple[Any, Path, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    issue, target, alone = printed
    calls = layouts(monkeypatch)
    assert cover_png(cover.cover_pdf(issue, EDITION, target)) == alone
    assert cover_png(cover.cover_pdf(issue, EDITION, target.read_bytes())) == alone
    assert calls == []
    assert cover.cover_pdf(issue, EDITION, target) == target


def test_no_print_pdf_or_a_missing_one_lays_the_cover_out(
    printed: tuple[Any, Path, bytes], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    issue, _, alone = printed
    calls = layouts(monkeypatch)
    assert cover_png(cover.cover_pdf(issue, EDITION, tmp_path / "gone.pdf")) == alone
    assert cover_png(cover.cover_pdf(issue, EDITION)) == alone
    assert len(calls) == 2


def test_a_print_pdf_with_bleed_or_marks_is_not_used(
    printed: tuple[Any, Path, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    issue, target, _ = printed
    assert cover.plain_trim(issue)
    bled = replace(issue, config=replace(issue.config, pdf=replace(issue.config.pdf, bleed=3.0)))
    assert not cover.plain_trim(bled)
    calls = layouts(monkeypatch)
    assert cover.cover_pdf(bled, EDITION, target) != target  # laid out on its trim instead
    assert len(calls) == 1
