"""Shared fixtures: tiny issues copied into a temporary folder so tests may change them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
FIXTURES = TESTS / "fixtures"
"""Input issues, raw texts and third-party test data the tests read."""
MINIMAL = FIXTURES / "issues" / "minimal"
DEFAULT_ISSUE = ROOT / "seeds" / "jiyang-2020"


@pytest.fixture
def issue_dir(tmp_path: Path) -> Path:
    """A writable copy of the minimal two-article issue."""
    target = tmp_path / "issue"
    shutil.copytree(MINIMAL, target)
    return target


@pytest.fixture(scope="session")
def default_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default issue built once per test session (both editions, PDF and EPUB)."""
    from publish.build import build

    out = tmp_path_factory.mktemp("dist")
    build(DEFAULT_ISSUE, out)
    return out
