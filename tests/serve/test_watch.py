"""`publish watch`: a build after every save, failures that keep the last good outputs, Ctrl-C."""

from __future__ import annotations

import queue
import signal
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import watchfiles

from publish.model import Written
from publish.serve.watch import BuildOptions, Rebuild, changed_names, describe, watch

WAIT = 300
"""Seconds to wait for a line of the loop before the test gives up (a hang, not a timing)."""


def heed_ctrl_c() -> None:
    """In the child: SIGINT as a terminal gives it, even when the tests run where it is ignored
    (a background job inherits SIG_IGN, and Python then never raises KeyboardInterrupt)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Loop:
    """A `publish watch` child process whose lines are read as they come."""

    def __init__(self, *argv: str) -> None:
        command = [sys.executable, "-m", "publish", "watch", *argv]
        self.child = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            preexec_fn=heed_ctrl_c,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        for line in self.child.stdout:
            self.lines.put(line.rstrip("\n"))

    def rest(self) -> list[str]:
        """Every line seen, once the process has ended."""
        self.reader.join(timeout=WAIT)
        while not self.lines.empty():
            self.seen.append(self.lines.get_nowait())
        return self.seen

    def until(self, start: str) -> list[str]:
        """The lines up to and including the first that starts with `start`."""
        got = []
        while True:
            line = self.lines.get(timeout=WAIT)
            got.append(line)
            self.seen.append(line)
            if line.startswith(start):
                return got


def epub_text(path: Path) -> str:
    with zipfile.ZipFile(path) as book:
        return "".join(book.read(n).decode() for n in book.namelist() if n.endswith(".xhtml"))


def test_watch_rebuilds_on_save_keeps_the_last_good_outputs_and_stops_on_ctrl_c(
    issue_dir, tmp_path
):
    out = tmp_path / "dist"
    book = out / "minimal-zh-Hans.epub"
    article = issue_dir / "articles" / "01-fan-yong.md"
    loop = Loop(str(issue_dir), "--out", str(out), "--edition", "zh-Hans", "--format", "epub")
    try:
        assert "wrote minimal-zh-Hans.epub" in loop.until("watch: #1 ")[-1]
        article.write_text(
            article.read_text("utf-8").replace("提升服务效能", "提升审批效能"), "utf-8"
        )
        line = loop.until("watch: #2 ")[-1]
        assert line.startswith("watch: #2 articles/01-fan-yong.md changed; ")
        assert "提升审批效能" in epub_text(book)
        good = book.read_bytes()

        (issue_dir / "articles" / "03-broken.md").write_text("---\ntitle: [\n---\n", "utf-8")
        failed = loop.until("watch: #3 ")
        failed += loop.until("    ")  # the finding under the error's head line
        assert "build failed, the last good outputs are kept:" in failed[0]
        assert f"{issue_dir}/articles/03-broken.md:3: invalid YAML" in failed[-1]
        assert book.read_bytes() == good
    finally:
        loop.child.send_signal(signal.SIGINT)
        code = loop.child.wait(timeout=WAIT)
    lines = loop.rest()
    assert code == 0
    assert lines[-1] == "watch: stopped; the outputs in place are those of the last good build"
    assert not any("Traceback" in line for line in lines)
    assert sorted(p.name for p in out.iterdir()) == ["minimal-zh-Hans.epub"]


def test_a_build_line_names_the_changes_the_articles_laid_out_and_the_outputs(tmp_path):
    pdf = Written(tmp_path / "x-zh-Hans.pdf", 4, 1000, 1.5)
    kept = Written(tmp_path / "x-zh-Hans.epub", 4, 1000, 0.0)
    result = Rebuild(2, ("articles/01-a.md",), 2.04, (pdf, kept), ("01-a", "02-b"))
    assert describe(result) == [
        "watch: #2 articles/01-a.md changed; laid out 2 article(s) again: 01-a, 02-b; "
        "wrote x-zh-Hans.pdf; 2.0 s"
    ]
    slugs = tuple(f"{n:02d}-a" for n in range(8))
    many = describe(Rebuild(3, (), 1.0, (pdf,), slugs))[0]
    assert "laid out 8 article(s) again: 00-a, 01-a, 02-a, 03-a, 04-a and 3 more;" in many


def test_a_failed_build_prints_its_message_under_one_head_line():
    result = Rebuild(4, ("publish.yaml",), 0.1, error=("config error: 1 problem", "  x:1: bad"))
    assert describe(result) == [
        "watch: #4 publish.yaml changed; build failed, the last good outputs are kept:",
        "  config error: 1 problem",
        "    x:1: bad",
    ]


def test_temporary_files_made_and_deleted_in_one_batch_are_not_named(issue_dir):
    article = issue_dir / "articles" / "01-fan-yong.md"
    temporary = issue_dir / "articles" / "sedX7Idk1"
    changes = {
        (watchfiles.Change.added, str(temporary)),
        (watchfiles.Change.deleted, str(temporary)),
        (watchfiles.Change.deleted, str(article)),  # an editor that writes a new file
        (watchfiles.Change.added, str(article)),
        (watchfiles.Change.deleted, str(issue_dir / "articles" / "02-zhang-ben-cai.md")),
    }
    names = changed_names(changes, issue_dir)
    assert names == ("articles/01-fan-yong.md", "articles/02-zhang-ben-cai.md")


def test_a_save_made_before_the_watcher_is_in_place_is_not_missed(issue_dir, tmp_path):
    """The first build runs before the watcher starts: a save made meanwhile still counts."""
    article = issue_dir / "articles" / "02-zhang-ben-cai.md"
    stop, results, lines = threading.Event(), [], []

    def on_build(result: Rebuild) -> None:
        results.append(result)
        if len(results) == 1:  # still before the watcher
            article.write_text(article.read_text("utf-8") + "\n补记。\n", "utf-8")
        else:
            stop.set()

    options = BuildOptions(tmp_path / "dist", ("zh-Hans",), ("epub",))
    give_up = threading.Timer(WAIT, stop.set)  # a missed save would otherwise wait for ever
    give_up.start()
    try:
        assert watch(issue_dir, options, lines.append, on_build=on_build, stop=stop) == 0
    finally:
        give_up.cancel()
    assert [r.changed for r in results] == [(), ("articles/02-zhang-ben-cai.md",)]
    assert all(r.ok for r in results)
    assert "补记。" in epub_text(tmp_path / "dist" / "minimal-zh-Hans.epub")
