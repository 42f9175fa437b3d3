"""The editions the program can make, and how each is made from the source's script."""

from __future__ import annotations

from publish.errors import InputError
from publish.model import ConversionOptions, Edition

EDITIONS: dict[str, Edition] = {
    "zh-Hans": Edition("zh-Hans", None, "SC", corner_quotes=False),
    "zh-Hant": Edition("zh-Hant", "s2t", "TC", corner_quotes=True),
    "zh-Hant-TW": Edition("zh-Hant-TW", "s2tw", "TC", corner_quotes=True),
    "zh-Hant-HK": Edition("zh-Hant-HK", "s2hk", "HK", corner_quotes=True),
}
"""Every edition as made from Simplified articles (the usual source)."""

LANGUAGES = tuple(EDITIONS)
"""Scripts (and regions) the articles of an issue may be written in: `language:`."""

ROUTES: dict[str, dict[str, str | None]] = {
    "zh-Hans": {"zh-Hans": None, "zh-Hant": "s2t", "zh-Hant-TW": "s2tw", "zh-Hant-HK": "s2hk"},
    "zh-Hant": {"zh-Hans": "t2s", "zh-Hant": None, "zh-Hant-TW": "t2tw", "zh-Hant-HK": "t2hk"},
    # OpenCC has no direct config between Taiwan and Hong Kong: it goes through its own
    # standard Traditional (tw2t, then t2hk), which is what its documentation describes.
    "zh-Hant-TW": {
        "zh-Hans": "tw2s",
        "zh-Hant": "tw2t",
        "zh-Hant-TW": None,
        "zh-Hant-HK": "tw2t+t2hk",
    },
    "zh-Hant-HK": {
        "zh-Hans": "hk2s",
        "zh-Hant": "hk2t",
        "zh-Hant-TW": "hk2t+t2tw",
        "zh-Hant-HK": None,
    },
}
"""Source language → edition → OpenCC config (or chain, joined by +); None keeps the text."""

REGIONAL: dict[tuple[str, str], str] = {
    ("zh-Hans", "zh-Hant-TW"): "s2twp",
    ("zh-Hant-TW", "zh-Hans"): "tw2sp",
    ("zh-Hant-HK", "zh-Hans"): "hk2sp",
}
"""With `regional_phrases`, these routes also convert the region's words (软件 ↔ 軟體)."""

OPENCC_CONFIGS = (
    "s2t",
    "s2tw",
    "s2twp",
    "s2hk",
    "t2s",
    "tw2s",
    "tw2sp",
    "hk2s",
    "hk2sp",
    "t2tw",
    "t2hk",
    "tw2t",
    "hk2t",
)
"""OpenCC configs an edition may use, alone or chained; each is tested upstream."""


def edition_for(tag: str, conversion: ConversionOptions, source: str = "zh-Hans") -> Edition:
    """The edition for a tag made from `source` text, with the config publish.yaml asks for."""
    edition = EDITIONS.get(tag)
    if edition is None:
        raise InputError(f"unknown edition {tag!r}; valid editions: {', '.join(EDITIONS)}")
    route = ROUTES[source][tag]
    if conversion.regional_phrases:
        route = REGIONAL.get((source, tag), route)
    config = conversion.configs.get(tag, route)
    if config != route and (problem := config_problem(tag, str(config), source)):
        raise InputError(f"conversion.configs: {problem}")
    return Edition(edition.tag, config, edition.script, edition.corner_quotes)


READS = {"zh-Hans": ("s",), "zh-Hant": ("t",), "zh-Hant-TW": ("tw", "t"), "zh-Hant-HK": ("hk", "t")}
"""The script prefixes of OpenCC configs (s2t, tw2s …) that read each source language."""


def config_problem(tag: str, config: str, source: str) -> str | None:
    """Why an editor's OpenCC config (or chain) cannot make `tag` from `source`; None if it can."""
    if ROUTES[source][tag] is None:
        return (
            f"{tag} is the script the articles are written in (language: {source}) "
            f"and takes no OpenCC config; remove {tag}: {config}"
        )
    steps = config.split("+")
    unknown = [step for step in steps if step not in OPENCC_CONFIGS]
    if unknown:
        return (
            f"unknown OpenCC config {unknown[0]!r} for {tag}; "
            f"valid configs: {', '.join(OPENCC_CONFIGS)}"
        )
    if steps[0].split("2")[0] not in READS[source]:
        valid = [c for c in OPENCC_CONFIGS if c.split("2")[0] in READS[source]]
        return (
            f"{config} for {tag} reads another script than the articles' "
            f"(language: {source}); use one of {', '.join(valid)}"
        )
    return None
