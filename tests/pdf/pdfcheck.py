"""Scripted checks of named PDF/X-4 and PDF/UA-1 rules, read from the file with pikepdf."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pikepdf

RGB_OPERATORS = {"rg", "RG"}
"""Operators that set a DeviceRGB colour directly (ISO 32000-1 §8.6.8)."""
SHOW_OPERATORS = {"Tj", "TJ", "'", '"'}


@dataclass(frozen=True)
class MarkedText:
    """A text-showing operator and the marked-content sequences around it."""

    page: int
    tags: tuple[str, ...]
    mcid: int | None
    """The MCID of the innermost sequence carrying one, if any."""


def _contents(pdf: pikepdf.Pdf) -> Iterator[tuple[int, pikepdf.Object, list]]:
    """Each content stream of each page (the page's own and its Form XObjects, once each)."""
    for number, page in enumerate(pdf.pages, start=1):
        yield number, page.obj, pikepdf.parse_content_stream(page)
        seen: set[tuple[int, int]] = set()
        stack = [page.obj.get("/Resources")]
        while stack:
            resources = stack.pop()
            if resources is None:
                continue
            for xobject in (resources.get("/XObject") or {}).values():
                key = xobject.objgen
                if key in seen or xobject.get("/Subtype") != "/Form":
                    continue
                seen.add(key)
                yield number, xobject, pikepdf.parse_content_stream(xobject)
                stack.append(xobject.get("/Resources"))


def device_rgb_uses(path: Path) -> list[str]:
    """Every DeviceRGB colour in the file: `rg`/`RG` operators, `/DeviceRGB` colour spaces
    selected with `cs`/`CS`, and RGB images or groups."""
    found = []
    with pikepdf.open(path) as pdf:
        for number, owner, instructions in _contents(pdf):
            for operands, operator in instructions:
                name = str(operator)
                if name in RGB_OPERATORS:
                    found.append(f"page {number}: {name}")
                if name in ("cs", "CS") and str(operands[0]) == "/DeviceRGB":
                    found.append(f"page {number}: {name} /DeviceRGB")
            group = owner.get("/Group")
            if group is not None and str(group.get("/CS", "")) == "/DeviceRGB":
                found.append(f"page {number}: transparency group in DeviceRGB")
        for obj in pdf.objects:
            image = isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image"
            if image and str(obj.get("/ColorSpace", "")) == "/DeviceRGB":
                found.append(f"image {obj.objgen}: /DeviceRGB")
    return found


def marked_text(path: Path) -> list[MarkedText]:
    """Every text-showing operator of every page with the marked content it sits in."""
    shown = []
    with pikepdf.open(path) as pdf:
        for number, _, instructions in _contents(pdf):
            stack: list[tuple[str, int | None]] = []
            for operands, operator in instructions:
                name = str(operator)
                if name in ("BMC", "BDC"):
                    mcid = None
                    if name == "BDC" and isinstance(operands[1], pikepdf.Dictionary):
                        mcid = operands[1].get("/MCID")
                    stack.append((str(operands[0]), None if mcid is None else int(mcid)))
                elif name == "EMC" and stack:
                    stack.pop()
                elif name in SHOW_OPERATORS:
                    mcids = [m for _, m in stack if m is not None]
                    tags = tuple(t for t, _ in stack)
                    shown.append(MarkedText(number, tags, mcids[-1] if mcids else None))
    return shown


def structure_mcids(path: Path) -> set[tuple[int, int]]:
    """(page, MCID) of every marked-content reference reachable from the structure tree root."""
    found: set[tuple[int, int]] = set()
    with pikepdf.open(path) as pdf:
        pages = {page.obj.objgen: n for n, page in enumerate(pdf.pages, start=1)}
        root = pdf.Root.get("/StructTreeRoot")
        if root is None:
            return found
        stack = [(root, None)]
        while stack:
            node, page = stack.pop()
            if isinstance(node, pikepdf.Dictionary) and "/Pg" in node:
                page = pages.get(node.Pg.objgen, page)
            kids = node.get("/K") if isinstance(node, pikepdf.Dictionary) else None
            if kids is None:
                continue
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                if isinstance(kid, int) or (hasattr(kid, "is_integer") and kid.is_integer):
                    found.add((page, int(kid)))
                elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                    mcr_page = pages.get(kid.Pg.objgen, page) if "/Pg" in kid else page
                    found.add((mcr_page, int(kid.MCID)))
                elif isinstance(kid, pikepdf.Dictionary):
                    stack.append((kid, page))
    return found


def untagged_text(path: Path) -> list[MarkedText]:
    """Text neither inside an Artifact nor in marked content the structure tree reaches
    (ISO 14289-1 §7.1: content is tagged or marked as artifact)."""
    tagged = structure_mcids(path)
    return [
        text
        for text in marked_text(path)
        if "/Artifact" not in text.tags
        and (text.mcid is None or (text.page, text.mcid) not in tagged)
    ]


def structure_elements(path: Path, kind: str) -> list[pikepdf.Dictionary]:
    """The structure elements of one type (`/P`, `/TOCI`, …) reachable from the root."""
    found = []
    with pikepdf.open(path) as pdf:
        root = pdf.Root.get("/StructTreeRoot")
        stack = [root] if root is not None else []
        while stack:
            node = stack.pop()
            kids = node.get("/K")
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    if str(kid.S) == kind:
                        found.append(kid)
                    stack.append(kid)
    return found


def element_attributes(path: Path) -> list[dict[str, str]]:
    """The type, alternate text and header scope of every structure element under the root."""
    found = []
    with pikepdf.open(path) as pdf:
        root = pdf.Root.get("/StructTreeRoot")
        stack = [root] if root is not None else []
        while stack:
            node = stack.pop()
            kids = node.get("/K")
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    attributes = kid.get("/A")
                    scope = attributes.get("/Scope", "") if attributes is not None else ""
                    found.append(
                        {"S": str(kid.S), "Alt": str(kid.get("/Alt", "")), "Scope": str(scope)}
                    )
                    stack.append(kid)
    return found


def link_descriptions(path: Path) -> list[str]:
    """The /Contents of every link annotation, page by page."""
    with pikepdf.open(path) as pdf:
        return [
            str(annot.get("/Contents", ""))
            for page in pdf.pages
            for annot in page.obj.get("/Annots", [])
            if annot.get("/Subtype") == "/Link"
        ]


def ink_coverage(path: Path, first: int, last: int) -> list[tuple[float, float, float, float]]:
    """Ghostscript's ink coverage (C, M, Y, K as fractions of the trim area) of pages."""
    result = subprocess.run(
        ["gs", "-q", "-dUseTrimBox", f"-dFirstPage={first}", f"-dLastPage={last}"]
        + ["-o", "-", "-sDEVICE=inkcov", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    rows = re.findall(r"^\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+CMYK", result.stdout, re.M)
    return [tuple(float(v) for v in row) for row in rows]  # type: ignore[misc]
