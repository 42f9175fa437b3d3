"""Font roles per script (fonts/fonts.yaml), resolved to files: fonts/ first, then the system."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Iterable
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
    pattern = _pattern(family, bold)
    out = _MATCHED.get(pattern)
    if out is None:
        out = subprocess.run(_fc_match(pattern), capture_output=True, text=True, check=False).stdout
    found_families, file, index = (out.split("\t") + ["", "", "0"])[:3]
    if family not in found_families.split(","):
        raise EnvironmentProblem(
            f"font {family!r} ({role}) is not installed; fontconfig would fall back to "
            f"{found_families or 'nothing'}. Fix: {APT_HINT}, or drop the font file into fonts/"
        )
    return Font(role, family, Path(file), int(index or 0))


_MATCHED: dict[str, str] = {}
"""What fc-match answered for a pattern asked ahead (match_ahead); a build's asks renew them."""


def match_ahead(scripts: Iterable[str]) -> Callable[[], None]:
    """Ask fontconfig for the files of every role of `scripts` in processes of their own, and
    return the call that waits for their answers (resolve_font then starts none): a build's
    parent asks while it imports the layout modules, on a core that would wait, where each
    edition's process asked in turn (~20 ms an edition, 6 ms a process)."""
    patterns = {
        _pattern(family, False)
        for script in scripts
        for family in font_roles(script).values()
        if family not in local_fonts()
    }
    asked = [
        (p, subprocess.Popen(_fc_match(p), stdout=subprocess.PIPE, text=True)) for p in patterns
    ]

    def answers() -> None:
        for pattern, process in asked:
            out, _ = process.communicate()
            if process.returncode == 0:
                _MATCHED[pattern] = out

    return answers


def _pattern(family: str, bold: bool) -> str:
    return f"{family}:weight={'bold' if bold else 'regular'}"


def _fc_match(pattern: str) -> list[str]:
    if shutil.which("fc-match") is None:
        raise EnvironmentProblem(f"fontconfig (fc-match) is missing; fix: {APT_HINT} fontconfig")
    return ["fc-match", "--format=%{family}\t%{file}\t%{index}", pattern]


def font_set(script: str) -> dict[str, Font]:
    """Every role of a script resolved to a file."""
    return {role: resolve_font(family, role) for role, family in font_roles(script).items()}
