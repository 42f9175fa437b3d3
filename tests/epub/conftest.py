"""The books the slow e-book checks share: the speakers issue built once, PDF and EPUB."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import CHROMIUM, FIXTURES, ROOT

SPEAKERS = FIXTURES / "issues" / "speakers"
"""Two- and three-speaker articles, A5 pages, vertical Traditional e-book."""
NODE_BIN = ROOT / "node_modules" / ".bin"


@pytest.fixture(scope="session")
def speakers_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The speakers issue built once per session: zh-Hans and zh-Hant-TW, PDF and EPUB."""
    from publish.build import build

    out = tmp_path_factory.mktemp("speakers")
    build(SPEAKERS, out)
    return out


def need_tools() -> None:
    """Stop with the fix when the test-only tools `make test` installs are missing."""
    missing = [str(p) for p in (NODE_BIN / "ace-cli", CHROMIUM) if not p.exists()]
    if missing:
        pytest.fail(f"missing {', '.join(missing)}; fix: make setup-test (or make test)")
