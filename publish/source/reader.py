"""Reading an issue folder: publish.yaml and articles/*.md (YAML front matter + Markdown body)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from publish.errors import ConfigError, InputError
from publish.model import Article, Finding, Issue, IssueConfig, Source, Speaker
from publish.source import schema as s
from publish.source.config import Section, check_mapping, load_config
from publish.source.images import article_images
from publish.source.templates import layout_dirs
from publish.source.textfile import read_utf8
from publish.source.yamlsource import YamlDocument, load_yaml


def _list_of_mappings(value: Any) -> list:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise s.Invalid("expected a list of {name: …, role: …}")
    return value


SPEAKER = Section(
    {
        "name": s.Key(s.text, "personal name as printed", required=True),
        "role": s.Key(s.optional_text, "organisation and title as printed"),
    },
    dict,
    "speaker",
)

FRONT_MATTER = Section(
    {
        "title": s.Key(s.text, "headline", required=True),
        "subtitle": s.Key(s.optional_text, "speaker line as printed"),
        "speakers": s.Key(_list_of_mappings, "interviewees"),
        "reporters": s.Key(s.list_of(s.text), "reporter names of the byline"),
    },
    dict,
    "article",
)

FENCE = re.compile(r"^---[ \t]*$", re.MULTILINE)
FRONT_MATTER_HELP = (
    "an article starts with a line '---', then 'title: …', 'speakers: …', 'reporters: …', "
    "then a line '---', then the body"
)


def read_issue(issue_dir: Path) -> Issue:
    """The issue in a folder; raises ConfigError with every problem in config and articles."""
    config_path = issue_dir / "publish.yaml"
    if not issue_dir.is_dir():
        raise InputError(
            f"{issue_dir}: no such issue folder. Fix: pass the folder that holds publish.yaml, "
            "or make one with `publish import RAW.txt --out seeds/<slug>`"
        )
    if not config_path.is_file():
        raise InputError(
            f"{config_path}: missing. Fix: every issue folder needs a publish.yaml "
            "with at least 'title:' (see the README)"
        )
    config = load_config(config_path, _default_slug(issue_dir))
    findings: list[Finding] = []
    articles = []
    for path in article_paths(issue_dir, config):
        try:
            articles.append(read_article(path, issue_dir))
        except ConfigError as error:
            findings.extend(error.findings)
    if findings:
        raise ConfigError(findings)
    if not articles:
        raise InputError(
            f"{issue_dir / 'articles'}: the issue has no articles. Fix: add articles/NN-name.md "
            "files, or import raw text with `publish import`"
        )
    words = _layout_words(issue_dir, config)
    return Issue(config=config, articles=tuple(articles), root=issue_dir, words=words)


def _default_slug(issue_dir: Path) -> str:
    name = re.sub(r"[^a-z0-9._-]+", "-", issue_dir.resolve().name.lower()).strip("-.")
    return name or "issue"


def article_paths(issue_dir: Path, config: IssueConfig) -> list[Path]:
    """The article files in order: `articles:` when given, else file-name order."""
    folder = issue_dir / "articles"
    if not config.articles:
        return sorted(folder.glob("*.md")) if folder.is_dir() else []
    absent = [(i, name) for i, name in enumerate(config.articles) if not (folder / name).is_file()]
    if absent:
        # read the file again only now, for the line of each bad entry
        doc = load_yaml(read_utf8(config.source.path), config.source.path)
        raise ConfigError(
            Finding(
                doc.source(("articles", i)),
                f"article {name!r} is listed but {folder / name} does not exist; "
                "fix the name or remove the entry",
            )
            for i, name in absent
        )
    return [folder / name for name in config.articles]


def read_article(path: Path, root: Path | None = None) -> Article:
    """One article file: front matter validated with line numbers, the body kept as Markdown;
    the pictures of its figures found inside `root` (the issue folder, else the file's folder)."""
    text = read_utf8(path)
    fences = list(FENCE.finditer(text))
    if not text.startswith("---") or len(fences) < 2 or fences[0].start() != 0:
        raise ConfigError([Finding(Source(path, 1), f"no front matter: {FRONT_MATTER_HELP}")])
    front, body_start = text[fences[0].end() + 1 : fences[1].start()], fences[1].end()
    doc = load_yaml(front, path, first_line=2)
    findings: list[Finding] = []
    values = check_mapping(doc, (), FRONT_MATTER, findings)
    speakers = _speakers(doc, values.get("speakers", []), findings)
    body_line = text.count("\n", 0, body_start) + 2
    body = text[body_start:].lstrip("\n").rstrip() + "\n"
    body_line += _leading_blank_lines(text[body_start:])
    images, problems = article_images(path, body, body_line, root or path.parent)
    findings += problems
    if findings:
        raise ConfigError(findings)
    return Article(
        slug=path.stem,
        title=values["title"],
        subtitle=values.get("subtitle", ""),
        speakers=speakers,
        reporters=values.get("reporters", ()),
        body=body,
        source=Source(path, 1),
        body_line=body_line,
        images=images,
    )


def _speakers(doc: YamlDocument, items: list, findings: list[Finding]) -> tuple[Speaker, ...]:
    speakers = []
    for index in range(len(items)):
        values = check_mapping(doc, ("speakers", index), SPEAKER, findings)
        if "name" in values:
            source = doc.source(("speakers", index))
            speakers.append(Speaker(values["name"], values.get("role", ""), source))
    return tuple(speakers)


def _leading_blank_lines(body: str) -> int:
    stripped = body.lstrip("\n")
    return body.count("\n", 0, len(body) - len(stripped)) - 1 if stripped != body else 0


def _layout_words(issue_dir: Path, config: IssueConfig) -> dict[str, str]:
    """The layout's own words (words.yaml), the issue's copy winning key by key."""
    words: dict[str, str] = {}
    for folder in reversed(layout_dirs(issue_dir, config.layout)):
        path = folder / "words.yaml"
        if path.is_file():
            data = load_yaml(read_utf8(path), path).data or {}
            words.update({str(k): str(v) for k, v in data.items()})
    return words
