"""Which script a text is written in, judged by the characters only one script uses."""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass

from publish.text.convert import opencc_converter
from publish.text.han import HAN

MIN_TELLING = 5
"""Script-telling characters a text must have before its script is judged."""


@dataclass(frozen=True)
class ScriptCount:
    """How many characters of a text belong to one script only, with a few of each."""

    simplified: int
    traditional: int
    simplified_examples: str
    traditional_examples: str

    @property
    def script(self) -> str | None:
        """ "Hans" or "Hant" when one clearly dominates (twice the other), else None."""
        if max(self.simplified, self.traditional) < MIN_TELLING:
            return None
        if self.traditional > 2 * self.simplified:
            return "Hant"
        if self.simplified > 2 * self.traditional:
            return "Hans"
        return None


def count_script(text: str) -> ScriptCount:
    """Count Han characters that OpenCC changes one way but not the other (们 vs 們)."""
    chars = Counter(HAN.findall(text))
    simplified = {c: n for c, n in chars.items() if _kind(c) == "Hans"}
    traditional = {c: n for c, n in chars.items() if _kind(c) == "Hant"}
    return ScriptCount(
        sum(simplified.values()),
        sum(traditional.values()),
        "".join(sorted(simplified, key=simplified.get, reverse=True)[:5]),
        "".join(sorted(traditional, key=traditional.get, reverse=True)[:5]),
    )


@functools.cache
def _kind(char: str) -> str | None:
    """ "Hans" for a character only Simplified uses (们), "Hant" for one only Traditional uses."""
    to_traditional = opencc_converter("s2t")(char) != char
    to_simplified = opencc_converter("t2s")(char) != char
    if to_traditional and not to_simplified:
        return "Hans"
    if to_simplified and not to_traditional:
        return "Hant"
    return None


def script_mismatch(text: str, language: str) -> str | None:
    """Why `text` does not fit `language:` (Traditional text in a zh-Hans issue…), with the fix."""
    count = count_script(text)
    expected = "Hant" if language.startswith("zh-Hant") else "Hans"
    if count.script is None or count.script == expected:
        return None
    if count.script == "Hant":
        return (
            f"written in Traditional characters ({count.traditional} Traditional-only, e.g. "
            f"{count.traditional_examples}; {count.simplified} Simplified-only) but publish.yaml "
            f"says language: {language}; fix: set language: zh-Hant-TW for a Taiwan text, "
            "zh-Hant-HK for a Hong Kong one (zh-Hant otherwise), or replace the article"
        )
    return (
        f"written in Simplified characters ({count.simplified} Simplified-only, e.g. "
        f"{count.simplified_examples}; {count.traditional} Traditional-only) but publish.yaml "
        f"says language: {language}; fix: set language: zh-Hans, or replace the article"
    )
