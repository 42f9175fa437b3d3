"""Print elements that the sample issue is too short to show: a table broken across columns."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from publish.pdf.render import write_pdf
from publish.source.reader import read_issue
from publish.text.editions import EDITIONS
from tests.pdfmeasure import read_lines

pytestmark = pytest.mark.slow


def test_a_broken_table_repeats_its_header(issue_dir: Path, tmp_path: Path) -> None:
    rows = "".join(f"| 第{n}镇 | {n * 37.5:,.1f} |\n" for n in range(1, 90))
    article = issue_dir / "articles" / "01-fan-yong.md"
    head = article.read_text(encoding="utf-8").split("---\n")[1]
    body = f"各镇产值如下表。\n\n| 镇街 | 产值（万元） |\n|---|---:|\n{rows}\n以上为初步统计。\n"
    article.write_text(f"---\n{head}---\n{body}", encoding="utf-8")
    target = tmp_path / "table.pdf"
    write_pdf(read_issue(issue_dir), EDITIONS["zh-Hans"], target)
    lines = read_lines(target)
    headers = [ln for ln in lines if ln.text.startswith("镇街")]
    first, last = (next(ln for ln in lines if ln.text.startswith(f"第{n}镇")) for n in (1, 89))
    assert (first.page, round(first.x0)) != (last.page, round(last.x0))  # it did break
    # one header above each piece of the table: each column or page it runs over
    pieces = {(ln.page, round(ln.x0) // 100) for ln in lines if ln.text.startswith("第")}
    assert len(headers) == len(pieces) >= 2
    # numbers in tabular figures, aligned right: within a piece they all end at one x
    numbers = [ln for ln in lines if re.fullmatch(r"[0-9,]+\.[0-9]", ln.text)]
    assert len(numbers) == 89
    ends = {(ln.page, round(ln.x0) // 100): set() for ln in numbers}
    for ln in numbers:
        ends[(ln.page, round(ln.x0) // 100)].add(round(ln.x1, 1))
    assert all(len(x) == 1 for x in ends.values()), ends
