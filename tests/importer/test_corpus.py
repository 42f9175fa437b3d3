"""The importer on real pastes gathered from 20 publishers: measured against what an editor
reads in each (the expectation files were written before the inference)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from publish.importer.folder import REPORT, import_file
from publish.importer.preflight import check_issue
from tests.importer.corpus import HELDOUT, REAL, entries, measure, table
from tests.importer.test_import_properties import assert_text_kept

ALL = [(REAL, e) for e in entries(REAL)] + [(HELDOUT, e) for e in entries(HELDOUT)]


def test_the_corpus_is_what_the_issue_asks_for():
    corpus = entries(REAL)
    regions = Counter(e["region"].split()[0] for e in corpus)
    assert len(corpus) >= 15
    assert len({e["publisher"].split()[0] for e in corpus}) >= 6
    assert regions["mainland"] and regions["Taiwan"] and regions["Hong"]
    assert {e["kind"] for e in corpus} == {"qa", "narrative"}
    assert {len(e["speakers"]) for e in corpus} >= {1, 2}


def test_nine_in_ten_real_pastes_are_read_right():
    rows = [measure(REAL, e) for e in entries(REAL)]
    assert sum(r.right for r in rows) >= 0.9 * len(rows), table(rows)


def test_held_out_pastes_do_not_fall_back():
    # measured after tuning on REAL: 1 of 8 right before the generic rules they showed missing,
    # 6 of 8 after; this keeps what was won
    rows = [measure(HELDOUT, e) for e in entries(HELDOUT)]
    assert sum(r.right for r in rows) >= 6, table(rows)


@pytest.mark.parametrize(("folder", "entry"), ALL, ids=[e["file"] for _, e in ALL])
def test_each_paste_imports_whole(tmp_path: Path, folder: Path, entry: dict):
    raw = folder / entry["file"]
    imported = import_file(raw, tmp_path / "issue")
    assert_text_kept(raw.read_text("utf-8"), imported.issue)
    check_issue(imported.issue)  # the copy desk runs on what was imported
    report = (tmp_path / "issue" / REPORT).read_text("utf-8")
    assert report == imported.report
    for article in imported.issue.articles:
        assert all(speaker.name in report for speaker in article.speakers)
    language = (tmp_path / "issue" / "publish.yaml").read_text("utf-8")
    assert f"language: {entry['language']}" in language or entry["file"] in {
        "03-mirror-yangzhiqiang.txt",  # no regional word in the excerpt: zh-Hant, not -TW
        "06-ubeat-mianbao.txt",
    }


def test_a_hong_kong_transcripts_short_labels_are_turns(tmp_path: Path):
    """明報月刊's 倪匡（下稱「倪」）﹕ … 倪： — the small colon made full-width on import, and the
    short forms the first labels name open turns when the body is set."""
    from publish.text.markup import body_html

    imported = import_file(REAL / "08-mingpao-nikuang.txt", tmp_path / "issue")
    (article,) = imported.issue.articles
    assert "﹕" not in article.body and "倪匡（下稱「倪」）：" in article.body
    html = str(body_html(article.body, names=[s.name for s in article.speakers]))
    labels = [line.split("</strong>")[0] for line in html.split('<strong class="label">')[1:]]
    assert labels == ["潘耀明（下稱「潘」）：", "倪匡（下稱「倪」）：", "潘：", "倪："]
