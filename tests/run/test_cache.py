"""The rebuild cache: nothing changed → outputs reused untouched; any input changed → rebuilt."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from publish.build import build
from publish.model import Written
from publish.run import cache as cache_module
from publish.run.cache import RebuildCache, inputs_digest, output_key, record_file

ONE = {"editions": ["zh-Hans"], "formats": ["pdf"]}


def stamp(path: Path) -> tuple[int, int]:
    """Size and modification time: a rewritten file changes the latter."""
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


@pytest.fixture
def built(issue_dir: Path, tmp_path: Path) -> tuple[Path, Path, Path]:
    """The minimal issue built once: (issue folder, out folder, the PDF)."""
    out = tmp_path / "out"
    report = build(issue_dir, out, **ONE)
    (pdf,) = [w.path for w in report.written]
    return issue_dir, out, pdf


@pytest.mark.slow
def test_nothing_changed_reuses_the_output_untouched(built):
    issue, out, pdf = built
    before = stamp(pdf)
    report = build(issue, out, **ONE)
    assert [(w.path, w.seconds) for w in report.written] == [(pdf, 0.0)]
    assert report.written[0].pages == len(PdfReader(pdf).pages)
    assert stamp(pdf) == before
    assert sorted(p.name for p in out.iterdir()) == [pdf.name]


@pytest.mark.slow
def test_an_edited_article_is_rebuilt(built):
    issue, out, pdf = built
    article = sorted((issue / "articles").glob("*.md"))[0]
    article.write_text(article.read_text(encoding="utf-8") + "\n新增一段。\n", encoding="utf-8")
    report = build(issue, out, **ONE)
    assert report.written[0].seconds > 0
    assert "新增一段" in "".join(page.extract_text() for page in PdfReader(pdf).pages)


@pytest.mark.slow
def test_force_and_a_touched_output_rebuild(built):
    issue, out, pdf = built
    before = stamp(pdf)
    assert build(issue, out, force=True, **ONE).written[0].seconds > 0
    assert stamp(pdf) != before
    pdf.write_bytes(b"not the PDF we wrote")
    build(issue, out, **ONE)
    assert PdfReader(pdf).pages


@pytest.mark.slow
def test_a_strict_build_is_not_served_from_a_lenient_one(built):
    issue, out, _ = built
    assert build(issue, out, strict=True, **ONE).written[0].seconds > 0


def test_the_digest_follows_config_articles_and_the_issue_layouts(issue_dir: Path):
    first = inputs_digest(issue_dir)
    assert inputs_digest(issue_dir) == first
    own = issue_dir / "layouts" / "special-issue"
    own.mkdir(parents=True)
    (own / "print.css").write_text("p { color: red }", encoding="utf-8")
    second = inputs_digest(issue_dir)
    config = issue_dir / "publish.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert len({first, second, inputs_digest(issue_dir)}) == 3


def test_the_key_differs_per_output_and_strictness(tmp_path: Path):
    keys = {
        output_key("x", tmp_path / name, strict)
        for name in ("a-zh-Hans.pdf", "a-zh-Hans.epub", "a-zh-Hant-TW.pdf")
        for strict in (False, True)
    }
    assert len(keys) == 6


def test_a_damaged_record_is_an_empty_cache(tmp_path: Path):
    record_file(tmp_path).parent.mkdir(parents=True, exist_ok=True)
    record_file(tmp_path).write_text("{not json", encoding="utf-8")
    target = tmp_path / "a.pdf"
    target.write_bytes(b"%PDF")
    assert RebuildCache.load(tmp_path).reuse(target, "key") is None
    cache = RebuildCache.load(tmp_path)
    cache.record(Written(target, 1, 4, 0.5), "key")
    cache.save()
    assert RebuildCache.load(tmp_path).reuse(target, "key") == Written(target, 1, 4, 0.0)
    assert RebuildCache.load(tmp_path).reuse(target, "other") is None


def a_record(out: Path) -> str:
    """A sound record of one output of `out`, as this version writes it."""
    target = out / "a.pdf"
    target.write_bytes(b"%PDF")
    cache = RebuildCache.load(out)
    cache.record(Written(target, 1, 4, 0.5), "key")
    cache.save()
    return record_file(out).read_text(encoding="utf-8")


UNTRUSTED = {
    "damaged": lambda sound: "{not json",
    "truncated": lambda sound: sound[: len(sound) // 2],
    "not text": lambda sound: "\udcff",
    "an older version's": lambda sound: json.dumps(json.loads(sound)["outputs"]),
    "a newer version's": lambda sound: sound.replace('"format": 2', '"format": 3'),
    "of the wrong types": lambda sound: sound.replace('"pages": 1', '"pages": "1"'),
}


@pytest.fixture
def own_cache(monkeypatch, tmp_path: Path) -> Path:
    """A cache folder of the test's own."""
    folder = tmp_path / "cache" / "publish"
    monkeypatch.setattr(cache_module, "CACHE_HOME", folder)
    return folder


@pytest.mark.parametrize("kind", UNTRUSTED)
def test_an_untrustworthy_record_is_ignored_with_one_warning(own_cache, tmp_path, caplog, kind):
    out = tmp_path / "out"
    out.mkdir()
    sound = a_record(out)
    record_file(out).write_bytes(UNTRUSTED[kind](sound).encode("utf-8", "surrogateescape"))
    caplog.clear()
    cache = RebuildCache.load(out)
    assert cache.entries == {}
    assert cache.reuse(out / "a.pdf", "key") is None
    (warning,) = [r for r in caplog.records if r.levelname == "WARNING"]
    assert str(record_file(out)) in warning.getMessage()
    assert "ignored, so every output is built again" in warning.getMessage()
    cache.save()  # written afresh: the next build trusts it again
    caplog.clear()
    assert RebuildCache.load(out).entries == {} and not caplog.records


def test_an_unreadable_record_is_ignored_with_one_warning(own_cache, tmp_path, caplog):
    out = tmp_path / "out"
    record_file(out).mkdir(parents=True)  # a folder where the record should be
    assert RebuildCache.load(out).entries == {}
    (warning,) = caplog.records
    assert "cannot be read" in warning.getMessage()


def test_a_sound_record_is_trusted(own_cache, tmp_path, caplog):
    out = tmp_path / "out"
    out.mkdir()
    a_record(out)
    target = out / "a.pdf"
    assert RebuildCache.load(out).reuse(target, "key") == Written(target, 1, 4, 0.0)
    assert not caplog.records
