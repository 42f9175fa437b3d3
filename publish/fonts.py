"""Font roles per script (fonts/fonts.yaml), resolved to files: fonts/ first, then the system."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from publish.errors import EnvironmentProblem

FONTS_DIR = Path(__file__).resolve().parent.parent / "fonts"
APT_HINT = "sudo apt-get install fonts-noto-cjk"


@dataclass(frozen=True)
class Font:
    """A resolved font: the family CSS names, and the file (with its index in a collection)."""

    role: str
    family: str
    file: Path
    index: int
    """Face index inside a .ttc collection; 0 for a single-face file."""


@cache
def font_roles(script: str) -> dict[str, str]:
    """Role → family for a script (SC, TC, HK), as fonts/fonts.yaml declares."""
    table = yaml.safe_load((FONTS_DIR / "fonts.yaml").read_text(encoding="utf-8"))
    return dict(table[script])


@cache
def resolve_font(family: str, role: str = "body", bold: bool = False) -> Font:
    """The file for a family; stops the build (exit 2) with the fix when it is not installed."""
    if shutil.which("fc-match") is None:
        raise EnvironmentProblem(f"fontconfig (fc-match) is missing; fix: {APT_HINT} fontconfig")
    pattern = f"{family}:weight={'bold' if bold else 'regular'}"
    out = subprocess.run(
        ["fc-match", "--format=%{family}\t%{file}\t%{index}", pattern],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    found_families, file, index = (out.split("\t") + ["", "", "0"])[:3]
    if family not in found_families.split(","):
        raise EnvironmentProblem(
            f"font {family!r} ({role}) is not installed; fontconfig would fall back to "
            f"{found_families or 'nothing'}. Fix: {APT_HINT}, or drop the font file into fonts/"
        )
    return Font(role, family, Path(file), int(index or 0))


def font_set(script: str) -> dict[str, Font]:
    """Every role of a script resolved to a file."""
    return {role: resolve_font(family, role) for role, family in font_roles(script).items()}
