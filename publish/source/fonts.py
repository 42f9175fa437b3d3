"""Font roles per script (fonts/fonts.yaml), resolved to files: fonts/ first, then the system."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from publish.errors import EnvironmentProblem

FONTS_DIR = Path(__file__).resolve().parents[2] / "fonts"
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


@dataclass(frozen=True)
class FontFace:
    """An @font-face rule for a font file dropped into fonts/."""

    family: str
    url: str


FONT_SUFFIXES = (".otf", ".ttf", ".otc", ".ttc", ".woff", ".woff2")


@cache
def local_fonts(folder: Path = FONTS_DIR) -> dict[str, tuple[Path, int]]:
    """Family → (file, face index) of the font files in `folder`; these win over system fonts."""
    from fontTools.ttLib import TTCollection, TTFont

    found: dict[str, tuple[Path, int]] = {}
    for path in sorted(p for p in folder.iterdir() if p.suffix.lower() in FONT_SUFFIXES):
        try:
            faces = (
                TTCollection(path).fonts
                if path.suffix.lower() in (".ttc", ".otc")
                else [TTFont(path, lazy=True)]
            )
        except Exception as error:  # a broken file must not hide the others; say which one
            raise EnvironmentProblem(
                f"font file {path} cannot be read ({error}); remove it"
            ) from error
        for index, face in enumerate(faces):
            for record in face["name"].names:
                if record.nameID in (1, 16):
                    found.setdefault(record.toUnicode(), (path, index))
    return found


def font_faces(script: str) -> list[FontFace]:
    """@font-face rules for the script's families that come from files in fonts/."""
    local = local_fonts()
    families = sorted(set(font_roles(script).values()))
    return [FontFace(f, local[f][0].resolve().as_uri()) for f in families if f in local]


@cache
def resolve_font(family: str, role: str = "body", bold: bool = False) -> Font:
    """The file for a family; stops the build (exit 2) with the fix when it is not installed."""
    if family in local_fonts():
        path, index = local_fonts()[family]
        return Font(role, family, path, index)
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
