"""`publish import`: raw newspaper text to an issue folder (publish.yaml + articles/NN-name.md)."""

from __future__ import annotations

import datetime
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml
from pypinyin import Style, lazy_pinyin

from publish.errors import ConfigError, EnvironmentProblem, InputError
from publish.importer.escape import escape_markdown
from publish.importer.lines import Block, blocks, decode_paste
from publish.importer.paste import PastedArticle, infer_article
from publish.importer.rawtext import RawArticle, parse_raw, seed_shaped
from publish.importer.report import ImportNote, report_text
from publish.importer.script import detect_language
from publish.importer.split import split_articles, with_footnotes
from publish.importer.writer import pasted_markdown
from publish.model import Issue, Speaker
from publish.run.interrupt import shielded
from publish.source.textfile import read_user_file

REPORT = "import-report.txt"
"""The import report's file in the issue folder."""
MAX_PASTE = 20 * 1024 * 1024
"""Largest text file imported: a whole special issue is well under a megabyte."""


@dataclass(frozen=True)
class Imported:
    """What an import made: the issue as read back, and the report for the editor."""

    issue: Issue
    """The issue folder as the reader sees it."""
    report: str
    """The import report (also written to the folder as import-report.txt)."""


def import_raw(raw: Path, out: Path, **options: object) -> Issue:
    """Import a paste or Word file into the issue folder `out`; the issue read back."""
    return import_file(raw, out, **options).issue


def import_file(
    raw: Path,
    out: Path,
    *,
    force: bool = False,
    title: str | None = None,
    subtitle: str = "",
    publisher: str = "",
    date: datetime.date | str | None = None,
    slug: str | None = None,
) -> Imported:
    """Import pasted text or a Word file into the issue folder `out`, written atomically (the
    articles, images and the import report); read it back."""
    check_target(raw, out, force)
    given, text, encoding, images = _source(raw)
    language = detect_language(text)
    seeded = parse_raw(text, raw) if given is None and seed_shaped(text) else None
    pasted: list[PastedArticle] = []
    if seeded is None:
        groups = with_footnotes(split_articles(given if given is not None else blocks(text)))
        pasted = [infer_article(group, raw) for group in groups]
        if not pasted:
            raise InputError(f"{raw}: no text to import. Fix: paste the article text into it")
    # each article's first speaker, whom it interviews, as on the e-book cover
    people = [article.speakers[0].name for article in (seeded or pasted) if article.speakers]
    made = "" if title else working_title(people, language)
    config = {
        "title": (title or made or raw.stem).strip(),
        "subtitle": subtitle.strip(),
        "publisher": publisher.strip(),
        "date": parse_date(date),
        "slug": slug or default_slug(out),
    }
    origin = "--title" if title else "the speakers" if made else "the file name"
    files: dict[str, str | bytes] = {"publish.yaml": issue_yaml(config, language, origin)}
    files.update(images)
    lines: dict[str, int] = {}
    note = ImportNote(str(raw), encoding, language, str(config["title"]), origin)
    if seeded is not None:
        report = _seed_articles(seeded, files, lines, note)
    else:
        report = _pasted_articles(pasted, files, lines, note)
    files[REPORT] = report
    try:
        write_folder(out, files, lambda folder: _read_back(folder, raw, lines))
    except OSError as error:
        raise EnvironmentProblem(
            f"{out}: cannot write the issue folder ({error.strerror or error}); nothing was "
            "replaced. Fix: choose a writable --out folder with free space"
        ) from None
    return Imported(_read_back(out, raw, lines), report)


def _source(raw: Path) -> tuple[list[Block] | None, str, str, dict[str, bytes]]:
    """A Word file's blocks (None for text), the text, its encoding, and image files by path."""
    if raw.suffix.lower() == ".docx":
        from publish.importer.word import read_word  # mammoth loads only for Word files

        document = read_word(raw)
        return list(document.blocks), document.text, "Word (.docx)", document.images
    decoded = decode_paste(_read_bytes(raw), raw)
    return None, decoded.text, decoded.encoding, {}


def _read_bytes(raw: Path) -> bytes:
    """The bytes of a text file, refused when missing, unreadable or far too large."""
    return read_user_file(
        raw,
        MAX_PASTE,
        f"the file is over {MAX_PASTE // 2**20} MB, far more than a paste of articles. "
        "Fix: import the articles, not an archive or a binary file",
    )


def _seed_articles(
    articles: list[RawArticle], files: dict, lines: dict[str, int], note: ImportNote
) -> str:
    """Files of articles in the seed's marked shape (# headline, ### ——访…, （reporters）)."""
    for index, article in enumerate(articles, 1):
        name = f"articles/{file_stem(index, article.speakers)}.md"
        files[name], lines[Path(name).name] = article_markdown(article), article.line
    people = [
        f"  {n:02d} {a.title}: {', '.join(s.name for s in a.speakers) or 'no speaker'}"
        for n, a in enumerate(articles, 1)
    ]
    return (
        report_text(note, []).rstrip("\n")
        + "\n  shape: marked (# headline)\n"
        + "\n".join(people)
        + "\n"
    )


def _pasted_articles(
    articles: list[PastedArticle], files: dict, lines: dict[str, int], note: ImportNote
) -> str:
    """Files of articles inferred from an unmarked paste, and the report on them."""
    named = []
    for index, article in enumerate(articles, 1):
        name = f"articles/{file_stem(index, article.speakers)}.md"
        front = article_front(article)
        files[name] = pasted_markdown(article, _dump(front), escape_markdown)
        lines[Path(name).name] = article.line
        named.append((Path(name).name, article))
    return report_text(note, named)


def article_front(article: PastedArticle) -> dict[str, object]:
    """The front matter keys of an inferred article."""
    front: dict[str, object] = {"title": article.title}
    if article.subtitle:
        front["subtitle"] = article.subtitle
    front["speakers"] = [
        {"name": s.name} | ({"role": s.role} if s.role else {}) for s in article.speakers
    ]
    front["reporters"] = list(article.byline.reporters)
    return front


def _read_back(folder: Path, raw: Path, lines: dict[str, int]) -> Issue:
    """The issue as the reader sees it; a finding of the reader points back into the raw file."""
    from publish.source.reader import (
        read_issue,  # the reader imports config machinery; load it late
    )

    try:
        return read_issue(folder)
    except ConfigError as error:
        first = error.findings[0]
        if first.source.path.name == "publish.yaml":
            raise InputError(
                f"import options: {first.message}. Fix: correct --title, --subtitle, "
                "--publisher, --date or --slug"
            ) from None
        raise InputError(
            f"{raw}:{lines.get(first.source.path.name, 1)}: the imported article does not pass "
            f"the reader's checks ({first.message}). Fix: correct it in the raw text, import again"
        ) from None


def issue_yaml(
    values: dict[str, object], language: str = "zh-Hans", origin: str = "the file name"
) -> str:
    """publish.yaml for an imported issue, in the contract's key order; the source script's
    edition first, the other script's second. `origin`: where its title came from (--title,
    the speakers, the file name), which the header comment tells the editor."""
    data = {key: value for key, value in values.items() if value not in ("", None)}
    data |= {
        "language": language,
        "editions": [language, "zh-Hant-TW" if language == "zh-Hans" else "zh-Hans"],
        "formats": ["pdf", "epub"],
        "layout": "special-issue",
        "toc": {"by": "speaker", "order": "appearance"},
    }
    header = {
        "--title": "# Made by `publish import`.\n",
        "the speakers": "# Made by `publish import`; the raw text has no issue title, so this "
        "working one names the speakers: edit title and subtitle.\n",
        "the file name": "# Made by `publish import`; the raw text has no issue title: "
        "edit title and subtitle.\n",
    }[origin]
    return header + _dump(data)


INTERVIEW = {"zh-Hans": "专访", "zh-Hant": "專訪"}
"""The word a newspaper puts after the name of whom it interviews (张善政专访), by script."""
COLLECTION = {"zh-Hans": "访谈录", "zh-Hant": "訪談錄"}
"""A collection of interviews, for an issue of more speakers than a title can name."""
NAMED_SPEAKERS = 3
"""Most speakers a working title names."""


def working_title(speakers: list[str], language: str) -> str:
    """A title for an issue imported without one, in its script: whom its articles interview
    (张善政专访, 甲、乙专访), a collection of interviews when they are many; '' for none."""
    names = list(dict.fromkeys(speakers))
    script = "zh-Hans" if language == "zh-Hans" else "zh-Hant"
    if not names:
        return ""
    if len(names) > NAMED_SPEAKERS:
        return COLLECTION[script]
    return "、".join(names) + INTERVIEW[script]


def article_markdown(article: RawArticle) -> str:
    """An article file: YAML front matter, then the body paragraphs separated by blank lines."""
    front = {"title": article.title}
    if article.subtitle:
        front["subtitle"] = article.subtitle
    front["speakers"] = [
        {"name": s.name} | ({"role": s.role} if s.role else {}) for s in article.speakers
    ]
    front["reporters"] = list(article.reporters)
    body = "\n\n".join(escape_markdown(p) for p in article.paragraphs)
    return f"---\n{_dump(front)}---\n{body}\n"


class _IndentedDumper(yaml.SafeDumper):
    """A safe dumper that indents list items under their key, as the contract shows them."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _dump(data: dict[str, object]) -> str:
    """YAML that reads back to `data`: flow style for short lists, never wrapped."""
    return yaml.dump(
        data,
        Dumper=_IndentedDumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=None,
        width=10**6,
    )


def parse_date(value: datetime.date | str | None) -> datetime.date | None:
    """The issue date from a date or an ISO string (2020-02-20)."""
    if value is None or isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(
            f"--date {value!r}: not a date. Fix: write it as YYYY-MM-DD, e.g. 2020-02-20"
        ) from None


def default_slug(out: Path) -> str:
    """The issue slug from the output folder's name (seeds/jiyang-2020 → jiyang-2020)."""
    name = re.sub(r"[^a-z0-9._-]+", "-", out.resolve().name.lower()).strip("-.")
    return name or "issue"


# ---- file names ---------------------------------------------------------------------------------

_SURNAMES = {
    "曾": "zeng",
    "单": "shan",
    "解": "xie",
    "仇": "qiu",
    "区": "ou",
    "查": "zha",
    "翟": "zhai",
    "盖": "ge",
    "朴": "piao",
    "乐": "yue",
    "缪": "miao",
    "覃": "qin",
    "尉": "yu",
    "长": "zhang",
    "重": "chong",
    "种": "chong",
    "召": "shao",
    "万": "wan",
}
"""Surnames read differently from the character's common reading (pypinyin has no name mode)."""


def file_stem(index: int, speakers: tuple[Speaker, ...]) -> str:
    """NN-<pinyin of the first speaker's name>, e.g. 01-yan-li-ran; NN-article without speaker."""
    if not speakers:
        return f"{index:02d}-article"
    name = speakers[0].name
    syllables = [_SURNAMES.get(name[0], "")] if name[0] in _SURNAMES else []
    syllables += lazy_pinyin(name[len(syllables) :], style=Style.NORMAL, errors="default")
    words = re.sub(r"[^a-z0-9]+", "-", "-".join(syllables).lower()).strip("-")
    return f"{index:02d}-{words[:40].strip('-') or 'article'}"


# ---- writing the folder -------------------------------------------------------------------------


def check_target(raw: Path, out: Path, force: bool) -> None:
    """Refuse an output folder that exists (without --force), is not an issue, or holds the raw."""
    if raw.resolve().is_relative_to(out.resolve()):
        raise InputError(f"{out}: holds the raw file {raw}. Fix: import into another folder")
    if not out.exists() or (out.is_dir() and not any(out.iterdir())):
        return
    if not out.is_dir() or not (out / "publish.yaml").is_file():
        raise InputError(
            f"{out}: exists and is not an issue folder (no publish.yaml); it is left alone. "
            "Fix: choose a new --out folder"
        )
    if not force:
        raise InputError(
            f"{out}: exists already. Fix: choose another --out folder, or pass --force to "
            "replace it (the old folder is removed only after the new one is complete)"
        )


def write_folder(out: Path, files: dict[str, str | bytes], check: Callable[[Path], object]) -> None:
    """Write `files` into a temporary sibling folder, `check` it, then rename it to `out`."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with shielded():  # made and known to the cleanup below, or not made (Ctrl-C, SIGTERM)
        temporary = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent))
    try:
        os.chmod(temporary, 0o755)  # mkdtemp makes it private; an issue folder is an ordinary one
        for name, content in files.items():
            (temporary / name).parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                (temporary / name).write_bytes(content)
            else:
                (temporary / name).write_text(content, encoding="utf-8")
        check(temporary)
        with shielded():  # between its two renames there is no folder at `out`
            _replace_folder(temporary, out)
    finally:
        with shielded():
            shutil.rmtree(temporary, ignore_errors=True)


def _replace_folder(new: Path, out: Path) -> None:
    """Rename `new` to `out`; an old `out` is moved aside first and removed once `new` is in."""
    if not out.exists():
        os.replace(new, out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".old", dir=out.parent))
    os.replace(out, old)
    try:
        os.replace(new, out)
    except OSError:
        os.replace(old, out)
        raise
    shutil.rmtree(old, ignore_errors=True)
