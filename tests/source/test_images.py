"""Figures' pictures: found only inside the issue, opened and measured, or a clean exit 2."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PIL import Image

from publish.cli import main
from publish.source.images import MAX_PIXELS
from publish.source.reader import read_issue

ARTICLE = Path("articles") / "01-fan-yong.md"
LINE = 10
"""The figure's line in the article: the body starts on line 8, the figure is its third line."""


def add_figure(issue: Path, src: str) -> None:
    path = issue / ARTICLE
    text = path.read_text(encoding="utf-8")
    head, body = text.split("---\n", 2)[1:]
    figure = "![开发区](" + src + ' "开发区一角。 记者 李晶 摄")'
    path.write_text(f"---\n{head}---\n{body.replace(chr(10), chr(10) * 2 + figure + chr(10), 1)}")


def photo(path: Path, size: tuple[int, int] = (1000, 700), kind: str = "JPEG") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, (120, 160, 200)).save(path, kind)


def test_a_figure_is_read_from_the_issue_images_folder(issue_dir: Path) -> None:
    photo(issue_dir / "images" / "park.jpg")
    add_figure(issue_dir, "images/park.jpg")
    article = read_issue(issue_dir).articles[0]
    (image,) = article.images
    assert (image.width, image.height, image.format) == (1000, 700, "JPEG")
    assert image.path == (issue_dir / "images" / "park.jpg").resolve()
    assert image.source.line == LINE


def test_a_png_with_transparency_next_to_the_article(issue_dir: Path) -> None:
    target = issue_dir / "articles" / "images" / "chart.png"
    target.parent.mkdir()
    Image.new("RGBA", (800, 600), (200, 0, 0, 100)).save(target)
    add_figure(issue_dir, "images/chart.png")
    assert read_issue(issue_dir).articles[0].images[0].format == "PNG"


def _outside(issue: Path) -> str:
    photo(issue.parent / "secret.jpg")
    return "../secret.jpg"


def _link_out(issue: Path) -> str:
    photo(issue.parent / "secret.jpg")
    (issue / "images").mkdir()
    os.symlink(issue.parent / "secret.jpg", issue / "images" / "link.jpg")
    return "images/link.jpg"


def _text_file(issue: Path) -> str:
    (issue / "images").mkdir()
    (issue / "images" / "fake.jpg").write_text("not a picture", encoding="utf-8")
    return "images/fake.jpg"


def _bomb(issue: Path) -> str:
    (issue / "images").mkdir()
    side = int(MAX_PIXELS**0.5) + 100
    Image.new("1", (side, side)).save(issue / "images" / "bomb.png")  # tiny file, huge picture
    return "images/bomb.png"


def _gif(issue: Path) -> str:
    photo(issue / "images" / "anim.gif", kind="GIF")
    return "images/anim.gif"


CASES = {
    "missing": (lambda issue: "images/none.jpg", "not found"),
    "url": (lambda issue: "https://example.com/a.jpg", "is a URL"),
    "parent folder": (_outside, "outside the issue folder"),
    "absolute": (lambda issue: "/etc/hostname", "outside the issue folder"),
    "symlink out": (_link_out, "link to a file outside"),
    "not an image": (_text_file, "not a readable JPEG or PNG"),
    "decompression bomb": (_bomb, "million pixels"),
    "gif": (_gif, "not JPEG or PNG"),
    "no file name": (lambda issue: "<>", "has no file name"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_bad_picture_stops_the_build_before_writing(
    case: str, issue_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make, message = CASES[case]
    add_figure(issue_dir, make(issue_dir))
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.pdf").write_bytes(b"yesterday")
    code = main(["build", str(issue_dir), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert f"01-fan-yong.md:{LINE}:" in err and message in err and "fix:" in err
    assert "Traceback" not in err
    assert sorted(p.name for p in out.iterdir()) == ["keep.pdf"]
