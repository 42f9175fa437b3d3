"""The layout cache: entries found by key, unsound ones ignored and removed, the oldest evicted."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from publish.run.layoutcache import LayoutCache, digest

REPORT = {"pages": 2, "anchors": [["01-a", 0, 1.5, 2.5]]}


@pytest.fixture
def cache(tmp_path: Path) -> LayoutCache:
    return LayoutCache(tmp_path / "layout")


def pdf(tmp_path: Path, text: str) -> Path:
    path = tmp_path / f"{digest(text)[:8]}.pdf"
    path.write_bytes(f"%PDF-1.7 {text}".encode())
    return path


def test_an_entry_comes_back_with_its_report_and_pdf(cache, tmp_path):
    key = digest("html of chunk 1")
    cache.put(key, pdf(tmp_path, "one"), REPORT)
    out = tmp_path / "taken.pdf"
    assert cache.take(key, out) == REPORT
    assert out.read_bytes() == b"%PDF-1.7 one"
    assert cache.take(digest("html of chunk 2"), tmp_path / "none.pdf") is None
    assert not (tmp_path / "none.pdf").exists()


def test_keys_keep_their_parts_apart():
    assert digest("ab", "c") != digest("a", "bc")


def test_a_forced_build_writes_entries_but_takes_none(cache, tmp_path):
    key = digest("x")
    LayoutCache(cache.folder, read=False).put(key, pdf(tmp_path, "x"), REPORT)
    assert LayoutCache(cache.folder, read=False).take(key, tmp_path / "o.pdf") is None
    assert cache.take(key, tmp_path / "o.pdf") == REPORT


@pytest.mark.parametrize(
    "spoil",
    [
        lambda pdf, record: pdf.write_bytes(b"%PDF-1.7 cut sh"),  # not the PDF recorded
        lambda pdf, record: pdf.unlink(),
        lambda pdf, record: record.write_text("{half a rec", "utf-8"),
        lambda pdf, record: record.write_text(
            json.dumps({**json.loads(record.read_text("utf-8")), "format": 99}), "utf-8"
        ),
        lambda pdf, record: record.write_text(
            json.dumps({**json.loads(record.read_text("utf-8")), "key": "0" * 64}), "utf-8"
        ),
        lambda pdf, record: record.write_text("[1, 2, 3]", "utf-8"),
    ],
    ids=["pdf-changed", "pdf-gone", "record-cut", "other-format", "other-key", "not-a-record"],
)
def test_a_corrupt_or_foreign_entry_is_ignored_and_removed(cache, tmp_path, spoil):
    key = digest("chunk")
    cache.put(key, pdf(tmp_path, "good"), REPORT)
    entry = cache.folder / key[:2] / key
    spoil(entry.with_suffix(".pdf"), entry.with_suffix(".json"))
    out = tmp_path / "out.pdf"
    assert cache.take(key, out) is None
    assert not out.exists()
    assert not entry.with_suffix(".json").exists()


def test_the_least_recently_used_entries_go_first(cache, tmp_path):
    keys = [digest(str(n)) for n in range(4)]
    for age, key in enumerate(keys):
        cache.put(key, pdf(tmp_path, f"page{age}" * 100), REPORT)
        record = cache.folder / key[:2] / f"{key}.json"
        os.utime(record, ns=(age * 10**9, age * 10**9))
    assert cache.take(keys[0], tmp_path / "used.pdf") == REPORT  # now the most recent
    sizes = [sum(p.stat().st_size for p in cache.folder.glob(f"??/{k}.*")) for k in keys]
    removed = cache.trim(limit=sizes[0] + sizes[3] + 1)
    assert removed == sizes[1] + sizes[2]
    kept = sorted(p.stem for p in cache.folder.glob("??/*.json"))
    assert kept == sorted([keys[0], keys[3]])


def test_a_cache_that_cannot_be_written_costs_only_time(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    cache = LayoutCache(blocker / "layout")
    cache.put(digest("x"), pdf(tmp_path, "x"), REPORT)
    assert cache.take(digest("x"), tmp_path / "o.pdf") is None


def test_a_reference_names_pages_of_an_entry_until_the_entry_goes(cache, tmp_path):
    entry, key = digest("chunk of articles 1-40"), digest("article 7")
    cache.put(entry, pdf(tmp_path, "chunk"), REPORT)
    cache.put_ref(key, {"entry": entry, "first": 6, "count": 2})
    assert cache.take_ref(key) == {"entry": entry, "first": 6, "count": 2}
    assert cache.take_ref(digest("article 8")) is None
    assert LayoutCache(cache.folder, read=False).take_ref(key) is None  # --force
    cache.trim()
    assert cache.take_ref(key) is not None  # its entry is still there
    cache.trim(limit=0)  # the entry is evicted: the reference goes with it
    assert cache.take_ref(key) is None and not any(cache.folder.glob("??/*.ref"))


def test_a_foreign_reference_is_not_taken(cache):
    key = digest("article 7")
    cache.put_ref(key, {"entry": digest("chunk"), "first": 0, "count": 1})
    path = next(cache.folder.glob("??/*.ref"))
    path.write_text(json.dumps({"format": 0, "key": key, "ref": {}}), "utf-8")
    assert cache.take_ref(key) is None
    path.write_text("{cut sho", "utf-8")
    assert cache.take_ref(key) is None
