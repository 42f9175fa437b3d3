"""Shared fixtures: tiny issues copied into a temporary folder so tests may change them."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
FIXTURES = TESTS / "fixtures"
"""Input issues, raw texts and third-party test data the tests read."""
MINIMAL = FIXTURES / "issues" / "minimal"
DEFAULT_ISSUE = ROOT / "seeds" / "jiyang-2020"
CHROMIUM = Path("/usr/bin/chromium")
"""Debian's Chromium, the browser of the reading-system, preview and Ace tests (no download)."""
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
"""Headless, as root, and without the background connections this closed network refuses."""


@pytest.fixture(scope="session", autouse=True)
def own_layout_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The session's layout cache, apart from the user's: a test that changes how pages are
    laid out (a patched extension) must not leave its pages for another build to take."""
    before = os.environ.get("XDG_CACHE_HOME")
    home = tmp_path_factory.mktemp("cache-home")
    os.environ["XDG_CACHE_HOME"] = str(home)
    yield home
    if before is None:
        del os.environ["XDG_CACHE_HOME"]
    else:
        os.environ["XDG_CACHE_HOME"] = before


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
