"""Every broken-file class is rejected with one ``PATH:LINE: message`` line, never a traceback."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from content.errors import ContentError
from content.loader import MAX_FILE_BYTES
from questionnaires.registry import load_questionnaire
from tests.conftest import FIXTURES, ROOT

MINI = (FIXTURES / "mini.yaml").read_text(encoding="utf-8")


def broken(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(ContentError) as exc:
        load_questionnaire(path)
    return [str(p) for p in exc.value.problems]


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if needle in line)


def assert_one_problem(tmp_path: Path, text: str, pattern: str, line: int | None = None) -> None:
    path = broken(tmp_path, text)
    found = problems_of(path)
    assert any(re.search(pattern, p) for p in found), found
    for p in found:
        assert p.startswith(f"{path}:"), p
        assert "\n" not in p and "Traceback" not in p
    if line is not None:
        assert any(p.startswith(f"{path}:{line}:") and re.search(pattern, p) for p in found), found


def test_the_fixture_itself_is_valid(mini):
    assert mini.questionnaire.id == "mini"


def test_yaml_syntax_error(tmp_path):
    text = MINI.replace("title: {fr: \"Mini\", en: \"Mini\"}", "title: {fr: \"Mini\", en: [\"Mini\"")
    assert_one_problem(tmp_path, text, "YAML syntax error")


@pytest.mark.parametrize("text", ["", "# only a comment\n", "---\n"])
def test_empty_document(tmp_path, text):
    assert_one_problem(tmp_path, text, "empty document")


@pytest.mark.parametrize("text", ["- a\n- b\n", "just a string\n", "42\n"])
def test_non_mapping_document(tmp_path, text):
    assert_one_problem(tmp_path, text, "top level must be a mapping")


def test_duplicate_mapping_key(tmp_path):
    text = MINI.replace("estimated_minutes: [1, 2]\n", "estimated_minutes: [1, 2]\nestimated_minutes: [3, 4]\n")
    assert_one_problem(tmp_path, text, "duplicate key 'estimated_minutes'", line_of(text, "estimated_minutes: [3, 4]"))


def test_alias_bomb(tmp_path):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
    assert_one_problem(tmp_path, bomb, "aliases .* are not allowed", 2)


def test_oversized_file(tmp_path):
    assert_one_problem(tmp_path, "kind: questionnaire\n" + "# padding\n" * (MAX_FILE_BYTES // 10 + 1), "larger than")


def test_duplicate_question_id(tmp_path):
    text = MINI.replace("  - id: tools\n", "  - id: plan\n")
    assert_one_problem(tmp_path, text, "duplicate id 'plan'")


def test_dangling_dimension_and_scale_references(tmp_path):
    head = "    dimension: alpha\n    type: single\n    scale: uneven"
    text = MINI.replace(head, head.replace("alpha", "gamma").replace("uneven", "nope"))
    path = broken(tmp_path, text)
    found = problems_of(path)
    assert any("unknown dimension 'gamma'" in p for p in found) and any("unknown answer scale 'nope'" in p for p in found)


@pytest.mark.parametrize(("old", "new", "pattern"), [
    ("{id: mid, score: 0.7,", "{id: mid, score: 1.7,", "less than or equal to 1"),
    ("    weight: 2\n    label: {fr: \"Technologies\"", "    weight: 20\n    label: {fr: \"Technologies\"", "less than or equal to 10"),
    ("- {id: beta, weight: 2,", "- {id: beta, weight: 0,", "greater than 0"),
])
def test_scores_and_weights_out_of_range(tmp_path, old, new, pattern):
    assert old in MINI
    text = MINI.replace(old, new)
    assert_one_problem(tmp_path, text, pattern, line_of(text, new.splitlines()[0].strip()))


def test_missing_translation(tmp_path):
    text = MINI.replace('label: {fr: "Outils", en: "Tools"}', 'label: {fr: "Outils"}')
    assert_one_problem(tmp_path, text, r"questions\[1\]\.label\.en: Field required", line_of(text, 'label: {fr: "Outils"}'))


def test_blank_translation(tmp_path):
    text = MINI.replace('label: {fr: "Outils", en: "Tools"}', 'label: {fr: "Outils", en: "  "}')
    assert_one_problem(tmp_path, text, "translation is blank")


def test_unknown_field_is_rejected(tmp_path):
    text = MINI.replace("    dont_know: true\n    label: {fr: \"Plan\"", "    dontknow: true\n    label: {fr: \"Plan\"")
    assert_one_problem(tmp_path, text, "dontknow: Extra inputs are not permitted", line_of(text, "dontknow"))


def test_condition_pointing_at_a_later_question(tmp_path):
    head = "    dimension: alpha\n    type: single\n"
    text = MINI.replace(head, head + "    show_if: {question: tech, item: ai, gte: 1}\n")
    assert_one_problem(tmp_path, text, "later question 'tech'", line_of(text, "show_if: {question: tech"))


def test_condition_pointing_at_an_unknown_question_or_option(tmp_path):
    text = MINI.replace("show_if: {question: tools, includes: [web]}", "show_if: {question: toolz, includes: [web]}")
    assert_one_problem(tmp_path, text, "unknown question 'toolz'")
    text = MINI.replace("show_if: {question: tools, includes: [web]}", "show_if: {question: tools, includes: [fax]}")
    assert_one_problem(tmp_path, text, r"\['fax'\] not among the options")


def test_malformed_condition(tmp_path):
    text = MINI.replace("show_if: {question: tools, includes: [web]}", "show_if: {question: tools}")
    assert_one_problem(tmp_path, text, "needs one of: in, includes, gte, lte, answered")


def test_dii_variable_mapped_twice_or_unknown(tmp_path):
    twice = MINI.replace("{variable: v_cloud, when:", "{variable: v_erp, when:")
    assert_one_problem(tmp_path, twice, "already mapped by question 'tools'", line_of(twice, "{variable: v_erp, when: {question: tech"))
    unknown = MINI.replace("{variable: v_cloud, when:", "{variable: v_nope, when:")
    assert_one_problem(tmp_path, unknown, "unknown DII variable 'v_nope'")


def test_unknown_profile_code_in_a_condition(tmp_path):
    text = MINI.replace('applies_if: {profile: sector, in: ["31-33"]}', 'applies_if: {profile: sector, in: ["31"]}')
    assert_one_problem(tmp_path, text, r"unknown sector code\(s\) \['31'\]")


def test_cli_validate_reports_path_line_message_and_exit_1(tmp_path):
    text = MINI.replace("estimated_minutes: [1, 2]\n", "estimated_minutes: [1, 2]\nestimated_minutes: [3, 4]\n")
    path = broken(tmp_path, text)
    run = subprocess.run([sys.executable, "cli.py", "validate", str(path)], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 1
    first, second = line_of(text, "estimated_minutes: [1, 2]"), line_of(text, "estimated_minutes: [3, 4]")
    expected = f"{path}:{second}: estimated_minutes: duplicate key 'estimated_minutes' (first defined on line {first})"
    assert run.stderr.strip() == expected
    assert "Traceback" not in run.stderr


def test_cli_validate_default_is_every_shipped_questionnaire():
    run = subprocess.run([sys.executable, "cli.py", "validate"], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
