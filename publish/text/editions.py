"""The editions the program can make, and how each is chosen from publish.yaml."""

from __future__ import annotations

from publish.errors import InputError
from publish.model import ConversionOptions, Edition

EDITIONS: dict[str, Edition] = {
    "zh-Hans": Edition("zh-Hans", None, "SC", corner_quotes=False),
    "zh-Hant": Edition("zh-Hant", "s2t", "TC", corner_quotes=True),
    "zh-Hant-TW": Edition("zh-Hant-TW", "s2tw", "TC", corner_quotes=True),
    "zh-Hant-HK": Edition("zh-Hant-HK", "s2hk", "HK", corner_quotes=True),
}

OPENCC_CONFIGS = ("s2t", "s2tw", "s2twp", "s2hk")
"""OpenCC configs an edition may use (from Simplified source text); each is tested upstream."""


def edition_for(tag: str, conversion: ConversionOptions) -> Edition:
    """The edition for a tag, with the OpenCC config publish.yaml asks for."""
    edition = EDITIONS.get(tag)
    if edition is None:
        raise InputError(f"unknown edition {tag!r}; valid editions: {', '.join(EDITIONS)}")
    config = conversion.configs.get(tag)
    if config is None and tag == "zh-Hant-TW" and conversion.regional_phrases:
        config = "s2twp"
    if config is None or config == edition.opencc_config:
        return edition
    if edition.opencc_config is None:
        raise InputError(
            f"conversion.configs: {tag} is the Simplified source and takes no OpenCC config; "
            f"remove {tag}: {config}"
        )
    if config not in OPENCC_CONFIGS:
        raise InputError(
            f"conversion.configs: unknown OpenCC config {config!r} for {tag}; "
            f"valid configs: {', '.join(OPENCC_CONFIGS)}"
        )
    return Edition(edition.tag, config, edition.script, edition.corner_quotes)
