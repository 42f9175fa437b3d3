"""Ace by DAISY, the EPUB accessibility checker, on representative books: no violation."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.epub.conftest import CHROMIUM, NODE_BIN, need_tools

pytestmark = pytest.mark.slow


def ace_violations(book: Path, out: Path) -> list[str]:
    """Every assertion Ace does not pass, as `document: rule (impact): description`."""
    need_tools()
    # Ace gives Chromium 5 s to start by default; the first start on a busy new machine took
    # longer and Ace stopped with nothing but "Re-run Ace using the --verbose option".
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": str(CHROMIUM), "ACE_TIMEOUT_INITIAL": "60000"}
    command = [str(NODE_BIN / "ace-cli"), "--verbose", "--force", "--outdir", str(out), str(book)]
    run = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, (run.stdout + run.stderr)[-4000:]
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    found = [
        f"{document['earl:testSubject']['url']}: {check['earl:test']['dct:title']} "
        f"({check['earl:test']['earl:impact']}): {check['earl:result'].get('dct:description')}"
        for document in report["assertions"]
        for check in document.get("assertions", [])
        if check["earl:result"]["earl:outcome"] != "pass"
    ]
    assert found or report["earl:result"]["earl:outcome"] == "pass"
    return found


@pytest.mark.parametrize(
    "which",
    [
        "speakers-zh-Hans",  # horizontal, page list
        "speakers-zh-Hant-TW",  # vertical, page list, two- and three-speaker articles
        "jiyang-2020-zh-Hant-TW",  # the default issue, horizontal Traditional
        "sample-features-zh-Hans",  # figures, tables, notes, boxes, Q&A turns, sub-heads
    ],
)
def test_ace_finds_no_violation(which: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    folder = request.getfixturevalue(
        {"speakers": "speakers_build", "jiyang": "default_build", "sample": "sample_build"}[
            which.split("-")[0]
        ]
    )
    assert ace_violations(folder / f"{which}.epub", tmp_path) == []


@pytest.fixture(scope="module")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample issue's Simplified edition, PDF and EPUB (with its page list)."""
    from publish.build import build

    out = tmp_path_factory.mktemp("sample")
    build(ROOT / "seeds" / "sample-features", out, editions=["zh-Hans"])
    return out


def test_ace_reads_the_conformance_claim(speakers_build: Path, tmp_path: Path) -> None:
    ace_violations(speakers_build / "speakers-zh-Hant-TW.epub", tmp_path)
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    metadata = report["a11y-metadata"]
    assert {"dcterms:conformsTo", "a11y:certifiedBy"} <= set(metadata["present"])
    assert report["properties"]["hasPageBreaks"] is True


def test_ace_sees_a_package_without_its_language(speakers_build: Path, tmp_path: Path) -> None:
    """The check can fail: the same book with xml:lang taken off <package> is a violation."""
    import zipfile

    source = speakers_build / "speakers-zh-Hans.epub"
    broken = tmp_path / "broken.epub"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(broken, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename.endswith(".opf"):
                data = data.replace(b' xml:lang="zh-Hans"', b"", 1)
            new.writestr(info, data)
    found = ace_violations(broken, tmp_path / "report")
    assert [f for f in found if "epub-lang" in f], found
