"""Value checkers for publish.yaml and front matter: YAML data to typed values, or why not."""

from __future__ import annotations

import datetime
import difflib
import re
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from publish.errors import InputError


class Invalid(ValueError):
    """A value does not fit its key; the message says what fits."""


Check = Callable[[Any], Any]


@dataclass(frozen=True)
class Key:
    """One declared key of a mapping in the schema."""

    check: Check
    """Turns the YAML value into the typed value, or raises Invalid."""
    doc: str
    """What the key means, for the README and did-you-mean messages."""
    required: bool = False


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' when a close match exists, else the list of valid words."""
    choices = sorted(choices)
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    valid = "valid: " + ", ".join(choices)
    return f"did you mean {close[0]!r}? ({valid})" if close else valid


def chosen(
    asked: Sequence[str], configured: Sequence[str], known: Collection[str], option: str
) -> list[str]:
    """What a command line option asked for (else the configured), each once, in order; an
    unknown word stops with the valid ones."""
    for word in asked:
        if word not in known:
            raise InputError(f"{option} {word}: unknown; {did_you_mean(word, known)}")
    return list(dict.fromkeys(asked or configured))


def text(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise Invalid(f"expected text, got {_kind(value)}")
    result = str(value).strip()
    if not result:
        raise Invalid("must not be empty")
    return result


def optional_text(value: Any) -> str:
    return "" if value is None else text(value)


def boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise Invalid(f"expected true or false, got {_kind(value)}")
    return value


def iso_date(value: Any) -> datetime.date | None:
    if value is None or isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise Invalid(f"expected a date like 2020-02-20, got {value!r}") from None


def slug(value: Any) -> str:
    result = text(value)
    if not re.fullmatch(r"[a-z0-9][a-z0-9._-]*", result):
        raise Invalid(
            f"{result!r} is not a slug: use lower-case ASCII letters, digits, '-', '.', '_'"
        )
    return result


def one_of(*choices: str) -> Check:
    def check(value: Any) -> str:
        word = text(value)
        if word not in choices:
            raise Invalid(f"unknown value {word!r}; {did_you_mean(word, choices)}")
        return word

    return check


def list_of(item: Check, *, allow_single: bool = True, min_items: int = 0) -> Check:
    def check(value: Any) -> tuple[Any, ...]:
        if allow_single and not isinstance(value, list):
            value = [value]
        if not isinstance(value, list):
            raise Invalid(f"expected a list, got {_kind(value)}")
        items = tuple(item(v) for v in value)
        if len(set(items)) != len(items):
            raise Invalid("lists an entry twice; keep one")
        if len(items) < min_items:
            raise Invalid(f"name at least {min_items}")
        return items

    return check


def text_map(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise Invalid(f"expected a mapping of term: replacement, got {_kind(value)}")
    return {text(k): text(v) for k, v in value.items()}


def positive_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise Invalid(f"expected a whole number ≥ 1, got {value!r}")
    return value


_UNITS_MM = {"mm": 1.0, "cm": 10.0, "in": 25.4, "pt": 25.4 / 72, "": 1.0}


def length_mm(value: Any) -> float:
    """A length in millimetres from 3, '3mm', '0.5cm', '10pt' or '0.25in'."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        number, unit = float(value), ""
    else:
        match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(mm|cm|in|pt)?\s*", str(value))
        if not match:
            raise Invalid(f"expected a length like 3mm, 1cm or 10pt, got {value!r}")
        number, unit = float(match[1]), match[2] or ""
    return round(number * _UNITS_MM[unit], 3)


PAGE_SIZES = {
    "A4": (210.0, 297.0),
    "A5": (148.0, 210.0),
    "B5": (176.0, 250.0),
    "16开": (185.0, 260.0),
    "16k": (185.0, 260.0),
    "大16开": (210.0, 285.0),
    "32开": (130.0, 185.0),
}


def page_size(value: Any) -> tuple[float, float]:
    """A named size (A4, 16开 …) or width and height: '185 260', '185mm 260mm', [185, 260]."""
    parts = value if isinstance(value, list) else str(value).split()
    if len(parts) == 1 and str(parts[0]) in PAGE_SIZES:
        return PAGE_SIZES[str(parts[0])]
    if len(parts) != 2:
        names = ", ".join(PAGE_SIZES)
        raise Invalid(f"unknown page size {value!r}; use one of {names}, or 'WIDTH HEIGHT' in mm")
    width, height = (length_mm(p) for p in parts)
    if not (50 <= width <= 1000 and 50 <= height <= 1000):
        raise Invalid(f"page size {width:g}×{height:g} mm is outside 50–1000 mm")
    return width, height


def margins(value: Any) -> tuple[float, float, float, float]:
    """One to four lengths in CSS order (top right bottom left)."""
    parts = [length_mm(p) for p in (value if isinstance(value, list) else str(value).split())]
    if not 1 <= len(parts) <= 4:
        raise Invalid("expected one to four lengths: top right bottom left")
    top, right = parts[0], parts[1 % len(parts)]
    bottom = parts[2] if len(parts) > 2 else top
    left = parts[3] if len(parts) > 3 else right
    return top, right, bottom, left


def _kind(value: Any) -> str:
    return {dict: "a mapping", list: "a list", type(None): "nothing"}.get(
        type(value), f"{type(value).__name__} {value!r}"
    )
