"""The house: one name per topic from page to snippet to notebook to test, and no dead code on show."""
from __future__ import annotations

import ast
import re
import sys

import pytest
import yaml

from conftest import ROOT

sys.path.insert(0, str(ROOT / "hooks"))
import questions  # noqa: E402  (hooks/questions.py: the topics table the build reads)

TOPICS = list(questions.topics())
SECTION = re.compile(r"#\s*--8<--\s*\[(start|end):([a-z][-_0-9a-z]*)\]")
# an input check: a ValueError raised by hand, a call of snippets.checks or of a _check_* function
CHECKING = re.compile(r"\braise ValueError\b|\bcheck_(?:array|int|positive)\(|\b_check_\w+\(")
INCLUDE = re.compile(r'^[ \t]*--8<-- "(?P<file>[^":]+):(?P<section>[^"]+)"\s*$', re.M)


def test_the_topics_table_lists_the_topics_of_the_questions_in_order():
    questions_data = yaml.safe_load((ROOT / "data" / "questions.yml").read_text(encoding="utf-8"))
    assert TOPICS == list(questions_data)


@pytest.mark.parametrize("topic", TOPICS)
def test_every_topic_has_its_page_lesson_experiments_notebook_and_test_by_one_name(topic):
    files = questions.topic_files(topic)
    missing = [path for path in files.values() if not (ROOT / path).is_file()]
    assert not missing, f"{topic}: missing {missing}"
    slug = questions.topics()[topic]
    assert slug == topic.replace("_", "-"), "the page slug is the topic with hyphens"
    for page in (files["page_zh"], files["page_en"]):
        meta = yaml.safe_load(questions.FRONT_MATTER.match((ROOT / page).read_text(encoding="utf-8")).group(1))
        assert meta["topic"] == topic, page


def test_no_module_notebook_or_test_is_named_for_a_topic_that_does_not_exist():
    experiments = {p.stem for p in (ROOT / "snippets" / "experiments").glob("*.py")} - {"__init__"}
    notebooks = {p.stem for p in (ROOT / "notebooks").glob("*.py")}
    assert experiments == notebooks == set(TOPICS)


@pytest.mark.parametrize("topic", TOPICS)
def test_report_lives_in_the_experiments_not_in_the_lesson(topic):
    def functions(path):
        tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
        return {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
    files = questions.topic_files(topic)
    assert "report" in functions(files["experiments"])
    assert "report" not in functions(files["lesson"])


def _sections() -> dict[tuple[str, str], list[str]]:
    """(file, section) -> the lines between the markers, for every marked section in snippets/."""
    found = {}
    for path in sorted((ROOT / "snippets").rglob("*.py")):
        rel, start = path.relative_to(ROOT).as_posix(), {}
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
            m = SECTION.search(line)
            if m and m[1] == "start":
                start[m[2]] = i
            elif m:
                found[(rel, m[2])] = path.read_text(encoding="utf-8").splitlines()[start.pop(m[2]) + 1:i]
    return found


def _includes() -> set[tuple[str, str]]:
    return {(m["file"], m["section"]) for page in (ROOT / "docs").rglob("*.md")
            for m in INCLUDE.finditer(page.read_text(encoding="utf-8"))}


def test_every_marked_section_is_included_by_a_page():
    unused = sorted(set(_sections()) - _includes())
    assert not unused, f"section markers no page includes (remove them or include them): {unused}"


def test_shown_code_holds_no_input_checks():
    # the checks run through snippets.checks.checked, above the section marker (CONTRIBUTING.md)
    shown = {key: lines for key, lines in _sections().items() if key in _includes()}
    checking = [f"{file}:{section}" for (file, section), lines in shown.items()
                if any(CHECKING.search(line) for line in lines)]
    assert not checking, f"shown sections with input checks in them: {checking}"
