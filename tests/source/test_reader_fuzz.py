"""Arbitrary bytes as publish.yaml or an article: an Issue or a clean error, never a crash."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from publish.errors import PublishError
from publish.source.reader import read_issue
from tests.conftest import MINIMAL

YAMLISH = st.text(
    alphabet=st.sampled_from(list("titleditonspdfcarw:-[]{},'\"&*!|>#% \n\t\u3000中文范0123")),
    max_size=120,
)
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def read_with(relative: str, content: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        issue = Path(tmp) / "issue"
        shutil.copytree(MINIMAL, issue)
        (issue / relative).write_bytes(content)
        try:
            read_issue(issue)
        except PublishError as error:
            assert str(error).strip(), "an error must say something"


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
