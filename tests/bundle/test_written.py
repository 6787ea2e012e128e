"""Written questions in a lesson bundle: a question's optional `levels` (its rubric)
validate, load and dump back byte for byte; a bundle without them (every older one)
loads as before; a bad rubric is refused by the content rules at import."""

import json

import pytest

from bundle.dump import dumps
from bundle.errors import BundleError
from bundle.upsert import import_bundle
from bundle.validate import validate
from quizzes.models import Question, RubricLevel
from tests.bundle.sample import BUNDLE, bundle, delete_lesson, write

pytestmark = pytest.mark.django_db

WRITTEN = {
    "key": "how-do-you-know",
    "kind": "written",
    "skill": "attribution",
    "prompt": "How do you know who said this?",
    "explanation": "",
    "points": 2,
    "section": "budget",
    "claim": None,
    "evidence": "",
    "choices": [],
    "levels": [
        {"name": "Beginning", "description": "Names no source.", "credit": 0},
        {"name": "Emerging", "description": "Names the source, not the cue.", "credit": 0.5},
        {"name": "Mastery", "description": "Names the source and quotes the cue.", "credit": 1},
    ],
}


def _with_written(levels=None):
    data = bundle()
    question = json.loads(json.dumps(WRITTEN))
    if levels is not None:
        question["levels"] = levels
    data["quizzes"][0]["questions"].append(question)
    return data


def test_a_written_question_and_its_rubric_round_trip_byte_for_byte(tmp_path):
    lesson = import_bundle(write(tmp_path, _with_written())).lesson
    question = Question.objects.get(key="how-do-you-know")
    assert [(lv.name, lv.credit) for lv in question.levels.all()] == [
        ("Beginning", 0),
        ("Emerging", 0.5),
        ("Mastery", 1),
    ]
    first = dumps(lesson)
    assert '"levels": [' in first and first.count('"levels"') == 1  # only where it has some
    delete_lesson(lesson)
    lesson = import_bundle(write(tmp_path, first, "again.json")).lesson
    assert dumps(lesson) == first


def test_a_bundle_without_levels_still_loads_and_dumps_unchanged(tmp_path):
    lesson = import_bundle(write(tmp_path, BUNDLE)).lesson
    assert not RubricLevel.objects.exists()
    assert dumps(lesson) == json.dumps(BUNDLE, indent=2, ensure_ascii=False) + "\n"


@pytest.mark.parametrize(
    ("credit", "code"), [(1.5, "out_of_range"), ("1", "wrong_type"), (True, "wrong_type")]
)
def test_a_level_credit_must_be_a_number_from_0_to_1(credit, code):
    levels = [dict(level) for level in WRITTEN["levels"]]
    levels[2]["credit"] = credit
    problems = validate(_with_written(levels))
    assert code in {p.code for p in problems}


def test_a_bad_rubric_is_refused_at_import_with_the_content_rule(tmp_path):
    levels = [{"name": "Only", "description": "Anything.", "credit": 0.5}]
    with pytest.raises(BundleError) as refused:
        import_bundle(write(tmp_path, _with_written(levels)))
    codes = {p.code for p in refused.value.problems}
    assert {"rubric_too_few_levels", "rubric_no_full_credit"} <= codes
    assert not Question.objects.filter(key="how-do-you-know").exists()
