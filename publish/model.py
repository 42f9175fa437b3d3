"""The typed data that flows between pipeline stages: issue, articles, speakers, options."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

PdfStandard = Literal["pdf/x-4", "pdf/a-2b", "pdf/ua-1"]
Format = Literal["pdf", "epub"]
TocOrder = Literal["appearance", "pinyin", "strokes", "zhuyin"]
WritingMode = Literal["horizontal", "vertical"]


@dataclass(frozen=True)
class Source:
    """A position in an input file, for messages that point at it."""

    path: Path
    """The file, as the user named it (relative where possible)."""
    line: int = 0
    """1-based line number; 0 when the problem concerns the whole file."""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else str(self.path)


@dataclass(frozen=True)
class Speaker:
    """An interviewee: the person an article's table-of-contents entry is filed under."""

    name: str
    """Personal name as printed, e.g. 闫立然."""
    role: str
    """Organisation and title as printed, e.g. 区发展和改革局局长."""
    source: Source
    """Where the speaker is declared (the article's front matter)."""


@dataclass(frozen=True)
class Image:
    """The picture of a figure: a JPEG or PNG file inside the issue, checked when it is read."""

    path: Path
    """The file, resolved (symlinks followed), inside the issue folder."""
    width: int
    """Pixels across."""
    height: int
    """Pixels down."""
    format: Literal["JPEG", "PNG"]
    source: Source
    """The article line of the figure."""


@dataclass(frozen=True)
class Article:
    """One interview: headline, speaker line, Markdown body and reporter byline."""

    slug: str
    """File stem, e.g. 01-yan-liran; unique in the issue, used for ids and anchors."""
    title: str
    """Headline; a space separates the parts of a two-part (couplet) headline."""
    subtitle: str
    """Speaker line as printed, e.g. ——访区发展和改革局局长 闫立然; may be empty."""
    speakers: tuple[Speaker, ...]
    """Interviewees, in the order printed."""
    reporters: tuple[str, ...]
    """Reporter names of the byline, in the order printed."""
    body: str
    """Markdown source of the body: paragraphs separated by blank lines."""
    source: Source
    """The article file (line 1)."""
    body_line: int
    """Line of the article file on which the body starts, for findings inside the body."""
    images: tuple[Image, ...] = ()
    """The picture of each figure of the body, in the order of the figures."""


@dataclass(frozen=True)
class PdfOptions:
    """Print options from `pdf:` in publish.yaml; lengths in millimetres."""

    page_size: tuple[float, float] = (210.0, 297.0)
    """Trim size, width × height (A4 by default)."""
    margins: tuple[float, float, float, float] = (22.0, 18.0, 22.0, 18.0)
    """Top, right, bottom, left margins of the trim page."""
    columns: int = 2
    """Body text columns on article pages."""
    column_gap: float = 8.0
    """Gap between body columns."""
    bleed: float = 0.0
    """Bleed around the trim box; 0 for none (3 is usual for print)."""
    marks: tuple[str, ...] = ()
    """Printer's marks: any of "crop", "cross"."""
    standard: PdfStandard | None = None
    """PDF standard to conform to, or None for plain PDF."""
    press_profile: str = "fogra39"
    """The CMYK press condition of a PDF/X-4's output intent: "fogra39" or "ghostscript"."""
    article_new_page: bool = True
    """Whether each article starts on a new page."""


@dataclass(frozen=True)
class EpubOptions:
    """E-book options from `epub:` in publish.yaml."""

    writing_mode: WritingMode = "horizontal"
    """Vertical applies to Traditional editions only; Simplified stay horizontal."""
    embed_fonts: bool = False
    """Embed font subsets (only the characters used) in the book."""


@dataclass(frozen=True)
class TocOptions:
    """How the table of contents is built: `toc:` in publish.yaml."""

    by: Literal["speaker"] = "speaker"
    """Entries are filed under the interviewee."""
    order: TocOrder | Mapping[str, TocOrder] = "appearance"
    """Order of entries (appearance, pinyin, strokes, zhuyin), or one per edition tag."""


@dataclass(frozen=True)
class ConversionOptions:
    """Script conversion options: `conversion:` in publish.yaml."""

    regional_phrases: bool = False
    """Regional words convert too (软件 ↔ 軟體): s2twp, tw2sp, hk2sp instead of s2tw, tw2s, hk2s."""
    configs: Mapping[str, str] = field(default_factory=dict)
    """OpenCC config per edition tag, overriding the edition's default, e.g. {zh-Hant: s2t}."""
    terms: Mapping[str, str] = field(default_factory=dict)
    """Editor's fixed conversions, source → other script, winning over OpenCC."""
    protected: tuple[str, ...] = ()
    """Extra names protected like speakers and reporters: an ambiguous surname (范) is kept."""


@dataclass(frozen=True)
class IssueConfig:
    """Validated publish.yaml."""

    title: str
    """Issue title, printed on the masthead."""
    slug: str
    """Output name stem: dist/<slug>-<edition>.pdf."""
    source: Source
    """The publish.yaml file."""
    subtitle: str = ""
    publisher: str = ""
    creator: str = ""
    """Author of the e-book (dc:creator): a special issue is authored by its desk; empty means
    the publisher."""
    date: datetime.date | None = None
    language: str = "zh-Hans"
    """Script the articles are written in (zh-Hans, zh-Hant, zh-Hant-TW, zh-Hant-HK); after
    conversion, the edition's tag."""
    editions: tuple[str, ...] = ("zh-Hans",)
    formats: tuple[Format, ...] = ("pdf", "epub")
    layout: str = "special-issue"
    toc: TocOptions = field(default_factory=TocOptions)
    pdf: PdfOptions = field(default_factory=PdfOptions)
    epub: EpubOptions = field(default_factory=EpubOptions)
    conversion: ConversionOptions = field(default_factory=ConversionOptions)
    articles: tuple[str, ...] = ()
    """Explicit article order (file names in articles/); empty means file-name order."""


@dataclass(frozen=True)
class Issue:
    """A whole special issue: its configuration and its articles, in order."""

    config: IssueConfig
    articles: tuple[Article, ...]
    root: Path
    """The issue folder (seeds/<slug>/)."""
    words: Mapping[str, str] = field(default_factory=dict)
    """The layout's own words (e.g. toc: 目录), from its words.yaml, in the edition's script."""


@dataclass(frozen=True)
class Edition:
    """A script/region variant of an issue, e.g. zh-Hant-TW."""

    tag: str
    """BCP 47 tag used for lang attributes, dc:language and output names."""
    opencc_config: str | None
    """OpenCC config (or chain `a+b`) that makes this edition from the source; None keeps it."""
    script: Literal["SC", "TC", "HK"]
    """Font script: which Noto CJK region fonts to use."""
    corner_quotes: bool
    """Use 「」『』 instead of “”‘’."""

    @property
    def traditional(self) -> bool:
        return self.script != "SC"


@dataclass(frozen=True)
class Finding:
    """A copy-desk or validation finding, printed as `path:line: message`."""

    source: Source
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


@dataclass(frozen=True)
class PageStart:
    """Where a printed page of the print edition begins, in an article's text."""

    page: int
    """The page number printed on it (the cover is page 1)."""
    article: str
    """Slug of the article the page begins in."""
    offset: int
    """Characters of the article's body before the page's first one (whitespace and invisible
    break marks not counted); HEAD_OFFSET when the page begins with the article's headline."""


HEAD_OFFSET = -1
"""PageStart.offset of a page that begins with an article's head."""


@dataclass(frozen=True)
class Written:
    """One output file a build wrote."""

    path: Path
    pages: int
    """Pages of a PDF; XHTML documents of an EPUB."""
    size: int
    """Bytes."""
    seconds: float


__all__ = [
    "HEAD_OFFSET",
    "PageStart",
    "Article",
    "Finding",
    "Image",
    "Written",
    "ConversionOptions",
    "Edition",
    "EpubOptions",
    "Issue",
    "IssueConfig",
    "PdfOptions",
    "Source",
    "Speaker",
    "TocOptions",
    "replace",
]
