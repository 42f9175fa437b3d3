"""Which script and region a paste is written in, and a Simplified shadow to match patterns on."""

from __future__ import annotations

import re

from publish.text.convert import opencc_converter

_TW = re.compile(
    r"台北|臺北|台灣|臺灣|中央社|報導者|國民黨|民進黨|立法院|行政院|新北|高雄|台中|臺中"
)
_HK = re.compile(r"香港|明報|九龍|新界|灣仔|港府|特區|港台|[嘅咗喺哋㗎冇嘢]")


def shadow(text: str) -> str:
    """`text` in Simplified characters, one character for one, so patterns written once in
    Simplified match either script and their positions index the original."""
    converted = opencc_converter("t2s")(text)
    if len(converted) == len(text):
        return converted
    # a phrase rule changed the length: fall back to converting character by character
    convert = opencc_converter("t2s")
    return "".join(c if len(s := convert(c)) != 1 else s for c in text)


def detect_language(text: str) -> str:
    """zh-Hans, or zh-Hant-TW / zh-Hant-HK / zh-Hant for a Traditional original."""
    to_simplified = sum(a != b for a, b in zip(text, shadow(text), strict=True))
    traditional = opencc_converter("s2t")(text)
    to_traditional = sum(a != b for a, b in zip(text, traditional, strict=False))
    if to_simplified <= to_traditional:
        return "zh-Hans"
    taiwan, hong_kong = len(_TW.findall(text)), len(_HK.findall(text))
    if taiwan > hong_kong:
        return "zh-Hant-TW"
    if hong_kong > taiwan:
        return "zh-Hant-HK"
    return "zh-Hant"
