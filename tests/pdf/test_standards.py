"""Every validator reachable here on the default issue in each PDF standard, and long issues.

qpdf --check (syntax, streams), Ghostscript (renders every page without an error), the `pdfua`
checker (its machine-checkable subset of PDF/UA-1), and the pikepdf checks of named rules in
tests/pdf/pdfcheck.py. veraPDF is not obtainable here: nothing here claims what only it checks.
"""

from __future__ import annotations

import logging
import re
import subprocess
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pikepdf
import pytest
from pdfua import Severity, validate
from pypdf import PdfReader

from publish.model import Issue
from publish.pdf import chunked, parts
from publish.pdf.render import write_pdf
from publish.source.reader import read_issue
from publish.text.editions import EDITIONS
from tests.conftest import DEFAULT_ISSUE, MINIMAL, ROOT
from tests.pdf import pdfcheck

pytestmark = pytest.mark.slow

STANDARDS = ["pdf/x-4", "pdf/a-2b", "pdf/ua-1"]


def with_pdf(issue: Issue, **options: object) -> Issue:
    return replace(issue, config=replace(issue.config, pdf=replace(issue.config.pdf, **options)))


@pytest.fixture(scope="module")
def default_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The default issue's zh-Hans PDF in each standard (X-4 with bleed and marks)."""
    out, issue = tmp_path_factory.mktemp("standards"), read_issue(DEFAULT_ISSUE)
    made = {}
    for standard in STANDARDS:
        extra = {"bleed": 3.0, "marks": ("crop", "cross")} if standard == "pdf/x-4" else {}
        target = out / f"{standard.replace('/', '-')}.pdf"
        write_pdf(with_pdf(issue, standard=standard, **extra), EDITIONS["zh-Hans"], target)
        made[standard] = target
    return made


@pytest.mark.parametrize("standard", STANDARDS)
def test_qpdf_finds_no_error(default_pdfs: dict[str, Path], standard: str) -> None:
    result = subprocess.run(
        ["qpdf", "--check", str(default_pdfs[standard])], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors" in result.stdout


@pytest.mark.parametrize("standard", STANDARDS)
def test_ghostscript_renders_every_page_without_complaint(
    default_pdfs: dict[str, Path], standard: str
) -> None:
    result = subprocess.run(
        ["gs", "-q", "-dBATCH", "-dNOPAUSE", "-dPDFSTOPONERROR", "-sDEVICE=nullpage"]
        + [str(default_pdfs[standard])],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0 and not re.search(
        r"error|warning", result.stdout + result.stderr, re.I
    )


def test_x4_has_no_rgb_and_text_in_black_ink(default_pdfs: dict[str, Path]) -> None:
    x4 = default_pdfs["pdf/x-4"]
    assert pdfcheck.device_rgb_uses(x4) == []
    with pikepdf.open(x4) as pdf:
        assert "FOGRA39" in str(pdf.Root.OutputIntents[0].OutputConditionIdentifier)
        assert pdf.pdf_version == "1.6"


@pytest.mark.parametrize("standard", STANDARDS)
def test_the_text_reads_as_printed(default_pdfs: dict[str, Path], standard: str) -> None:
    printed = sum(
        p.read_text(encoding="utf-8").count("2020年") for p in DEFAULT_ISSUE.glob("articles/*.md")
    )
    text = "".join(page.extract_text() for page in PdfReader(default_pdfs[standard]).pages)
    poppler = subprocess.run(
        ["pdftotext", "-raw", str(default_pdfs[standard]), "-"], capture_output=True, text=True
    ).stdout
    assert text.count("2020年") == poppler.count("2020年") == printed + 1  # and the masthead


def test_ua1_is_tagged_throughout_and_the_pdfua_checker_passes(
    default_pdfs: dict[str, Path],
) -> None:
    ua = default_pdfs["pdf/ua-1"]
    assert pdfcheck.untagged_text(ua) == []
    report = validate(str(ua))
    assert [f.message for f in report.findings if f.severity >= Severity.WARNING] == []
    assert len(pdfcheck.structure_elements(ua, "/TOCI")) == 10
    assert all(re.search(r" · .+ 第\d+页$", d) for d in pdfcheck.link_descriptions(ua))


def test_a2b_claims_a2b_and_keeps_its_srgb_intent(default_pdfs: dict[str, Path]) -> None:
    with pikepdf.open(default_pdfs["pdf/a-2b"]) as pdf:
        meta = pdf.open_metadata()
        assert meta.get("pdfaid:part") == "2" and meta.get("pdfaid:conformance") == "B"
        assert pdf.Root.OutputIntents[0].S == "/GTS_PDFA1"


def long_issue(count: int, standard: str | None = None) -> Issue:
    """The minimal issue grown to `count` articles, some over a page."""
    issue = read_issue(MINIMAL)
    articles = []
    for number in range(count):
        model = issue.articles[number % 2]
        body = model.body + ("\n\n" + model.body) * (number % 4)
        articles.append(replace(model, slug=f"a{number:02d}", body=body))
    return with_pdf(replace(issue, articles=tuple(articles)), standard=standard)


def test_a_chunked_x4_book_names_each_font_program_apart(tmp_path: Path) -> None:
    target = tmp_path / "chunked.pdf"
    issue = with_pdf(long_issue(12, "pdf/x-4"), bleed=3.0, marks=("crop",))
    chunked.write_issue(issue, EDITIONS["zh-Hans"], target, jobs=2, chunk_size=4)
    assert pdfcheck.device_rgb_uses(target) == []  # the folio overlays too
    with pikepdf.open(target) as pdf:
        programs: dict[str, set[bytes]] = {}
        streams = Counter()
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor":
                program = obj.get("/FontFile2") or obj.get("/FontFile3")
                programs.setdefault(str(obj.FontName), set()).add(program.read_raw_bytes())
                streams[program.read_raw_bytes()] += 0
        tags = [name.split("+")[0] for name in programs]
        assert all(len(found) == 1 for found in programs.values()), programs.keys()
        assert len(tags) == len(set(tags))
        stored = [
            obj.read_raw_bytes()
            for obj in pdf.objects
            if isinstance(obj, pikepdf.Stream) and obj.read_raw_bytes() in streams
        ]
        assert len(stored) == len(set(stored))  # no program stored twice


def test_a_long_tagged_issue_is_set_whole_and_says_so(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    issue = long_issue(60, "pdf/ua-1")
    assert parts.wants_chunks(with_pdf(issue, standard=None), jobs=2)
    assert parts.kept_whole(issue, jobs=2) and not parts.wants_chunks(issue, jobs=2)
    target = tmp_path / "ua60.pdf"
    with (
        caplog.at_level(logging.INFO, logger="publish.progress"),
        pytest.MonkeyPatch.context() as patch,
    ):
        patch.setattr(parts, "default_jobs", lambda: 2)  # as on a machine of two cores or more
        write_pdf(issue, EDITIONS["zh-Hans"], target)
    assert "PDF/UA-1 is laid out in one piece" in caplog.text
    assert pdfcheck.untagged_text(target) == []
    assert len(pdfcheck.structure_elements(target, "/Art")) == 60


@pytest.fixture(scope="module")
def sample_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sample issue (figures, a table, notes, boxes) as PDF/X-4 and PDF/UA-1."""
    from publish.text.convert import convert_issue

    out, issue = tmp_path_factory.mktemp("sample"), read_issue(ROOT / "seeds" / "sample-features")
    edition, made = EDITIONS["zh-Hans"], {}
    for standard in ("pdf/x-4", "pdf/ua-1"):
        target = out / f"{standard.replace('/', '-')}.pdf"
        write_pdf(convert_issue(with_pdf(issue, standard=standard), edition), edition, target)
        made[standard] = target
    return made


def test_pictures_of_an_x4_are_cmyk(sample_pdfs: dict[str, Path]) -> None:
    assert pdfcheck.device_rgb_uses(sample_pdfs["pdf/x-4"]) == []
    with pikepdf.open(sample_pdfs["pdf/x-4"]) as pdf:
        images = [
            obj
            for obj in pdf.objects
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image"
        ]
        masks = {image.SMask.objgen for image in images if "/SMask" in image}
        pictures = [image for image in images if image.objgen not in masks]
        assert pictures and {str(image.ColorSpace) for image in pictures} == {"/DeviceCMYK"}


def test_figures_and_tables_of_a_ua1_are_described(sample_pdfs: dict[str, Path]) -> None:
    ua = sample_pdfs["pdf/ua-1"]
    assert pdfcheck.untagged_text(ua) == []
    report = validate(str(ua))
    assert [f.message for f in report.findings if f.severity >= Severity.WARNING] == []
    attributes = pdfcheck.element_attributes(ua)
    figures = [a for a in attributes if a["S"] == "/Figure"]
    headers = [a for a in attributes if a["S"] == "/TH"]
    assert figures and all(a["Alt"] for a in figures)
    assert headers and all(a["Scope"] in ("/Column", "/Row") for a in headers)
