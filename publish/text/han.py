"""The one Han character class: what counts as a Chinese character for typesetting and import."""

from __future__ import annotations

import re

HAN_RANGES = (
    "\u3007"  # 〇, the ideographic zero of dates such as 二〇二〇年
    "\u3400-\u4dbf"  # Extension A
    "\u4e00-\u9fff"  # the unified ideographs
    "\uf900-\ufaff"  # compatibility ideographs
    "\U00020000-\U0002fa1f"  # Extensions B to F and I, compatibility supplement
    "\U00030000-\U000323af"  # Extensions G and H
)
"""The inside of the class, for patterns that add to it (e.g. the middle dot of names)."""
HAN = re.compile(f"[{HAN_RANGES}]")
"""One Chinese character (Unicode script Han, without radicals and iteration marks)."""


def is_han(char: str) -> bool:
    """Whether `char` is one Chinese character."""
    return HAN.fullmatch(char) is not None
