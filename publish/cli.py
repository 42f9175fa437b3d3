"""The `publish` command: build, import, check; expected errors print a message, no traceback."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from publish import __version__
from publish.errors import PublishError, message_lines
from publish.run.interrupt import Interrupted, stop_on_signals
from publish.run.logs import grouped

DEFAULT_ISSUE = Path("seeds/jiyang-2020")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 ok, 1 findings/strict, 2 bad input,
    130/143 stopped by SIGINT/SIGTERM)."""
    with stop_on_signals():
        try:
            return _run(_parser().parse_args(argv))
        except Interrupted as stop:
            _say(f"interrupted by {stop.name}: {STOPPED}")
            return stop.exit_code
        except KeyboardInterrupt:  # Ctrl-C where no handler of ours was set (another thread)
            _say(f"interrupted: {STOPPED}")
            return 130


STOPPED = "stopped; what was in place before is untouched and no partial file is left"


def _run(args: argparse.Namespace) -> int:
    """The command, its expected errors printed as one message each."""
    try:
        return args.run(args)
    except PublishError as error:
        for line in message_lines(error):
            _say(line)
        return error.exit_code


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="publish", description="Chinese special issues as print PDF and EPUB 3."
    )
    parser.add_argument("--version", action="version", version=f"publish {__version__}")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    build = commands.add_parser("build", help="build the issue's editions into PDF and EPUB")
    build.add_argument(
        "issues",
        nargs="*",
        type=Path,
        metavar="ISSUE_DIR",
        help="issue folders, or folders whose subfolders are issues (default: the default issue)",
    )
    build.add_argument(
        "--cluster",
        default=os.environ.get("PUBLISH_CLUSTER") or None,
        metavar="tcp://HOST:PORT",
        help="run the work on this Dask scheduler's workers (default: $PUBLISH_CLUSTER)",
    )
    build.add_argument("--edition", action="append", default=[], metavar="E")
    build.add_argument("--format", action="append", default=[], choices=["pdf", "epub"])
    build.add_argument("--out", type=Path, default=Path("dist"), metavar="DIR")
    build.add_argument("--strict", action="store_true", help="fail (exit 1) on any warning")
    build.add_argument("--force", action="store_true", help="rebuild even if nothing changed")
    build.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
    build.set_defaults(run=_build)

    watch = commands.add_parser("watch", help="build again after every save, until Ctrl-C")
    _loop_options(watch)
    watch.set_defaults(run=_watch)

    preview = commands.add_parser("preview", help="a live preview of the pages on 127.0.0.1")
    _loop_options(preview)
    preview.add_argument("--port", type=int, default=8765, metavar="N", help="0: any free port")
    preview.set_defaults(run=_preview)

    check = commands.add_parser("check", help="validate the issue and run the copy-desk preflight")
    check.add_argument("issue", nargs="?", type=Path, default=DEFAULT_ISSUE, metavar="ISSUE_DIR")
    check.set_defaults(run=_check)

    imp = commands.add_parser("import", help="pasted text or a Word file → an issue folder")
    imp.add_argument("raw", type=Path, metavar="FILE.txt|.md|.docx")
    imp.add_argument("--out", type=Path, required=True, metavar="seeds/<slug>")
    imp.add_argument("--force", action="store_true", help="replace an existing issue folder")
    for option in ("title", "subtitle", "publisher", "date", "slug"):
        imp.add_argument(f"--{option}", default=None)
    imp.set_defaults(run=_import)
    return parser


def _build(args: argparse.Namespace) -> int:
    from publish.build import build, build_issues
    from publish.run.pools import runner_for

    if not args.quiet:
        _show_progress()
    folders = issue_folders(args.issues or [DEFAULT_ISSUE])
    options = (args.edition, args.format, args.strict, args.force)
    with runner_for(args.cluster) as runner:
        if len(folders) == 1:  # one issue: its error is the command's, as it always was
            report = build(
                folders[0],
                args.out,
                editions=args.edition,
                formats=args.format,
                strict=args.strict,
                force=args.force,
                runner=runner,
            )
        else:
            report = build_issues(folders, args.out, *options, runner=runner)
    for line in grouped(report.warnings):
        _say(f"warning: {line}")
    print(f"{'output':<44} {'pages':>5} {'size':>9} {'seconds':>7}")
    for w in report.written:
        unit = "pages" if w.path.suffix == ".pdf" else "docs"
        print(f"{str(w.path):<44} {w.pages:>5} {_size(w.size):>9} {w.seconds:>7.1f}  ({unit})")
    for folder, error in report.failed:
        findings = getattr(error, "findings", ())
        if findings:
            _say(f"{folder}: not built; {error.category}: {len(findings)} problem(s), fix them:")
            for finding in findings:
                _say(f"  {finding}")
        else:
            _say(f"{folder}: not built; {error.category}: {error}")
    if report.failed:
        count = len(report.failed)
        _say(f"build: {count} of {len(folders)} issues failed; the others are written")
    return max((error.exit_code for _, error in report.failed), default=0)


def issue_folders(given: Sequence[Path]) -> list[Path]:
    """The issue folders named: each one, or the subfolders (with a publish.yaml) of a folder
    that holds issues rather than being one."""
    found: list[Path] = []
    for folder in given:
        inside = sorted(p.parent for p in folder.glob("*/publish.yaml"))
        if folder.is_dir() and not (folder / "publish.yaml").exists() and inside:
            found += inside
        else:
            found.append(folder)
    return list(dict.fromkeys(found))


def _loop_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("issue", nargs="?", type=Path, default=DEFAULT_ISSUE, metavar="ISSUE_DIR")
    command.add_argument("--edition", action="append", default=[], metavar="E")
    command.add_argument("--format", action="append", default=[], choices=["pdf", "epub"])
    command.add_argument("--out", type=Path, default=Path("dist"), metavar="DIR")


def _loop(args: argparse.Namespace):
    from publish.serve.watch import BuildOptions

    return BuildOptions(args.out, tuple(args.edition), tuple(args.format))


def _watch(args: argparse.Namespace) -> int:
    from publish.serve.watch import watch

    return watch(args.issue, _loop(args), _say)


def _preview(args: argparse.Namespace) -> int:
    from publish.serve.preview import preview

    return preview(args.issue, _loop(args), args.port, _say)


def _check(args: argparse.Namespace) -> int:
    from publish.source.reader import read_issue

    issue = read_issue(args.issue)
    from publish.importer.preflight import check_issue

    findings = check_issue(issue)
    for finding in findings:
        print(finding)
    count = len(issue.articles)
    print(f"check: {count} articles, {len(findings)} finding{'s' * (len(findings) != 1)}")
    return 1 if findings else 0


def _import(args: argparse.Namespace) -> int:
    from publish.importer.folder import REPORT, import_file
    from publish.importer.preflight import check_issue

    options = {k: getattr(args, k) for k in ("title", "subtitle", "publisher", "date", "slug")}
    imported = import_file(args.raw, args.out, force=args.force, **_given(options))
    issue = imported.issue
    print(imported.report, end="")
    print(f"(this report is also in {args.out / REPORT})\n")
    findings = check_issue(issue)
    for finding in findings:
        print(finding)
    print(
        f"imported {len(issue.articles)} articles into {args.out}; "
        f"preflight: {len(findings)} finding{'s' * (len(findings) != 1)} for the editor"
    )
    return 0


def _given(options: dict[str, str | None]) -> dict[str, str]:
    return {k: v for k, v in options.items() if v is not None}


class _ProgressLines(logging.Handler):
    """Writes progress to the stderr of the moment (worker processes inherit it)."""

    def emit(self, record: logging.LogRecord) -> None:
        _say(f"publish: {record.getMessage()}")


def _show_progress() -> None:
    """Progress lines of the build, and of its worker processes, on stderr."""
    logger = logging.getLogger("publish.progress")
    if not any(isinstance(h, _ProgressLines) for h in logger.handlers):
        logger.addHandler(_ProgressLines())
    logger.setLevel(logging.INFO)
    logger.propagate = False


def _size(size: int) -> str:
    return f"{size / 1_048_576:.1f} MB" if size >= 1_048_576 else f"{size / 1024:.0f} KB"


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
