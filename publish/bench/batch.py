"""The bench's batch cases: six copies of the default issue built one by one and in one build,
and in one build with a broken seventh issue."""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

from publish.bench.measure import Case, build_case, fastest, measure

RUNS = 2
"""Runs of the loop and of the batch of six; the faster of each counts."""


def run_batch(out: Path, issues: list[Path]) -> int:
    """Child: several issues in one build, printing what it wrote and what failed as JSON."""
    from publish.build import build_issues

    report = build_issues(issues, out, force=True)
    written = [
        {"path": str(w.path), "pages": w.pages, "seconds": w.seconds} for w in report.written
    ]
    failed = [f"{folder}: {error}" for folder, error in report.failed]
    print(json.dumps({"written": written, "failed": failed}, ensure_ascii=False))
    return 2 if failed else 0


def issue_copies(source: Path, count: int, root: Path) -> list[Path]:
    """`count` copies of an issue, each with a slug of its own (copy1, copy2, ...)."""
    made = []
    for number in range(1, count + 1):
        target = root / f"copy{number}"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(source, target)
        config = (target / "publish.yaml").read_text(encoding="utf-8")
        config = re.sub(r"(?m)^slug:.*$", f"slug: copy{number}", config)
        (target / "publish.yaml").write_text(config, encoding="utf-8")
        made.append(target)
    return made


def broken_issue(source: Path, target: Path) -> Path:
    """A copy of an issue whose first article's front matter does not parse."""
    (broken,) = issue_copies(source, 1, target.parent / "broken-tmp")
    shutil.rmtree(target, ignore_errors=True)
    broken.rename(target)
    first = sorted((target / "articles").glob("*.md"))[0]
    first.write_text("---\ntitle: [unclosed\n---\n正文。\n", encoding="utf-8")
    return target


def loop_case(issues: list[Path], out: Path, cache: Path) -> Case:
    """Each issue built alone, one cold process after the other (a shell loop); `cache`: the
    user cache folder, emptied before each build so that none reuses another's layout."""
    case = Case("loop-6", f"{len(issues)} copies of the default issue, one build each")
    for issue in issues:
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)
        one = build_case("one", "", issue, out, [], cache)
        case.seconds = round(case.seconds + one.seconds, 2)
        case.cpu_seconds = round(case.cpu_seconds + one.cpu_seconds, 2)
        case.pages += one.pages
        case.peak_pss_mb, case.peak_rss_mb = max(case.peak_pss_mb, one.peak_pss_mb), one.peak_rss_mb
        case.processes, case.load = max(case.processes, one.processes), one.load
        case.steal_seconds = round(case.steal_seconds + one.steal_seconds, 1)
    return case


def batch_case(name: str, what: str, issues: list[Path], out: Path, cache: Path) -> Case:
    """Several issues in one build, in a cold process (exit 2 when one of them is broken), with
    `cache`, emptied first, as its user cache folder."""
    case = Case(name, what)
    argv = [sys.executable, "-m", "publish.bench", "--batch", str(out), *map(str, issues)]
    shutil.rmtree(cache, ignore_errors=True)
    output = measure(case, argv, allowed=(0, 2), cache=cache)
    result = json.loads(output.strip().splitlines()[-1])
    case.outputs = result["written"] + [{"failed": f} for f in result["failed"]]
    case.pages = sum(o["pages"] for o in result["written"] if o["path"].endswith(".pdf"))
    return case


def batch_cases(source: Path, scratch: Path) -> list[Case]:
    """Six copies of an issue (`source`): a loop of single builds, one batch, one batch with a
    broken seventh issue."""
    copies = issue_copies(source, 6, scratch / "copies")
    what = "6 copies of the default issue in one build"
    loops, batches = [], []
    for _ in range(RUNS):  # interleaved: a slow spell of the shared machine hits both
        loops.append(loop_case(copies, scratch / "dist-loop", scratch / "cache-loop"))
        batch = batch_case("batch-6", what, copies, scratch / "dist-batch", scratch / "cache-batch")
        batches.append(batch)
    loop, batch = fastest(loops), fastest(batches)
    broken = broken_issue(source, scratch / "copies" / "broken")
    what = "the same 6 and a broken 7th in one build"
    seven = batch_case(
        "batch-7", what, [*copies, broken], scratch / "dist-seven", scratch / "cache-seven"
    )
    return [loop, batch, seven]
