"""The package's shape: imports only go down the rooms, no cycles, small modules and functions,
WeasyPrint's internals read only in publish/pdf/weasy."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "publish"

ROOMS = (
    ("publish.cli", 6),
    ("publish.bench", 6),
    ("publish.__main__", 7),
    ("publish.serve", 5.5),
    ("publish.build", 5),
    ("publish.importer", 4),
    ("publish.pdf.weasy", 3.5),
    ("publish.pdf", 4),
    ("publish.epub", 4),
    ("publish.source", 3),
    ("publish.text", 2),
    ("publish.run", 1),
    ("publish.model", 0),
    ("publish.errors", 0.5),
    ("publish", 0),
)
"""Each room (a module or a folder) and its height: a module imports only from lower rooms, or
from its own room without cycles. serve (watch, preview) calls the build, as the command line
does. pdf/weasy sits below the rest of pdf: it patches WeasyPrint
and knows nothing of long issues."""


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def room(module: str) -> tuple[str, float]:
    """The room of a module: the longest matching prefix in ROOMS."""
    for name, height in ROOMS:
        if module == name or module.startswith(name + "."):
            return name, height
    raise AssertionError(f"{module} is in no room: add its folder to ROOMS")


def imported(module: str) -> Iterator[tuple[str, int]]:
    """(module of publish, line) of every import in `module`, inside functions and
    TYPE_CHECKING blocks included; `from package import name` counts as the submodule if
    there is one."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                base = f"{base}.{node.module}" if node.module else base
            names = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base
                for alias in node.names
            ]
        else:
            continue
        for name in names:
            if name == "publish" or name.startswith("publish."):
                while name not in MODULES:
                    name = name.rpartition(".")[0]
                if name != module:
                    yield name, node.lineno


GRAPH = {module: dict(imported(module)) for module in MODULES}


def test_every_module_is_in_a_room() -> None:
    assert len(MODULES) > 40
    for module in MODULES:
        room(module)


def test_imports_only_go_down_the_rooms() -> None:
    upward = []
    for module, targets in GRAPH.items():
        here, height = room(module)
        for target, line in targets.items():
            there, target_height = room(target)
            if there != here and target_height >= height:
                upward.append(f"{MODULES[module].relative_to(ROOT)}:{line}: imports {target}")
    assert upward == []


def find_cycle(graph: dict[str, dict[str, int]]) -> list[str] | None:
    """One cycle of the import graph, as the modules around it; None if there is none."""
    state: dict[str, int] = {}  # 1: on the path being walked, 2: done
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        path.append(module)
        for target in graph.get(module, {}):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (found := visit(target)):
                return found
        path.pop()
        state[module] = 2
        return None

    for module in graph:
        if module not in state and (found := visit(module)):
            return found
    return None


def test_no_import_cycles() -> None:
    assert find_cycle(GRAPH) is None


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b": 1}, "b": {"c": 1}, "c": {"a": 1}, "d": {"a": 1}}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b": 1}, "b": {}}) is None


def test_the_graph_sees_imports_inside_functions() -> None:
    # build imports the PDF writers only when it writes a PDF
    assert "publish.pdf.chunked" in GRAPH["publish.build"]
    assert "publish.pdf.worker" in GRAPH["publish.pdf.join"]  # under TYPE_CHECKING


@pytest.mark.parametrize("module", sorted(MODULES))
def test_modules_and_functions_are_small(module: str) -> None:
    source = MODULES[module].read_text(encoding="utf-8")
    assert source.count("\n") <= 400, f"{module}: over 400 lines"
    long = [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        and node.end_lineno - node.lineno + 1 > 60
    ]
    assert long == []


PRIVATE_READS = ("_page_box", "_harfbuzz_subset", "make_page_bookmark_tree")


def test_only_pdf_weasy_reads_weasyprint_internals() -> None:
    found = []
    for module, path in MODULES.items():
        if module.startswith("publish.pdf.weasy"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("weasyprint."):
                found.append(f"{module}:{node.lineno}: from {node.module} import")
            if isinstance(node, ast.Attribute) and node.attr in PRIVATE_READS:
                found.append(f"{module}:{node.lineno}: .{node.attr}")
    assert found == []
