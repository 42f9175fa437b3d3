"""`make bench`: build times, pages per second and peak memory against naive WeasyPrint renders.

Every case runs in a fresh child process (cold: imports, fonts, templates) while this process
samples the memory of the child and all its descendants every half second. Peak memory is the
largest sum over those processes of their PSS (proportional set size: a page shared by n
processes counts 1/n in each), so forked workers are not charged twice for the same fonts and
libraries; the RSS sum is reported too. Targets are ratios within one run, because the machine
is shared and noisy.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import shutil
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path

from publish.bench.batch import batch_cases, run_batch
from publish.bench.measure import ROOT, Case, build_case, fastest, measure, pdf_pages

RAW_SEED = ROOT.parent / "shared" / "seeds" / "000_c3f0de2d3a24f95b.txt"
DEFAULT_ISSUE = ROOT / "seeds" / "jiyang-2020"

NAIVE_CSS = """
@page { size: A4; margin: 22mm 18mm; @bottom-center { content: counter(page) } }
html { font-family: "Noto Serif CJK SC"; font-size: 10.5pt; line-height: 1.75; }
article { break-before: page; } h1 { font-family: "Noto Sans CJK SC"; font-size: 21pt; }
.body { columns: 2; column-gap: 8mm; } p { margin: 0; text-indent: 2em; text-align: justify; }
"""
"""The naive reference: the raw seed as it comes, two columns, Noto Serif CJK, no typesetting."""


def raw_articles(raw: str) -> list[tuple[str, str, list[str]]]:
    """(headline, speaker line, paragraphs) of each article of the raw seed, as written."""
    articles: list[tuple[str, str, list[str]]] = []
    for line in raw.splitlines():
        if line.startswith("# "):
            articles.append((line[2:], "", []))
        elif articles and line.startswith("### "):
            articles[-1] = (articles[-1][0], line[4:], articles[-1][2])
        elif articles and line.strip():
            articles[-1][2].append(line.strip())
    return articles


def naive_html(raw: str, repeat: int) -> str:
    """The raw seed's articles, `repeat` times over, as the plainest two-column HTML."""
    parts = []
    for title, speaker, paragraphs in raw_articles(raw) * repeat:
        body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
        parts.append(
            f"<article><h1>{html.escape(title)}</h1><h2>{html.escape(speaker)}</h2>"
            f'<div class="body">{body}</div></article>'
        )
    return f'<html lang="zh-Hans"><style>{NAIVE_CSS}</style><body>{"".join(parts)}</body></html>'


def run_naive(repeat: int, target: Path) -> None:
    """Child: WeasyPrint alone, one process, one PDF."""
    import weasyprint

    raw = RAW_SEED.read_text(encoding="utf-8")
    weasyprint.HTML(string=naive_html(raw, repeat)).write_pdf(target)


def run_build(issue: Path, out: Path, editions: list[str], force: bool) -> None:
    """Child: the real build, printing what it wrote as JSON on the last line."""
    from publish.build import build

    report = build(issue, out, editions=editions, force=force)
    written = [
        {"path": str(w.path), "pages": w.pages, "seconds": w.seconds} for w in report.written
    ]
    print(json.dumps(written))


def repeated_issue(source: Path, times: int, target: Path, edition: str) -> Path:
    """A copy of an issue whose articles are repeated `times` times, for one edition."""
    shutil.rmtree(target, ignore_errors=True)
    (target / "articles").mkdir(parents=True)
    config = (source / "publish.yaml").read_text(encoding="utf-8")
    config = re.sub(r"(?m)^editions:.*$", f"editions: [{edition}]", config)
    config = re.sub(r"(?m)^slug:.*$", f"slug: x{times}", config)
    (target / "publish.yaml").write_text(config, encoding="utf-8")
    for copy in range(times):
        for article in sorted((source / "articles").glob("*.md")):
            shutil.copy(article, target / "articles" / f"{copy:04d}-{article.name}")
    return target


"""Seconds between memory samples. Reading a process's PSS walks its page tables (~12 ms a
sample of a chunked build): every 0.2 s that took 6% of a core from a build using both cores
(the naive render leaves one idle for it); every 0.5 s it costs ~2%, and a layout process lives
several seconds, so its peak is still seen."""


def naive_case(repeat: int, scratch: Path) -> Case:
    """The seed, `repeat` times over, set the naive way."""
    case = Case(f"naive-{repeat}x", f"raw seed x{repeat}, WeasyPrint alone, one PDF, 2 columns")
    target = scratch / f"naive-{repeat}.pdf"
    measure(case, [sys.executable, "-m", "publish.bench", "--naive", str(repeat), str(target)])
    case.pages = pdf_pages(target)
    return case


def rebuild_case(issue: Path, out: Path, cache: Path) -> Case:
    """The default issue built again; once more if a file of the tree changed in between."""
    what = "default issue again, nothing changed"
    case = build_case("rebuild", what, issue, out, [], cache)
    if any(o["seconds"] for o in case.outputs):  # someone edited the tree during the build
        what = f"{what} (2nd try: the tree changed)"
        case = build_case("rebuild", what, issue, out, [], cache)
    return case


EDIT = "（本报记者补记：数据已更新。）"
"""The sentence an edit case adds to the end of one article's last paragraph."""


def edit_one_article(issue: Path) -> str:
    """Edit the body of the article in the middle of the issue, as an editor would; its name."""
    articles = sorted((issue / "articles").glob("*.md"))
    article = articles[len(articles) // 2]
    article.write_text(article.read_text(encoding="utf-8").rstrip() + EDIT + "\n", "utf-8")
    return article.name


def edit_case(name: str, issue: Path, out: Path, cache: Path) -> Case:
    """One article edited, then the issue built again with the caches its cold build left."""
    edited = edit_one_article(issue)
    what = f"{issue.name}: {edited} edited, built again"
    return build_case(name, what, issue, out, [], cache)


def run_cases(scratch: Path, quick: bool) -> list[Case]:
    """Every case, references first. Each cold build has a user cache folder of its own, so
    neither its rebuild record nor its layout cache has seen the issue."""
    default = scratch / DEFAULT_ISSUE.name  # a copy: the edit case must not touch the seeds
    shutil.copytree(DEFAULT_ISSUE, default)
    what = "default issue, full build (2 ed. x PDF+EPUB)"
    colds, naives = [], []
    for run in range(SMALL_RUNS):  # interleaved, as the 1,000-article runs below
        naives.append(naive_case(1, scratch))
        out, cache = scratch / f"dist-default-{run}", scratch / f"cache-default-{run}"
        colds.append(build_case("default", what, default, out, [], cache))
    run = colds.index(fastest(colds))  # its rebuild record and layout cache serve the next two
    out, cache = scratch / f"dist-default-{run}", scratch / f"cache-default-{run}"
    cases = [fastest(naives), colds[run], rebuild_case(default, out, cache)]
    cases.append(edit_case("edit-default", default, out, cache))
    issue = repeated_issue(DEFAULT_ISSUE, 10, scratch / "x10", "zh-Hans")
    what = "default issue's articles x10, zh-Hans, PDF+EPUB"
    cases.append(build_case("issue-10x", what, issue, out, [], scratch / "cache-10x"))
    cases += batch_cases(DEFAULT_ISSUE, scratch)
    if quick:
        return cases
    issue = repeated_issue(DEFAULT_ISSUE, 100, scratch / "x100", "zh-Hans")
    what = "default issue's articles x100, zh-Hans, PDF+EPUB"
    builds, naives = [], []
    for run in range(BIG_RUNS):  # interleaved: a slow spell of the machine hits both
        caches = scratch / f"cache-{run}"
        builds.append(build_case("issue-100x", what, issue, scratch / f"dist-{run}", [], caches))
        naives.append(naive_case(100, scratch))
    run = builds.index(fastest(builds))
    edit = edit_case("edit-100x", issue, scratch / f"dist-{run}", scratch / f"cache-{run}")
    return [*cases, builds[run], fastest(naives), edit]


BIG_RUNS = 2
"""Runs of the 1,000-article build and of the naive x100 render; the faster of each counts."""
SMALL_RUNS = 3
"""Runs of the default issue's cold build and of the naive render: one run of each, a few
seconds, swung the ratio between 1.47 and 1.82 on one morning; the fastest of three swings less."""


def targets(cases: dict[str, Case]) -> list[dict]:
    """Each target of issue 8 (the figure, its limit, whether met), then CPU-time context."""
    rows = []

    def add(what: str, value: float, limit: float | None) -> None:
        met = None if limit is None else value <= limit
        # three places: a ratio of 0.6006 is shown as a miss, not as "0.6 <= 0.6"
        rows.append({"target": what, "value": round(value, 3), "limit": limit, "met": met})

    def ratio(name: str, reference: str, attribute: str = "seconds") -> float:
        return getattr(cases[name], attribute) / max(getattr(cases[reference], attribute), 0.01)

    add("default build / naive 1x", ratio("default", "naive-1x"), 1.5)
    add("rebuild, nothing changed (s)", cases["rebuild"].seconds, 0.5)
    add("one-article edit / cold, default issue", ratio("edit-default", "default"), 0.5)
    add("batch of 6 issues / loop of 6 builds", ratio("batch-6", "loop-6"), 0.7)
    seven = cases["batch-7"].outputs
    written = {Path(o["path"]).name.split("-")[0] for o in seven if "path" in o}
    failed = [o["failed"] for o in seven if "failed" in o]
    whole = len(written) == 6 and len(failed) == 1 and "broken" in failed[0]
    rows.append(
        {
            "target": "batch of 7, one broken: issues written",
            "value": len(written),
            "limit": 6,
            "met": whole,
        }
    )
    big = "issue-100x" in cases and "naive-100x" in cases
    if big:
        add("1,000 articles / naive 100x", ratio("issue-100x", "naive-100x"), 0.6)
        add("one-article edit / cold, 1,000 articles", ratio("edit-100x", "issue-100x"), 0.05)
        add("1,000 articles peak PSS, all processes (MB)", cases["issue-100x"].peak_pss_mb, 800)
        per_page = [
            cases[n].cpu_seconds / max(cases[n].pages, 1) for n in ("issue-10x", "issue-100x")
        ]
        add("CPU s/page at 1,000 articles / at 100", per_page[1] / per_page[0], 1.2)
    # CPU time is what a quiet machine would turn into wall time; others' load does not move it
    add(
        "(context) CPU: default build / naive 1x", ratio("default", "naive-1x", "cpu_seconds"), None
    )
    add("(context) CPU: batch of 6 / loop of 6", ratio("batch-6", "loop-6", "cpu_seconds"), None)
    if big:
        add(
            "(context) CPU: 1,000 / naive 100x",
            ratio("issue-100x", "naive-100x", "cpu_seconds"),
            None,
        )
    return rows


def table(cases: list[Case], rows: list[dict]) -> str:
    """The figures as a plain-text table."""
    head = f"{'case':<12} {'s':>7} {'cpu s':>7} {'pages':>6} {'p/s':>6} {'PSS MB':>7} {'RSS MB':>7}"
    lines = [f"{head} {'proc':>4} {'load':>4} {'steal':>5}  what"]
    for c in cases:
        lines.append(
            f"{c.name:<12} {c.seconds:>7.2f} {c.cpu_seconds:>7.2f} {c.pages:>6} "
            f"{c.pages_per_second:>6.1f} {c.peak_pss_mb:>7.0f} {c.peak_rss_mb:>7.0f} "
            f"{c.processes:>4} {c.load:>4} {c.steal_seconds:>5.1f}  {c.what}"
        )
    lines.append("")
    for row in rows:
        mark = {True: "ok  ", False: "MISS", None: "    "}[row["met"]]
        limit = f"<= {row['limit']}" if row["limit"] is not None else ""
        lines.append(f"{mark} {row['target']:<45} {row['value']:>8} {limit}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark (or, internally, one child case)."""
    parser = argparse.ArgumentParser(prog="python -m publish.bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="skip the 1,000-article cases")
    parser.add_argument("--json", type=Path, default=ROOT / "dist" / "bench.json")
    parser.add_argument("--naive", nargs=2, metavar=("REPEAT", "PDF"), help=argparse.SUPPRESS)
    parser.add_argument("--build", nargs="+", metavar="ARG", help=argparse.SUPPRESS)
    parser.add_argument("--batch", nargs="+", metavar="ARG", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.naive:
        run_naive(int(args.naive[0]), Path(args.naive[1]))
        return 0
    if args.batch:
        return run_batch(Path(args.batch[0]), [Path(p) for p in args.batch[1:]])
    if args.build:
        run_build(Path(args.build[0]), Path(args.build[1]), args.build[2:], force=False)
        return 0
    with tempfile.TemporaryDirectory(prefix="publish-bench-") as scratch:
        cases = run_cases(Path(scratch), args.quick)
    rows = targets({c.name: c for c in cases})
    print(table(cases, rows))
    report = {"cpus": os.cpu_count(), "cases": [asdict(c) for c in cases], "targets": rows}
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 1 if any(row["met"] is False for row in rows) else 0
