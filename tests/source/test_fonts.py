"""Fonts resolved through fontconfig: asked ahead, in processes of their own, the answers are
the ones resolve_font would get, and it starts no process of its own for them."""

from __future__ import annotations

import subprocess

import pytest

from publish.errors import EnvironmentProblem
from publish.source import fonts


@pytest.fixture
def fresh() -> None:
    """No resolved font or early answer left from another test, before or after."""
    fonts.resolve_font.cache_clear()
    fonts._MATCHED.clear()
    yield
    fonts.resolve_font.cache_clear()
    fonts._MATCHED.clear()


def test_fonts_asked_ahead_resolve_without_another_process(
    fresh: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = fonts.font_set("SC")
    fonts.resolve_font.cache_clear()
    fonts.match_ahead(["SC", "TC"])()

    def no_process(*args: object, **kwargs: object) -> None:
        raise AssertionError("resolve_font ran fc-match although it had been asked ahead")

    monkeypatch.setattr(subprocess, "run", no_process)
    assert fonts.font_set("SC") == expected
    assert {font.family for font in fonts.font_set("TC").values()} == set(
        fonts.font_roles("TC").values()
    )


def test_a_font_that_is_not_installed_still_stops_the_build(
    fresh: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fonts, "font_roles", lambda script: {"body": "Noto Serif CJK ZZ"})
    fonts.match_ahead(["ZZ"])()
    assert fonts._MATCHED  # fontconfig answered, with its fallback
    with pytest.raises(EnvironmentProblem, match="'Noto Serif CJK ZZ' .* is not installed"):
        fonts.resolve_font("Noto Serif CJK ZZ", "body")
