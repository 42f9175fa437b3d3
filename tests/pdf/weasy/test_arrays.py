"""Font subsetting without a C parse per glyph count: the same PDF, no sized declarations."""

from __future__ import annotations

from typing import Any

import pytest
import weasyprint
from weasyprint.pdf import fonts

from publish.pdf.weasy import arrays

LINES = ("中文排版，一行。", "另一段文字「引号」：字数不同的一行，再多几个字。")


def pdf_of(text: str) -> bytes:
    html = f"""<html lang="zh-Hans"><body style="font: 12pt 'Noto Serif CJK SC'">
    <p>{text}</p><p style="font-family: 'Noto Sans CJK SC'; font-weight: bold">{text}</p>
    </body></html>"""
    return weasyprint.HTML(string=html).write_pdf()


@pytest.fixture
def declared(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every declaration that reaches cffi's own `new` from WeasyPrint's font module."""
    seen: list[str] = []
    real = fonts.ffi._ffi if isinstance(fonts.ffi, arrays.OpenArrays) else fonts.ffi
    new = real.new

    def recording(cdecl: str, init: Any = None) -> Any:
        seen.append(cdecl)
        return new(cdecl, init)

    monkeypatch.setattr(real, "new", recording, raising=False)
    return seen


@pytest.mark.parametrize("text", LINES)
def test_the_pdf_is_the_same_with_open_arrays(text: str) -> None:
    arrays.uninstall()
    plain = pdf_of(text)
    assert arrays.install()
    try:
        assert pdf_of(text) == plain
    finally:
        arrays.uninstall()
        arrays.install()


def test_no_glyph_count_is_declared_on_its_own(declared: list[str]) -> None:
    assert arrays.install()
    for text in LINES:  # two glyph counts per face: without the extension, new declarations
        pdf_of(text)
    sized = [
        cdecl for cdecl in declared if cdecl.startswith("hb_codepoint_t[") and cdecl[15] != "]"
    ]
    assert "hb_codepoint_t[]" in declared
    assert sized == []


def test_an_array_without_values_keeps_its_size() -> None:
    made = arrays.OpenArrays(
        fonts.ffi if not isinstance(fonts.ffi, arrays.OpenArrays) else fonts.ffi._ffi
    )
    assert len(made.new("hb_tag_t[100]")) == 100
    assert list(made.new("hb_codepoint_t[3]", (7, 8, 9))) == [7, 8, 9]


PARSES = """
import sys
import cffi.cparser
import weasyprint
from publish.pdf.weasy import arrays
if sys.argv[1] == "ahead":
    arrays.declare_ahead()
parsed = []
real = cffi.cparser.Parser.parse_type_and_quals
def counting(self, cdecl):
    parsed.append(cdecl)
    return real(self, cdecl)
cffi.cparser.Parser.parse_type_and_quals = counting
weasyprint.HTML(string='<p style="font-family: Noto Serif CJK SC">中文排版</p>').write_pdf()
print(sorted(set(parsed) & set(arrays.AHEAD)))
"""


@pytest.mark.parametrize("ahead", ["ahead", "not"])
def test_types_declared_ahead_are_not_parsed_by_a_render(ahead: str) -> None:
    """A fresh process parses the C types of a render's calls unless declared ahead (as the
    parent of forked workers does), which leaves none of them to parse."""
    import subprocess
    import sys

    run = subprocess.run(
        [sys.executable, "-c", PARSES, ahead], capture_output=True, text=True, check=True
    )
    parsed = eval(run.stdout.strip().splitlines()[-1])  # noqa: S307 (our own child's list)
    if ahead == "ahead":
        assert parsed == []
    else:
        assert {"PangoRectangle *", "char[]", "unsigned int *"} <= set(parsed)
