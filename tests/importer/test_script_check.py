"""`publish check` reports articles written in another script than `language:` says."""

from __future__ import annotations

import shutil
from pathlib import Path

from publish.cli import main
from tests.conftest import FIXTURES


def test_check_reports_a_traditional_article_in_a_simplified_issue(tmp_path: Path, capsys) -> None:
    issue = tmp_path / "tw"
    shutil.copytree(FIXTURES / "issues" / "tw-original", issue)
    config = issue / "publish.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("language: zh-Hant-TW", "language: zh-Hans"),
        encoding="utf-8",
    )
    assert main(["check", str(issue)]) == 1
    out = capsys.readouterr().out
    assert "01-weng-lu-zhong.md:1: written in Traditional characters" in out
    assert "02-chen-min-fang.md:1: written in Traditional characters" in out
    assert "fix: set language: zh-Hant-TW" in out


def test_check_passes_the_script_of_a_traditional_original(capsys) -> None:
    main(["check", str(FIXTURES / "issues" / "hk-original")])
    assert "written in" not in capsys.readouterr().out
