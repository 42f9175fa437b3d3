"""publish.yaml: the schema, declared once, and a loader that reports every problem at once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from publish.errors import ConfigError, InputError
from publish.model import (
    ConversionOptions,
    EpubOptions,
    Finding,
    IssueConfig,
    PdfOptions,
    TocOptions,
)
from publish.source import schema as s
from publish.source.templates import layout_dirs
from publish.source.textfile import read_utf8
from publish.source.yamlsource import KeyPath, YamlDocument, load_yaml
from publish.text.editions import EDITIONS, LANGUAGES, OPENCC_CONFIGS, config_problem
from publish.text.toc import TOC_ORDERS

PRESS_PROFILES = ("fogra39", "ghostscript")
"""The CMYK press conditions a PDF/X-4 may name (publish.pdf.render.CMYK_PROFILES)."""


@dataclass(frozen=True)
class Section:
    """A nested mapping of the schema, built into its options dataclass."""

    keys: dict[str, s.Key | Section]
    build: type
    doc: str
    required: bool = False


def _conversion_configs(value: Any) -> dict[str, str]:
    configs = s.text_map(value)
    for edition, config in configs.items():
        s.one_of(*EDITIONS)(edition)
        for step in config.split("+"):  # a chain such as hk2t+t2tw
            s.one_of(*OPENCC_CONFIGS)(step)
    return configs


def _toc_order(value: Any) -> str | dict[str, str]:
    """One order for every edition, or a mapping edition → order."""
    if not isinstance(value, dict):
        return s.one_of(*TOC_ORDERS)(value)
    orders = {s.one_of(*EDITIONS)(k): s.one_of(*TOC_ORDERS)(v) for k, v in value.items()}
    if not orders:
        raise s.Invalid("name an order, or one per edition: {zh-Hans: pinyin, zh-Hant-TW: strokes}")
    return orders


TOC = Section(
    {
        "by": s.Key(s.one_of("speaker"), "what entries are filed under: speaker"),
        "order": s.Key(_toc_order, "appearance, pinyin, strokes or zhuyin; or one per edition"),
    },
    TocOptions,
    "table of contents",
)

PDF = Section(
    {
        "page_size": s.Key(s.page_size, "A4, A5, B5, 16开, 大16开, 32开, or 'WIDTH HEIGHT' in mm"),
        "margins": s.Key(s.margins, "one to four lengths, top right bottom left"),
        "columns": s.Key(s.positive_int, "body text columns"),
        "column_gap": s.Key(s.length_mm, "gap between columns"),
        "bleed": s.Key(s.length_mm, "bleed around the trim box, e.g. 3mm"),
        "marks": s.Key(s.list_of(s.one_of("crop", "cross")), "printer's marks: crop, cross"),
        "standard": s.Key(s.one_of("pdf/x-4", "pdf/a-2b", "pdf/ua-1"), "PDF standard"),
        "press_profile": s.Key(
            s.one_of(*PRESS_PROFILES), "PDF/X-4 press condition: fogra39 or ghostscript"
        ),
        "article_new_page": s.Key(s.boolean, "each article starts on a new page"),
    },
    PdfOptions,
    "print options",
)

EPUB = Section(
    {
        "writing_mode": s.Key(s.one_of("horizontal", "vertical"), "vertical: Traditional only"),
        "embed_fonts": s.Key(s.boolean, "embed font subsets"),
    },
    EpubOptions,
    "e-book options",
)

CONVERSION = Section(
    {
        "regional_phrases": s.Key(s.boolean, "regional words too: s2twp, tw2sp, hk2sp"),
        "configs": s.Key(_conversion_configs, "OpenCC config per edition, e.g. zh-Hant: s2t"),
        "terms": s.Key(s.text_map, "editor's fixed conversions, simplified: traditional"),
        "protected": s.Key(s.list_of(s.text), "terms never converted"),
    },
    ConversionOptions,
    "script conversion",
)

ISSUE = Section(
    {
        "title": s.Key(s.text, "issue title, printed on the masthead", required=True),
        "subtitle": s.Key(s.optional_text, "subtitle on the masthead"),
        "publisher": s.Key(s.optional_text, "publisher, on the masthead and in metadata"),
        "creator": s.Key(s.optional_text, "author in the e-book metadata; default: publisher"),
        "date": s.Key(s.iso_date, "publication date, e.g. 2020-02-20"),
        "slug": s.Key(s.slug, "output name stem; default: the folder name"),
        "language": s.Key(s.one_of(*LANGUAGES), "script (and region) the articles are written in"),
        "editions": s.Key(s.list_of(s.one_of(*EDITIONS), min_items=1), "editions to build"),
        "formats": s.Key(s.list_of(s.one_of("pdf", "epub"), min_items=1), "pdf, epub"),
        "layout": s.Key(s.text, "layout folder name, shipped in layouts/ or the issue's own"),
        "toc": TOC,
        "pdf": PDF,
        "epub": EPUB,
        "conversion": CONVERSION,
        "articles": s.Key(s.list_of(s.text, allow_single=False), "article files, in order"),
    },
    IssueConfig,
    "issue",
)


def check_mapping(
    doc: YamlDocument, at: KeyPath, section: Section, findings: list[Finding]
) -> dict:
    """The checked values of one mapping; every problem is appended to `findings`."""
    data = _lookup(doc.data, at)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        where = ".".join(map(str, at)) or "the file"
        findings.append(Finding(doc.source(at), f"{where} must be a mapping of key: value"))
        return {}
    values: dict[str, Any] = {}
    for key in data:
        if str(key) not in section.keys:
            hint = s.did_you_mean(str(key), section.keys)
            where = doc.source((*at, str(key)))
            findings.append(Finding(where, f"unknown key {str(key)!r}; {hint}"))
    for key, spec in section.keys.items():
        if key not in data:
            if spec.required:
                message = f"missing required key {key!r}: add a line '{key}: …' ({spec.doc})"
                findings.append(Finding(doc.source(at), message))
            continue
        if isinstance(spec, Section):
            values[key] = spec.build(**check_mapping(doc, (*at, key), spec, findings))
            continue
        try:
            values[key] = spec.check(data[key])
        except s.Invalid as problem:
            name = ".".join(map(str, (*at, key)))
            findings.append(Finding(doc.source((*at, key)), f"{name}: {problem}"))
    return values


def _conversion_problems(doc: YamlDocument, values: dict[str, Any]) -> list[Finding]:
    """conversion.configs that cannot read the script `language:` names."""
    conversion = values.get("conversion")
    source = values.get("language", "zh-Hans")
    if conversion is None:
        return []
    return [
        Finding(doc.source(("conversion", "configs", tag)), f"conversion.configs: {problem}")
        for tag, config in conversion.configs.items()
        if (problem := config_problem(tag, config, source))
    ]


def _lookup(data: Any, at: KeyPath) -> Any:
    for key in at:
        if isinstance(data, dict):
            data = data.get(key)
        elif isinstance(data, list) and isinstance(key, int) and key < len(data):
            data = data[key]
        else:
            return None
    return data


def load_config(path: Path, default_slug: str) -> IssueConfig:
    """Read and validate publish.yaml; raises ConfigError listing every problem."""
    doc = load_yaml(read_utf8(path), path)
    findings: list[Finding] = []
    values = check_mapping(doc, (), ISSUE, findings)
    if "layout" in values:
        try:
            layout_dirs(path.parent, values["layout"])
        except InputError as error:
            findings.append(Finding(doc.source(("layout",)), str(error)))
    findings += _conversion_problems(doc, values)
    if findings:
        raise ConfigError(findings)
    values.setdefault("slug", default_slug)
    return IssueConfig(source=doc.source(), **values)
