"""One build moment for every output: SOURCE_DATE_EPOCH, else the issue date, else 1980."""

from __future__ import annotations

import datetime
from dataclasses import replace

import pytest

from publish.errors import EnvironmentProblem
from publish.run.moment import build_moment, moment_text
from publish.source.reader import read_issue
from tests.conftest import MINIMAL


def test_the_epoch_wins_then_the_issue_date_then_1980(monkeypatch: pytest.MonkeyPatch) -> None:
    issue = read_issue(MINIMAL)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1582156800")
    assert moment_text(build_moment(issue)) == "2020-02-20T00:00:00Z"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert moment_text(build_moment(issue)) == "2023-11-14T22:13:20Z"
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert build_moment(issue) == datetime.datetime(2020, 2, 20, tzinfo=datetime.UTC)
    undated = replace(issue, config=replace(issue.config, date=None))
    assert moment_text(build_moment(undated)) == "1980-01-01T00:00:00Z"


@pytest.mark.parametrize("value", ["yesterday", "-1", "1.5", "１２３", "99999999999999999999"])
def test_a_bad_epoch_names_the_variable(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    with pytest.raises(EnvironmentProblem, match=r"SOURCE_DATE_EPOCH=.* fix: set it to an integer"):
        build_moment(read_issue(MINIMAL))


def test_a_pdf_build_with_a_bad_epoch_exits_2_before_any_work(
    capsys: pytest.CaptureFixture[str], issue_dir, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from publish.cli import main

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "tomorrow")
    out = tmp_path / "dist"
    code = main(["build", str(issue_dir), "--format", "pdf", "--out", str(out), "-q"])
    err = capsys.readouterr().err
    assert code == 2
    assert "SOURCE_DATE_EPOCH='tomorrow' is not a Unix time" in err and "Traceback" not in err
    assert not out.exists()  # stopped before the out folder was made
