"""The README documents every publish.yaml key the schema declares, and nothing it does not."""

from __future__ import annotations

import re

from publish.source.config import ISSUE, Section
from tests.conftest import ROOT


def declared_keys(section: Section, prefix: str = "") -> set[str]:
    keys = set()
    for name, spec in section.keys.items():
        if isinstance(spec, Section):
            keys |= declared_keys(spec, f"{prefix}{name}.")
        else:
            keys.add(f"{prefix}{name}")
    return keys


def test_readme_key_table_matches_the_schema():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("### publish.yaml", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `([a-z_.]+)` \|", table, flags=re.MULTILINE))
    assert documented == declared_keys(ISSUE)
