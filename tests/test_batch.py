"""Several issues in one build: one table, distinct slugs, a broken issue reported while the
others are written."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from publish.cli import issue_folders, main
from tests.conftest import MINIMAL


def issues(root: Path, count: int) -> list[Path]:
    """`count` copies of the minimal issue under `root`, slugs a, b, c…, one edition, PDF."""
    made = []
    for number in range(count):
        folder = root / f"issue-{number}"
        shutil.copytree(MINIMAL, folder)
        config = (folder / "publish.yaml").read_text("utf-8")
        lines = [line for line in config.splitlines() if not line.startswith(("slug:", "formats:"))]
        lines += [f"slug: {'abcdefg'[number]}", "formats: [pdf]"]
        (folder / "publish.yaml").write_text("\n".join(lines) + "\n", "utf-8")
        made.append(folder)
    return made


def test_a_folder_of_issues_means_its_subfolders(tmp_path):
    made = issues(tmp_path / "year", 3)
    (tmp_path / "year" / "notes").mkdir()  # no publish.yaml: not an issue
    assert issue_folders([tmp_path / "year"]) == made
    assert issue_folders([made[1], made[0]]) == [made[1], made[0]]


def test_two_issues_with_one_slug_stop_before_any_work(capsys, tmp_path):
    first, second = issues(tmp_path, 2)
    config = second / "publish.yaml"
    config.write_text(config.read_text("utf-8").replace("slug: b", "slug: a"), "utf-8")
    code = main(["build", str(first), str(second), "--out", str(tmp_path / "out"), "-q"])
    err = capsys.readouterr().err
    assert code == 2
    assert f"input error: {first} and {second} both have the slug 'a'" in err
    assert not list((tmp_path / "out").glob("*.pdf"))


@pytest.mark.slow
def test_a_broken_issue_is_reported_and_the_others_are_written(capsys, tmp_path):
    made = issues(tmp_path / "year", 4)
    broken = made[2] / "articles" / sorted(p.name for p in (made[2] / "articles").iterdir())[0]
    broken.write_text("---\ntitle: [unclosed\n---\n正文。\n", "utf-8")
    out = tmp_path / "out"
    code = main(["build", str(tmp_path / "year"), "--edition", "zh-Hans", "--out", str(out), "-q"])
    captured = capsys.readouterr()
    assert code == 2
    assert sorted(p.name for p in out.glob("*.pdf")) == [f"{slug}-zh-Hans.pdf" for slug in "abd"]
    assert f"{made[2]}: not built; config error: 1 problem(s), fix them:" in captured.err
    assert re.search(rf"^  {re.escape(str(broken))}:\d+: invalid YAML", captured.err, re.M)
    assert "build: 1 of 4 issues failed; the others are written" in captured.err
    table = captured.out.splitlines()
    assert table[0].split() == ["output", "pages", "size", "seconds"]
    assert len(table) == 4  # one table for the three issues written
    assert "Traceback" not in captured.err
