"""OpenCC's own upstream test cases pass for every config an edition can use, both ways."""

from __future__ import annotations

import json
import re

import pytest

from publish.model import Edition
from publish.text.convert import convert_text, is_official, opencc_converter, opencc_module
from publish.text.editions import EDITIONS, OPENCC_CONFIGS, REGIONAL, ROUTES
from tests.conftest import FIXTURES

CASES_FILE = FIXTURES / "data" / "opencc" / "testcases.json"


def _load_cases() -> list[dict]:
    # Upstream's file has trailing commas, which strict JSON refuses.
    text = re.sub(r",(\s*[}\]])", r"\1", CASES_FILE.read_text(encoding="utf-8"))
    return json.loads(text)["cases"]


CASES = _load_cases()


def _cases_for(config: str) -> list[tuple[str, str, str]]:
    return [(c["id"], c["input"], c["expected"][config]) for c in CASES if config in c["expected"]]


def test_the_official_bindings_are_installed() -> None:
    assert is_official(opencc_module()), "pip install opencc (not opencc-python-reimplemented)"


@pytest.mark.parametrize("config", OPENCC_CONFIGS)
def test_every_upstream_case_passes(config: str) -> None:
    cases = _cases_for(config)
    assert len(cases) >= 8, f"upstream has cases for {config}"
    convert = opencc_converter(config)
    wrong = [(case, text, convert(text), want) for case, text, want in cases]
    wrong = [row for row in wrong if row[2] != row[3]]
    assert wrong == []


@pytest.mark.parametrize("config", OPENCC_CONFIGS)
def test_convert_text_without_names_equals_opencc(config: str) -> None:
    """Our pipeline adds nothing to OpenCC when there are no names, terms or quotes."""
    edition = Edition("zh-Hant-test", config, "TC", corner_quotes=False)
    cases = _cases_for(config)
    assert [convert_text(text, edition) for _, text, _ in cases] == [w for _, _, w in cases]


def test_every_edition_config_is_covered_upstream() -> None:
    routes = [c for by_edition in ROUTES.values() for c in by_edition.values() if c]
    offered = {step for c in (*routes, *REGIONAL.values()) for step in c.split("+")}
    assert {e.opencc_config for e in EDITIONS.values()} - {None} <= offered
    assert offered == set(OPENCC_CONFIGS)
    assert all(_cases_for(config) for config in OPENCC_CONFIGS)
