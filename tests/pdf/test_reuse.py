"""Layout reuse: after an edit only the edited articles' chunks are laid out again, and the book
is the one a forced build gives, page by page (text with folios, running heads and TOC numbers,
outline, destinations, links); an entry not to be trusted is laid out again, with one warning."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from publish.bench import EDIT, repeated_issue
from publish.build import build
from publish.pdf import schedule
from publish.run.forkpool import ForkPool
from publish.run.layoutcache import cache_folder
from publish.run.logs import grouped
from tests.conftest import DEFAULT_ISSUE
from tests.pdf.pdfsummary import pdf_summary

pytestmark = pytest.mark.slow

MORE = (
    "\n\n"
    + "区委、区政府在疫情防控关键时期，组织召开全区三级干部大会，部署全年重点工作。" * 30
    + "\n"
)
"""A paragraph long enough to add a page to an article."""


@pytest.fixture
def layout_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A layout cache of the test's own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return cache_folder()


def grow(article: Path) -> None:
    article.write_text(article.read_text("utf-8") + MORE, "utf-8")


def same_books(out: Path, forced: Path, names: list[str]) -> None:
    for name in names:
        if name.endswith(".pdf"):
            assert pdf_summary(out / name) == pdf_summary(forced / name), name
        else:
            assert (out / name).read_bytes() == (forced / name).read_bytes(), name


@pytest.mark.parametrize("specimens_from", [0, 100], ids=["numbers-made", "numbers-set"])
def test_a_long_issue_edited_in_a_headline_and_a_body_gives_the_forced_book(
    layout_home, tmp_path, monkeypatch, specimens_from
):
    # folios and TOC numbers made from specimens as from 100 articles on, or all set by WeasyPrint
    monkeypatch.setattr(schedule, "SPECIMENS_FROM", specimens_from)
    issue = repeated_issue(DEFAULT_ISSUE, 6, tmp_path / "long", "zh-Hans")
    out, forced = tmp_path / "out", tmp_path / "forced"
    pdf = "x6-zh-Hans.pdf"
    build(issue, out, formats=["pdf"])
    articles = sorted((issue / "articles").glob("*.md"))
    grow(articles[33])
    headline = articles[47].read_text("utf-8").replace("title: ", "title: 新", 1)
    articles[47].write_text(headline, "utf-8")  # the TOC and the cover change too
    again = build(issue, out, formats=["pdf"])
    # chunks of ten articles: the two edited ones are laid out again, no other
    assert sorted(again.laid_out[pdf]) == [articles[33].stem, articles[47].stem]
    build(issue, forced, formats=["pdf"], force=True)
    same_books(out, forced, [pdf])


def test_an_article_grown_by_a_page_mid_chunk_is_laid_out_alone_and_looks_as_forced(
    layout_home, tmp_path
):
    issue = repeated_issue(DEFAULT_ISSUE, 6, tmp_path / "long", "zh-Hans")
    out, forced = tmp_path / "out", tmp_path / "forced"
    pdf = "x6-zh-Hans.pdf"
    build(issue, out, formats=["pdf"])
    articles = sorted((issue / "articles").glob("*.md"))
    grow(articles[24])  # inside the chunk of articles 20-29: the pages after it move on by one
    again = build(issue, out, formats=["pdf"])
    assert again.laid_out[pdf] == (articles[24].stem,)
    assert len(list(layout_home.glob("??/*.ref"))) >= len(articles)  # one per article at least
    build(issue, forced, formats=["pdf"], force=True)
    same_books(out, forced, [pdf])
    for name, folder in (("edited", out), ("forced", forced)):
        command = ["pdftoppm", "-r", "40", "-png", str(folder / pdf), str(tmp_path / name)]
        subprocess.run(command, check=True)
    shots = sorted(tmp_path.glob("forced-*.png"))
    assert len(shots) > len(articles)
    for shot in shots:
        twin = tmp_path / shot.name.replace("forced", "edited")
        assert twin.read_bytes() == shot.read_bytes(), f"{shot.name} differs"


def test_an_edit_forks_a_process_only_for_the_chunk_it_lays_out(layout_home, tmp_path, monkeypatch):
    # TOC number overlays of two pages each: several, cut where the cold build cut them
    monkeypatch.setattr(schedule, "NUMBERS_PAGES", 2)
    forked: list[str] = []
    submit = ForkPool.submit

    def counted(pool: ForkPool, function, *args):
        if function.__name__ == "render_job":
            forked.append(Path(args[1]).stem)
        return submit(pool, function, *args)

    monkeypatch.setattr(ForkPool, "submit", counted)
    issue = repeated_issue(DEFAULT_ISSUE, 6, tmp_path / "long", "zh-Hans")
    out, forced = tmp_path / "out", tmp_path / "forced"
    pdf = "x6-zh-Hans.pdf"
    build(issue, out, formats=["pdf"])
    starts = sorted(int(name[len("numbers") :]) for name in forked if name.startswith("numbers"))
    assert len(starts) > 1 and starts == list(range(0, 2 * len(starts), 2)), forked  # fixed runs
    article = sorted((issue / "articles").glob("*.md"))[34]
    article.write_text(article.read_text("utf-8").rstrip() + EDIT + "\n", "utf-8")
    forked.clear()
    again = build(issue, out, formats=["pdf"])
    assert again.laid_out[pdf] == (article.stem,)
    # the cover, the TOC, the other chunks and every overlay are taken from the cache here
    assert forked == ["chunk3"]
    monkeypatch.undo()
    build(issue, forced, formats=["pdf"], force=True)
    same_books(out, forced, [pdf])


def test_a_damaged_entry_is_laid_out_again_with_one_warning_and_force_refills(
    layout_home, tmp_path
):
    issue = repeated_issue(DEFAULT_ISSUE, 6, tmp_path / "long", "zh-Hans")
    pdf = "x6-zh-Hans.pdf"
    cold = build(issue, tmp_path / "cold", formats=["pdf"])
    slugs = sorted(p.stem for p in (issue / "articles").glob("*.md"))
    assert sorted(cold.laid_out[pdf]) == slugs and not cold.warnings
    kept = sorted(layout_home.glob("??/*.pdf"))
    for entry in kept:  # every render's entry: one warning all the same
        entry.write_bytes(entry.read_bytes()[:-100])
    again = build(issue, tmp_path / "again", formats=["pdf"], strict=True)
    assert grouped(again.warnings) == [
        f"publish.run.layoutcache: layout cache {layout_home}: an entry is damaged or not "
        "written by this version of publish; ignored and removed, its pages laid out again"
    ]
    assert sorted(again.laid_out[pdf]) == slugs
    assert (tmp_path / "again" / pdf).read_bytes() == (tmp_path / "cold" / pdf).read_bytes()
    taken = build(issue, tmp_path / "taken", formats=["pdf"])
    assert taken.laid_out == {pdf: ()} and not taken.warnings  # the entries were written afresh
    forced = build(issue, tmp_path / "forced", formats=["pdf"], force=True)
    assert sorted(forced.laid_out[pdf]) == slugs
    assert (tmp_path / "forced" / pdf).read_bytes() == (tmp_path / "cold" / pdf).read_bytes()


def test_the_default_issue_edited_lays_out_one_article_and_gives_the_forced_books(
    layout_home, tmp_path
):
    issue = tmp_path / "issue"
    shutil.copytree(DEFAULT_ISSUE, issue)
    out, forced = tmp_path / "out", tmp_path / "forced"
    cold = build(issue, out)
    articles = sorted((issue / "articles").glob("*.md"))
    pdfs = [f"jiyang-2020-{tag}.pdf" for tag in ("zh-Hans", "zh-Hant-TW")]
    assert {pdf: sorted(cold.laid_out[pdf]) for pdf in pdfs} == {
        pdf: [p.stem for p in articles] for pdf in pdfs
    }
    pages = {w.path.name: w.pages for w in cold.written}
    grow(articles[4])  # a page more: every page after it moves, the TOC's numbers change
    again = build(issue, out)
    # one chunk, made of its articles' pages: the edited one laid out alone
    assert {pdf: sorted(again.laid_out[pdf]) for pdf in pdfs} == {
        pdf: [articles[4].stem] for pdf in pdfs
    }
    assert all(w.pages == pages[w.path.name] + 1 for w in again.written if w.path.suffix == ".pdf")
    build(issue, forced, force=True)
    same_books(out, forced, [*pdfs, *(pdf.replace(".pdf", ".epub") for pdf in pdfs)])
