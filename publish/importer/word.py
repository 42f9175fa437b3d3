"""Word files (.docx) through mammoth: headings, bold labels, lists, tables, footnotes and
embedded images as blocks for the same inference as a paste."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from publish.errors import InputError
from publish.importer.escape import escape_markdown
from publish.importer.lines import Block
from publish.source.textfile import read_user_file

MAX_DOCX = 50 * 2**20
"""Largest Word file read: a long interview with photographs is a few megabytes."""
MAX_UNPACKED = 200 * 2**20
"""Most bytes the parts of a Word file may unpack to (a zip bomb unpacks to far more)."""
MAX_RATIO = 200
"""Highest compression ratio of one part; XML compresses ~10x, a bomb ~1000x."""
_STYLE_MAP = """
p[style-name='Title'] => h1:fresh
p[style-name='Subtitle'] => p.subtitle:fresh
p[style-name='Caption'] => p.caption:fresh
"""
_IMAGE_TYPES = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/webp": "webp"}


@dataclass(frozen=True)
class WordDocument:
    """A Word file's text as blocks, and its images by issue-folder path."""

    blocks: tuple[Block, ...]
    """Paragraph-sized blocks; `style` says what Word said (headline, subhead, table...)."""
    images: dict[str, bytes] = field(default_factory=dict)
    """images/NN.ext → the image's bytes."""

    @property
    def text(self) -> str:
        """The plain text, for script detection."""
        return "\n".join(b.text for b in self.blocks)


def read_word(path: Path) -> WordDocument:
    """The blocks and images of a .docx, or a clear stop for anything else."""
    data = _checked_docx(path)
    import mammoth  # loaded for Word files only

    images: dict[str, bytes] = {}

    def keep_image(image: object) -> dict[str, str]:
        extension = _IMAGE_TYPES.get(image.content_type, "bin")
        name = f"images/{len(images) + 1:02d}.{extension}"
        with image.open() as stream:
            images[name] = stream.read()
        return {"src": name, "alt": image.alt_text or ""}

    try:
        result = mammoth.convert_to_html(
            io.BytesIO(data),
            style_map=_STYLE_MAP,
            convert_image=mammoth.images.img_element(keep_image),
        )
    except Exception as error:  # mammoth raises whatever its XML and zip readers raise
        raise InputError(
            f"{path}: Word could write this file but it cannot be read ({type(error).__name__}: "
            f"{error}). Fix: open it in Word or LibreOffice, save it again as .docx, import again"
        ) from None
    parser = _Blocks()
    parser.feed(result.value)
    blocks = [b for b in parser.blocks if b.text.strip() or b.style == "image"]
    if not any(b.text.strip() for b in blocks):
        raise InputError(f"{path}: the Word file holds no text. Fix: import the interview's file")
    return WordDocument(tuple(blocks), images)


def _checked_docx(path: Path) -> bytes:
    """The bytes of a .docx, refused when it is no docx, encrypted, oversized or a zip bomb."""
    data = read_user_file(path)
    if not data:
        raise InputError(f"{path}: the file is empty. Fix: import the interview's Word file")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(
            f"{path}: this is an encrypted Word file or an old .doc, which cannot be read. Fix: "
            "remove the password (File › Info › Protect Document) and save it as .docx"
        )
    if len(data) > MAX_DOCX:
        raise InputError(
            f"{path}: the Word file is over {MAX_DOCX // 2**20} MB. Fix: save the interview "
            "without full-size photographs (File › Compress Pictures) and import again"
        )
    _check_parts(path, data)
    return data


def _check_parts(path: Path, data: bytes) -> None:
    """The zip's parts: a word/document.xml, and nothing that unpacks to a bomb."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except zipfile.BadZipFile:
        raise InputError(
            f"{path}: this is not a Word .docx file (not a zip archive). Fix: save the "
            "interview from Word as .docx, or as plain text (.txt)"
        ) from None
    if not any(p.filename == "word/document.xml" for p in parts):
        raise InputError(
            f"{path}: this zip archive is not a Word .docx (it has no word/document.xml). Fix: "
            "import the Word file itself, not an archive"
        )
    unpacked = sum(p.file_size for p in parts)
    ratio = max((p.file_size / max(p.compress_size, 1) for p in parts), default=0)
    if unpacked > MAX_UNPACKED or ratio > MAX_RATIO:
        raise InputError(
            f"{path}: the Word file unpacks to {unpacked // 2**20} MB (compressed up to "
            f"{ratio:.0f}x), which no interview does; it is refused as a zip bomb. Fix: save the "
            "document again from Word and import that"
        )


class _Blocks(HTMLParser):
    """mammoth's HTML to blocks: h1 a headline, h2–h6 sub-heads, p paragraphs, li list items,
    a table as one GFM table block, img a figure, the footnote list as footnote definitions."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self._text: list[str] = []
        self._style = ""
        self._bold: list[str] = []
        self._in_bold = False
        self._rows: list[list[str]] | None = None
        self._lists: list[str] = []
        self._footnote = ""
        self._in_link = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag in ("ul", "ol"):
            self._lists.append(tag)
        elif tag == "table":
            self._rows = []
        elif self._rows is not None:
            if tag == "tr":
                self._rows.append([])
            elif tag in ("td", "th"):
                self._text = []
        elif tag == "li" and values.get("id", "").startswith("footnote-"):
            self._footnote = values["id"].removeprefix("footnote-")
            self._start("footnote")
        elif tag in _STYLES and not self._footnote:
            self._start(_STYLES[tag] if tag != "p" else values.get("class", "") or "p")
        elif tag == "strong":
            self._in_bold = True
        elif tag == "img":
            self.blocks.append(Block(values.get("alt", ""), 0, 0, "image", values.get("src", "")))
        elif tag == "a":
            href = values.get("href", "")
            self._in_link = href.startswith("#footnote")
            if href.startswith("#footnote-") and not href.startswith("#footnote-ref-"):
                self._text.append(f"[^{href.removeprefix('#footnote-')}]")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("ul", "ol") and self._lists:
            self._lists.pop()
        elif tag == "strong":
            self._in_bold = False
        elif tag == "a":
            self._in_link = False
        elif self._rows is not None:
            if tag in ("td", "th") and self._rows:
                self._rows[-1].append(_cell("".join(self._text)))
            elif tag == "table":
                self.blocks.append(Block(_table(self._rows), 0, 0, "table"))
                self._rows = None
        elif tag == "li" and self._footnote:
            self._close_block()
            self._footnote = ""
        elif tag in _STYLES and not self._footnote:
            self._close_block()

    def handle_data(self, data: str) -> None:
        if self._in_link:
            return  # mammoth's [1] and ↑ markers: the [^1] reference stands for them
        self._text.append(data)
        if self._in_bold:
            self._bold.append(data)

    def _start(self, style: str) -> None:
        self._text, self._bold, self._style = [], [], style

    def _close_block(self) -> None:
        text = " ".join("".join(self._text).split())
        if self._style == "footnote":
            text = f"[^{self._footnote}]: {text}"
        elif self._style == "list":
            text = ("1. " if self._lists and self._lists[-1] == "ol" else "- ") + text
        elif self._bold and self._style == "p":
            text = _bold_label(text, "".join(self._bold).strip())
        if text.strip():
            self.blocks.append(Block(text, len(self.blocks) + 1, 0, self._style))
        self._start("")


def _bold_label(text: str, bold: str) -> str:
    """A paragraph opening with a bold label: the label given its colon (张三 我认为… → 张三：…)."""
    if not bold or not text.startswith(bold) or len(bold) > 12 or bold.endswith(("：", ":")):
        return text
    rest = text[len(bold) :].lstrip()
    if not rest or rest.startswith(("：", ":", "﹕")):  # the colon after the bold, not in it
        return text
    return f"{bold}：{rest}"


_STYLES = {
    "h1": "headline",
    "h2": "subhead",
    "h3": "subhead",
    "h4": "subhead",
    "h5": "subhead",
    "h6": "subhead",
    "p": "p",
    "li": "list",
}


def _cell(text: str) -> str:
    """A table cell's text on one line, escaped so it renders literally."""
    return escape_markdown(" ".join(text.split()))


def _table(rows: list[list[str]]) -> str:
    """A GFM table: the first row as the header."""
    width = max((len(r) for r in rows), default=0)
    rows = [r + [""] * (width - len(r)) for r in rows if r]
    if not rows:
        return ""
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + " --- |" * width]
    lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
    return "\n".join(lines)
