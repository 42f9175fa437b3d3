"""publish.yaml validation: exact messages, every problem at once, typed values."""

from __future__ import annotations

from pathlib import Path

import pytest

from publish.errors import ConfigError
from publish.source.config import load_config


def load(tmp_path: Path, text: str):
    path = tmp_path / "publish.yaml"
    path.write_text(text, encoding="utf-8")
    return load_config(path, "folder-name")


def messages(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, text)
    return [f"{f.source.line}: {f.message}" for f in caught.value.findings]


def test_minimal_config_gets_the_documented_defaults(tmp_path):
    config = load(tmp_path, "title: 特刊\n")
    assert config.title == "特刊"
    assert config.slug == "folder-name"
    assert config.editions == ("zh-Hans",)
    assert config.formats == ("pdf", "epub")
    assert config.pdf.page_size == (210.0, 297.0)
    assert config.toc.order == "appearance"


def test_every_problem_is_reported_at_once_with_its_line(tmp_path):
    text = (
        "titel: 特刊\n"
        "editions: [zh-Hans, zh-Hant-XX]\n"
        "pdf:\n"
        "  colums: 2\n"
        "  bleed: lots\n"
        "toc: {order: alphabet}\n"
    )
    assert messages(tmp_path, text) == [
        "1: unknown key 'titel'; did you mean 'title'? (valid: articles, conversion, creator, "
        "date, editions, epub, formats, language, layout, pdf, publisher, slug, subtitle, title, "
        "toc)",
        "1: missing required key 'title': add a line 'title: …' "
        "(issue title, printed on the masthead)",
        "2: editions: unknown value 'zh-Hant-XX'; did you mean 'zh-Hant'? "
        "(valid: zh-Hans, zh-Hant, zh-Hant-HK, zh-Hant-TW)",
        "4: unknown key 'colums'; did you mean 'columns'? (valid: article_new_page, bleed, "
        "column_gap, columns, margins, marks, page_size, press_profile, standard)",
        "5: pdf.bleed: expected a length like 3mm, 1cm or 10pt, got 'lots'",
        "6: toc.order: unknown value 'alphabet'; valid: appearance, pinyin, strokes, zhuyin",
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("formats: [pdf, docx]", "formats: unknown value 'docx'; valid: epub, pdf"),
        ("pdf: {standard: pdf/x-3}", "pdf.standard: unknown value 'pdf/x-3'; did you mean"),
        ("pdf: {page_size: A3}", "pdf.page_size: unknown page size 'A3'; use one of A4"),
        ("pdf: {columns: 0}", "pdf.columns: expected a whole number ≥ 1, got 0"),
        ("date: 20.2.2020", "date: expected a date like 2020-02-20, got '20.2.2020'"),
        ("editions: []", "editions: name at least 1"),
        ("conversion: {configs: {zh-Hant: s2j}}", "conversion.configs: unknown value 's2j'"),
        ("conversion: {configs: {zh-Hans: s2t}}", "conversion.configs: zh-Hans is the script"),
        ("epub: {embed_fonts: yes please}", "epub.embed_fonts: expected true or false"),
        ("slug: Ji Yang", "slug: 'Ji Yang' is not a slug"),
        ("layout: specal-issue", "unknown layout 'specal-issue'; did you mean 'special-issue'?"),
    ],
)
def test_bad_values_name_the_key_and_what_fits(tmp_path, line, expected):
    found = messages(tmp_path, f"title: 特刊\n{line}\n")
    assert len(found) == 1
    assert found[0].startswith(f"2: {expected}")


def test_print_options_are_parsed_to_millimetres(tmp_path):
    config = load(
        tmp_path,
        "title: 特刊\npdf:\n  page_size: 16开\n  bleed: 3mm\n  margins: 2cm 15\n"
        "  marks: [crop, cross]\n  standard: pdf/x-4\n",
    )
    assert config.pdf.page_size == (185.0, 260.0)
    assert config.pdf.bleed == 3.0
    assert config.pdf.margins == (20.0, 15.0, 20.0, 15.0)
    assert config.pdf.marks == ("crop", "cross")
    assert config.pdf.standard == "pdf/x-4"


def test_custom_page_size_in_millimetres(tmp_path):
    assert load(tmp_path, "title: 特刊\npdf: {page_size: 170 240}\n").pdf.page_size == (
        170.0,
        240.0,
    )


def test_invalid_yaml_points_at_the_line(tmp_path):
    found = messages(tmp_path, "title: 特刊\neditions: [zh-Hans\nformats: [pdf]\n")
    assert len(found) == 1
    assert found[0].startswith("3: invalid YAML:")


def test_a_key_given_twice_is_an_error_not_a_silent_override(tmp_path):
    assert messages(tmp_path, "title: 一\ntitle: 二\n") == [
        "2: key 'title' is given twice; keep one"
    ]


def test_a_list_instead_of_a_mapping(tmp_path):
    assert messages(tmp_path, "- title\n") == ["1: the file must be a mapping of key: value"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "title: x\ndate: 2020-13-45\n",
            "2: date: expected a date like 2020-02-20, got '2020-13-45'",
        ),
        ("title: &a [*a]\n", "1: YAML anchors and aliases (&name, *name) are not supported"),
        ("title: x\n1: 2\n", "2: unknown key '1'; valid: articles"),
        ("title: x\n{}: \n", "2: invalid YAML: found unhashable key"),
    ],
)
def test_yaml_that_once_crashed_the_reader(tmp_path, text, expected):
    (found,) = messages(tmp_path, text)
    assert found.startswith(expected)


def test_date_is_typed(tmp_path):
    import datetime

    assert load(tmp_path, "title: x\ndate: 2020-02-20\n").date == datetime.date(2020, 2, 20)


@pytest.mark.parametrize("language", ["zh-Hans", "zh-Hant", "zh-Hant-TW", "zh-Hant-HK"])
def test_every_script_and_region_is_a_language(tmp_path, language):
    assert load(tmp_path, f"title: 特刊\nlanguage: {language}\n").language == language


def test_toc_order_is_one_value_or_one_per_edition(tmp_path):
    assert load(tmp_path, "title: 特刊\ntoc: {order: strokes}\n").toc.order == "strokes"
    mapping = "title: 特刊\ntoc: {order: {zh-Hans: pinyin, zh-Hant-TW: strokes}}\n"
    assert load(tmp_path, mapping).toc.order == {"zh-Hans": "pinyin", "zh-Hant-TW": "strokes"}
    wrong = "title: 特刊\ntoc:\n  order: {zh-TW: strokes}\n"
    assert messages(tmp_path, wrong) == [
        "3: toc.order: unknown value 'zh-TW'; did you mean 'zh-Hant-TW'? "
        "(valid: zh-Hans, zh-Hant, zh-Hant-HK, zh-Hant-TW)"
    ]


def test_a_config_must_read_the_articles_script(tmp_path):
    text = "title: 特刊\nlanguage: zh-Hant-TW\nconversion:\n  configs:\n    zh-Hans: s2t\n"
    assert messages(tmp_path, text) == [
        "5: conversion.configs: s2t for zh-Hans reads another script than the articles' "
        "(language: zh-Hant-TW); use one of t2s, tw2s, tw2sp, t2tw, t2hk, tw2t"
    ]
    source = "title: 特刊\nlanguage: zh-Hant-HK\nconversion: {configs: {zh-Hant-HK: hk2t}}\n"
    assert messages(tmp_path, source) == [
        "3: conversion.configs: zh-Hant-HK is the script the articles are written in "
        "(language: zh-Hant-HK) and takes no OpenCC config; remove zh-Hant-HK: hk2t"
    ]
