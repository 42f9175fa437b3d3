"""YAML read with the line of every key, so a validation message can point at it."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from publish.errors import ConfigError
from publish.model import Finding, Source

KeyPath = tuple[str | int, ...]


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe YAML without implicit timestamps: dates stay text and are checked with their line.

    Parsed by libyaml where PyYAML has it (~10× faster: an issue of 1,000 articles has 1,000
    front matters to read before anything is laid out).
    """


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class YamlDocument:
    """Parsed YAML data plus the line of each mapping key and sequence item."""

    data: Any
    lines: dict[KeyPath, int]
    path: Path
    first_line: int = 1
    """Line of the file on which this YAML text starts (front matter starts on line 2)."""

    def source(self, key_path: KeyPath = ()) -> Source:
        """Where a key (or, failing that, its nearest parent) stands in the file."""
        for end in range(len(key_path), -1, -1):
            if key_path[:end] in self.lines:
                return Source(self.path, self.lines[key_path[:end]])
        return Source(self.path, self.first_line)


def load_yaml(text: str, path: Path, first_line: int = 1) -> YamlDocument:
    """Parse YAML text; a syntax error or a repeated key raises ConfigError with its line."""
    with _yaml_errors(path, first_line):
        node = yaml.compose(text, Loader=_Loader)
    lines: dict[KeyPath, int] = {}
    problems: list[Finding] = []
    if node is not None:
        _record_lines(node, (), lines, problems, path, first_line, set())
    if problems:
        raise ConfigError(problems)
    with _yaml_errors(path, first_line):
        # constructing can still fail where composing did not, e.g. a mapping used as a key
        data = _Loader("").construct_document(node) if node is not None else None
    return YamlDocument(data, lines, path, first_line)


@contextlib.contextmanager
def _yaml_errors(path: Path, first_line: int) -> Iterator[None]:
    """Turn PyYAML's errors into a ConfigError pointing at the line."""
    try:
        yield
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = first_line + (mark.line if mark else 0)
        problem = (error.problem or error.context or "syntax error").strip()
        raise ConfigError(
            [Finding(Source(path, line), f"invalid YAML: {problem}; fix the syntax on this line")]
        ) from None
    except yaml.YAMLError as error:
        raise ConfigError([Finding(Source(path, first_line), f"invalid YAML: {error}")]) from None


def _record_lines(
    node: yaml.Node,
    here: KeyPath,
    lines: dict[KeyPath, int],
    problems: list[Finding],
    path: Path,
    first_line: int,
    seen_nodes: set[int],
) -> None:
    line = first_line + node.start_mark.line
    if id(node) in seen_nodes:
        # an alias: repeated or recursive structures are not needed in a config and can explode
        message = "YAML anchors and aliases (&name, *name) are not supported; write the value out"
        problems.append(Finding(Source(path, line), message))
        return
    seen_nodes.add(id(node))
    lines.setdefault(here, line)
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            line = first_line + key_node.start_mark.line
            if key in seen:
                message = f"key {key!r} is given twice; keep one"
                problems.append(Finding(Source(path, line), message))
            seen.add(key)
            lines[(*here, key)] = line
            args = (lines, problems, path, first_line, seen_nodes)
            _record_lines(value_node, (*here, key), *args)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_lines(item, (*here, index), lines, problems, path, first_line, seen_nodes)
