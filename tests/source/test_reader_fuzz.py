"""Arbitrary bytes as publish.yaml or an article: an Issue or a clean error, never a crash; and
any well-formed title or body is read back as written (a reader refusing all input fails)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from publish.errors import PublishError
from publish.model import Issue
from publish.source.reader import read_issue
from tests.conftest import MINIMAL

YAMLISH = st.text(
    alphabet=st.sampled_from(list("titleditonspdfcarw:-[]{},'\"&*!|>#% \n\t\u3000中文范0123")),
    max_size=120,
)
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def read_with(relative: str, content: bytes) -> Issue | None:
    """The minimal issue with one file replaced, as read; None if it was refused, cleanly."""
    with tempfile.TemporaryDirectory() as tmp:
        issue = Path(tmp) / "issue"
        shutil.copytree(MINIMAL, issue)
        (issue / relative).write_bytes(content)
        try:
            return read_issue(issue)
        except PublishError as error:
            assert str(error).strip(), "an error must say something"
            return None


WORDS = st.text(
    alphabet=st.characters(whitelist_categories=("L", "N", "P", "S", "Zs")), min_size=1, max_size=40
).filter(lambda text: text.strip())
"""Printable text of letters, digits, punctuation, symbols and spaces; never blank."""
READ_BACK = settings(max_examples=50, deadline=None)
"""Fewer examples than FUZZ: well-formed input explores less, and each costs a whole read."""


@READ_BACK
@given(WORDS)
def test_any_title_is_read_back(title):
    config = (MINIMAL / "publish.yaml").read_text(encoding="utf-8").splitlines()
    line = yaml.safe_dump({"title": title}, allow_unicode=True, width=1000).strip()
    content = "\n".join([line, *config[1:]]) + "\n"
    issue = read_with("publish.yaml", content.encode())
    assert issue is not None and issue.config.title == title.strip()


@READ_BACK
@given(WORDS)
def test_any_body_is_read_back(body):
    article = (MINIMAL / "articles" / "01-fan-yong.md").read_text(encoding="utf-8")
    front = article[: article.index("---", 3) + 3]
    issue = read_with("articles/01-fan-yong.md", f"{front}\n{body}\n".encode())
    assert issue is not None and issue.articles[0].body.strip() == body.strip()


@FUZZ
@given(st.binary(max_size=200))
def test_config_bytes(content):
    read_with("publish.yaml", content)


@FUZZ
@given(YAMLISH)
def test_config_yamlish_text(text):
    read_with("publish.yaml", ("title: 特刊\n" + text).encode())


@FUZZ
@given(YAMLISH, st.text(max_size=80))
def test_article_front_matter_and_body(front, body):
    read_with("articles/01-fan-yong.md", f"---\n{front}\n---\n{body}".encode())


@FUZZ
@given(st.binary(max_size=200))
def test_article_bytes(content):
    read_with("articles/01-fan-yong.md", content)
