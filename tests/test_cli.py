"""The command line: exit codes, messages without tracebacks, outputs never half-written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from publish import build as build_module
from publish.cli import main
from publish.errors import InputError
from publish.source.fonts import resolve_font


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_bad_config_exits_2_with_every_problem(capsys, issue_dir):
    (issue_dir / "publish.yaml").write_text("titel: x\nformats: [pdf, docx]\n", "utf-8")
    code, _, err = run(capsys, "check", str(issue_dir))
    assert code == 2
    assert err.splitlines()[0] == "config error: 3 problems; fix and run again:"
    assert f"  {issue_dir}/publish.yaml:2: formats: unknown value 'docx'" in err


def test_missing_issue_folder(capsys, tmp_path):
    code, _, err = run(capsys, "build", str(tmp_path / "nowhere"), "--out", str(tmp_path))
    assert code == 2
    assert err.startswith(f"input error: {tmp_path}/nowhere: no such issue folder. Fix:")


def test_unknown_edition_on_the_command_line(capsys, issue_dir, tmp_path):
    code, _, err = run(
        capsys, "build", str(issue_dir), "--edition", "zh-TW", "--out", str(tmp_path)
    )
    assert code == 2
    assert err.startswith("input error: --edition zh-TW: unknown; did you mean 'zh-Hant-TW'?")


def test_unwritable_out_folder(capsys, issue_dir, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    code, _, err = run(capsys, "build", str(issue_dir), "--out", str(blocker / "dist"))
    assert code == 2
    assert err.startswith(f"environment error: {blocker}/dist: cannot write there (")
    assert "Fix: choose another folder with --out" in err


def use_writer(monkeypatch, writer) -> None:
    """Every output is written by `writer`, with no script conversion."""

    def chosen(issue, edition, *_):
        return lambda target: writer(issue, edition, target)

    monkeypatch.setattr(build_module, "_pdf_writer", chosen)
    monkeypatch.setattr(build_module, "_epub_writer", chosen)
    monkeypatch.setattr(build_module, "convert", lambda issue, edition: issue)


def test_a_failing_writer_leaves_the_previous_output_and_no_temporary_file(
    capsys, issue_dir, tmp_path, monkeypatch
):
    out = tmp_path / "dist"
    out.mkdir()
    previous = out / "minimal-zh-Hans.pdf"
    previous.write_bytes(b"%PDF- the good edition of yesterday")

    def broken_writer(issue, edition, target: Path, **hooks) -> int:
        target.write_bytes(b"%PDF- half")
        raise InputError("the writer stopped half way")

    use_writer(monkeypatch, broken_writer)
    code, _, err = run(capsys, "build", str(issue_dir), "--edition", "zh-Hans", "--out", str(out))
    assert code == 2
    assert err.splitlines()[-1] == "input error: the writer stopped half way"
    assert previous.read_bytes() == b"%PDF- the good edition of yesterday"
    assert sorted(p.name for p in out.iterdir()) == ["minimal-zh-Hans.pdf"]


def test_strict_build_fails_on_a_warning_and_keeps_the_previous_output(
    capsys, issue_dir, tmp_path, monkeypatch
):
    import logging

    out = tmp_path / "dist"
    out.mkdir()
    previous = out / "minimal-zh-Hans.pdf"
    previous.write_bytes(b"old")

    def warning_writer(issue, edition, target: Path, **hooks) -> int:
        logging.getLogger("weasyprint").warning("Ignored `text-justify: distribute`")
        target.write_bytes(b"new")
        return 1

    use_writer(monkeypatch, warning_writer)
    args = ["build", str(issue_dir), "--edition", "zh-Hans", "--format", "pdf", "--out", str(out)]
    code, _, err = run(capsys, *args, "--strict")
    assert code == 1
    assert "1 warning(s) under --strict; the previous minimal-zh-Hans.pdf is kept" in err
    assert previous.read_bytes() == b"old"

    code, out_text, err = run(capsys, *args)
    assert code == 0
    assert "warning: weasyprint: Ignored `text-justify: distribute`" in err
    assert previous.read_bytes() == b"new"
    assert "minimal-zh-Hans.pdf" in out_text


def test_a_missing_font_names_the_package_that_fixes_it():
    with pytest.raises(Exception) as caught:
        resolve_font("Noto Serif CJK ZZ", "body")
    assert type(caught.value).__name__ == "EnvironmentProblem"
    assert "font 'Noto Serif CJK ZZ' (body) is not installed" in str(caught.value)
    assert "apt-get install fonts-noto-cjk" in str(caught.value)


def test_python_dash_m_publish_prints_no_traceback(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "publish", "check", str(tmp_path / "missing")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("input error:")


def test_version(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["--version"])
    assert caught.value.code == 0
    assert capsys.readouterr().out.startswith("publish ")
