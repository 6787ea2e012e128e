"""Validation (bundle/validate.py, bundle/schema.py): every refusal names the file, the item and the problem, with a code."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from bundle.errors import BundleError
from bundle.upsert import import_bundle
from bundle.validate import validate
from lessons.models import Source
from tests.bundle.sample import (
    BUNDLE,
    CLASSIFY,
    HOW_MUCH,
    MATCHING,
    MULTIPLE,
    SIZE_TRUE,
    WHO_DISTRICTS,
    WHO_FAIR,
    appending,
    both,
    bundle,
    deleting,
    get,
    rows,
    setting,
    write,
)

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------
# Refusals: every one names the file, the item and the problem, and writes nothing.

BAD_BUNDLES = [
    # The envelope
    (
        "wrong format version",
        setting(("format",), "sourcewise.lesson/2"),
        'bad.json: "format" must be "sourcewise.lesson/1", not "sourcewise.lesson/2"',
        "format",
    ),
    (
        "missing format",
        deleting(("format",)),
        'bad.json: missing key "format" (it must be "sourcewise.lesson/1")',
        "format",
    ),
    # Unknown keys, at every level
    (
        "unknown top-level key",
        setting(("quizes",), []),
        'bad.json: unknown key "quizes" (did you mean "quizzes"?)',
        "unknown_key",
    ),
    (
        "unknown key in the article",
        setting(("lesson", "article", "author"), "A. Reporter"),
        'bad.json: lesson.article: unknown key "author"',
        "unknown_key",
    ),
    (
        "unknown key in a claim",
        setting(("claims", 0, "evidense"), ""),
        'bad.json: claim "mayor-fair": unknown key "evidense" (did you mean "evidence"?)',
        "unknown_key",
    ),
    (
        "unknown key in a choice",
        setting((*WHO_FAIR, "choices", 1, "why"), "because"),
        'bad.json: quiz "check" question "who-fair" choice 2: unknown key "why"',
        "unknown_key",
    ),
    # Missing keys
    (
        "missing key in a claim",
        deleting(("claims", 0, "cue")),
        'bad.json: claim "mayor-fair": missing key "cue"',
        "missing_key",
    ),
    (
        "missing key in the lesson",
        deleting(("lesson", "published")),
        'bad.json: lesson: missing key "published"',
        "missing_key",
    ),
    (
        "missing top-level list",
        deleting(("quizzes",)),
        'bad.json: missing key "quizzes"',
        "missing_key",
    ),
    # Wrong types and values
    (
        "points as a string",
        setting((*SIZE_TRUE, "points"), "2"),
        'bad.json: quiz "check" question "size-true": "points" must be a whole number, not "2"',
        "wrong_type",
    ),
    (
        "published as a string",
        setting(("lesson", "published"), "yes"),
        'bad.json: lesson: "published" must be true or false, not "yes"',
        "wrong_type",
    ),
    (
        "sources as an object",
        setting(("sources",), {}),
        'bad.json: "sources" must be a list, not an object',
        "wrong_type",
    ),
    (
        "a choice that is not an object",
        setting((*HOW_MUCH, "choices", 1), "10 million euros"),
        'bad.json: quiz "check" question "how-much" choice 2: must be an object, not a string',
        "wrong_type",
    ),
    (
        "an objective on two lines",
        setting(("lesson", "objectives", 1), "Name who speaks\nfor the council."),
        "bad.json: lesson: objective 2 must be one line of text without spaces around it",
        "invalid_line",
    ),
    (
        "empty claim content",
        setting(("claims", 1, "content"), ""),
        'bad.json: claim "budget-size": "content" must not be empty',
        "blank",
    ),
    (
        "a name longer than the model allows",
        setting(("sources", 0, "name"), "x" * 201),
        'bad.json: source "council": "name" is too long: 201 characters, at most 200',
        "max_length",
    ),
    (
        "points below one",
        setting((*SIZE_TRUE, "points"), 0),
        'bad.json: quiz "check" question "size-true": "points" must be at least 1, not 0',
        "min_value",
    ),
    (
        "max_attempts below one",
        setting(("quizzes", 1, "max_attempts"), 0),
        'bad.json: quiz "review": "max_attempts" must be at least 1, not 0',
        "min_value",
    ),
    (
        "bad source kind",
        setting(("sources", 2, "kind"), "anonymous"),
        'bad.json: source "critics": "kind" must be one of person, institution, media, group, '
        'unnamed, article, not "anonymous"',
        "invalid_choice",
    ),
    (
        "bad claim kind",
        setting(("claims", 2, "kind"), "indirect"),
        'bad.json: claim "critics-centre": "kind" must be one of quote, paraphrase, framing, '
        'unattributed, not "indirect"',
        "invalid_choice",
    ),
    (
        "bad question kind",
        setting((*HOW_MUCH, "kind"), "single_choice"),
        'bad.json: quiz "check" question "how-much": "kind" must be one of single, multiple, '
        'true_false, who_said, matching, classification, written, not "single_choice"',
        "invalid_choice",
    ),
    (
        "bad skill",
        setting((*HOW_MUCH, "skill"), "memory"),
        'bad.json: quiz "check" question "how-much": "skill" must be one of recall, '
        'attribution, perspective, evidence, not "memory"',
        "invalid_choice",
    ),
    (
        "bad feedback",
        setting(("quizzes", 0, "feedback"), "never"),
        'bad.json: quiz "check": "feedback" must be one of after_submit, immediate, not "never"',
        "invalid_choice",
    ),
    (
        "a quote without quoted words",
        setting(("claims", 0, "quoted"), ""),
        'bad.json: claim "mayor-fair": a quote needs the quoted words: "quoted" is empty',
        "quote_without_words",
    ),
    # Keys
    (
        "bad lesson slug",
        setting(("lesson", "slug"), "City Budget"),
        'bad.json: lesson: "slug" must be a key (lowercase letters and digits, joined by single '
        'hyphens), not "City Budget"',
        "invalid_key",
    ),
    (
        "bad source key",
        setting(("sources", 3, "key"), "the_report"),
        'bad.json: source "the_report": "key" must be a key (lowercase letters and digits, '
        'joined by single hyphens), not "the_report"',
        "invalid_key",
    ),
    # The model's key rule (lessons.models.validate_key), which the admin applies too.
    (
        "a double hyphen in a key",
        setting(("sections", 0, "key"), "the--budget"),
        'bad.json: section "the--budget": "key" must be a key',
        "invalid_key",
    ),
    (
        "a slug that starts with a hyphen",
        setting(("lesson", "slug"), "-bad"),
        'bad.json: lesson: "slug" must be a key',
        "invalid_key",
    ),
    (
        "a key that ends with a newline",
        setting(("quizzes", 0, "key"), "check\n"),
        'bad.json: quiz "check\\n": "key" must be a key',
        "invalid_key",
    ),
    (
        "a reference that is not a key",
        setting(("claims", 0, "source"), "may--or"),
        'bad.json: claim "mayor-fair": "source" must be a key',
        "invalid_key",
    ),
    (
        "key too long",
        setting(("sections", 1, "key"), "r" * 51),
        f'bad.json: section "{"r" * 51}": "key" is too long for a key: 51 characters, at most 50',
        "max_length",
    ),
    (
        "duplicate source key",
        appending(("sources",), BUNDLE["sources"][0]),
        'bad.json: source "council": duplicate key: source #1 has it too',
        "duplicate_key",
    ),
    (
        "duplicate question key in a quiz",
        appending(("quizzes", 1, "questions"), get(BUNDLE, MULTIPLE)),
        'bad.json: quiz "review" question "which-true": duplicate key: question #2 has it too',
        "duplicate_key",
    ),
    # References
    (
        "claim names a missing source",
        setting(("claims", 0, "source"), "governor"),
        'bad.json: claim "mayor-fair": source "governor" not found',
        "not_found",
    ),
    (
        "claim names a missing section",
        setting(("claims", 0, "section"), "intro"),
        'bad.json: claim "mayor-fair": section "intro" not found',
        "not_found",
    ),
    (
        "question names a missing claim",
        setting((*WHO_FAIR, "claim"), "mayor-unfair"),
        'bad.json: quiz "check" question "who-fair": claim "mayor-unfair" not found',
        "not_found",
    ),
    (
        "question names a missing section",
        setting((*HOW_MUCH, "section"), "intro"),
        'bad.json: quiz "check" question "how-much": section "intro" not found',
        "not_found",
    ),
    (
        "choice names a missing source",
        setting((*MATCHING, "choices", 2, "source"), "governor"),
        'bad.json: quiz "check" question "who-said-what" choice 3: source "governor" not found',
        "not_found",
    ),
    (
        "source names a missing parent",
        setting(("sources", 1, "parent"), "city-hall"),
        'bad.json: source "mayor": parent source "city-hall" not found',
        "not_found",
    ),
    (
        "parents in a cycle",
        setting(("sources", 0, "parent"), "mayor"),
        'bad.json: source "council": its parents form a cycle: council → mayor → council',
        "parent_cycle",
    ),
    (
        "a source its own parent",
        setting(("sources", 2, "parent"), "critics"),
        'bad.json: source "critics": its parents form a cycle: critics → critics',
        "parent_cycle",
    ),
    # Evidence
    (
        "claim evidence not in its section",
        setting(("claims", 2, "evidence"), "Critics said the budget favours the centre."),
        'bad.json: claim "critics-centre": evidence not found in section "reaction"',
        "evidence_not_found",
    ),
    (
        "claim evidence in another section",
        setting(("claims", 2, "section"), "budget"),
        'bad.json: claim "critics-centre": evidence not found in section "budget"',
        "evidence_not_found",
    ),
    (
        "question evidence not in its section",
        setting((*SIZE_TRUE, "evidence"), "The budget is 12 million euros."),
        'bad.json: quiz "check" question "size-true": evidence not found in section "budget"',
        "evidence_not_found",
    ),
    # Choices: the rules of validate_choices (quizzes/models.py)
    (
        "no correct choice",
        setting((*HOW_MUCH, "choices", 0, "correct"), False),
        'bad.json: quiz "check" question "how-much": No choice is marked correct',
        "choices",
    ),
    (
        "two correct choices in a single-choice question",
        setting((*HOW_MUCH, "choices", 1, "correct"), True),
        'bad.json: quiz "check" question "how-much": A single choice question has exactly one',
        "choices",
    ),
    (
        "a single choice",
        deleting((*MULTIPLE, "choices", 1)),
        'bad.json: quiz "review" question "which-true": A question needs at least two choices',
        "choices",
    ),
    (
        "true or false with other texts",
        setting((*SIZE_TRUE, "choices", 1, "text"), "Untrue"),
        'bad.json: quiz "check" question "size-true": A true or false question has exactly two',
        "choices",
    ),
    (
        "who-said choice without a source",
        setting((*WHO_FAIR, "choices", 2, "source"), None),
        'bad.json: quiz "check" question "who-fair": Every choice of a who-said-it question',
        "choices",
    ),
    (
        "who-said source twice",
        setting((*WHO_FAIR, "choices", 2, "source"), "report"),
        'bad.json: quiz "check" question "who-fair": A source appears twice among the choices',
        "choices",
    ),
    (
        "matching with one item",
        setting((*MATCHING, "choices", 1, "correct"), False),
        'bad.json: quiz "check" question "who-said-what": A matching question needs at least',
        "choices",
    ),
    (
        "matching item without a statement",
        setting((*MATCHING, "choices", 1, "text"), ""),
        'bad.json: quiz "check" question "who-said-what": Each matching item needs a statement',
        "choices",
    ),
    (
        "matching distractor without a source",
        setting((*MATCHING, "choices", 2, "source"), None),
        'bad.json: quiz "check" question "who-said-what": A matching choice not marked correct',
        "choices",
    ),
    (
        "who-said answer is not the claim's source",
        both(
            setting((*WHO_FAIR, "choices", 0, "source"), "critics"),
            setting((*WHO_FAIR, "choices", 2, "source"), "mayor"),
        ),
        'bad.json: quiz "check" question "who-fair": The right answer must be the claim\'s source',
        "choices",
    ),
    (
        "who-said without a claim",
        setting((*WHO_FAIR, "claim"), None),
        'bad.json: quiz "check" question "who-fair": a who_said question needs a claim',
        "who_said_without_claim",
    ),
    (
        "classification with other labels",
        setting((*CLASSIFY, "choices", 2, "text"), "Opinion"),
        'bad.json: quiz "review" question "claim-kind": A classification question has exactly',
        "choices",
    ),
]


@pytest.mark.parametrize(
    ("mutate", "message", "code"),
    [pytest.param(mutate, message, code, id=case) for case, mutate, message, code in BAD_BUNDLES],
)
def test_import_refuses_a_bad_bundle_and_writes_nothing(tmp_path, mutate, message, code):
    import_bundle(write(tmp_path, BUNDLE))
    before = rows()
    data = bundle()
    data["lesson"]["title"] = "A change that must not be written"
    mutate(data)

    with pytest.raises(BundleError) as refused:
        import_bundle(write(tmp_path, data, "bad.json"))

    # The message in full, or its start where the rule's wording belongs to validate_choices.
    assert any(problem.startswith(message) for problem in refused.value.problems), (
        refused.value.problems
    )
    assert [p.code for p in refused.value.problems if p.startswith(message)] == [code]
    assert rows() == before


def test_import_reports_every_problem_at_once(tmp_path):
    data = bundle()
    data["claims"][0]["source"] = "governor"
    get(data, HOW_MUCH)["points"] = 0

    with pytest.raises(BundleError) as refused:
        import_bundle(write(tmp_path, data, "bad.json"))

    assert refused.value.problems == [
        'bad.json: claim "mayor-fair": source "governor" not found',
        'bad.json: quiz "check" question "how-much": "points" must be at least 1, not 0',
    ]


# ---------------------------------------------------------------------------
# Pure validation


def test_validate_finds_no_problem_in_a_good_bundle():
    assert validate(BUNDLE, name="lesson.json") == []


def test_the_example_in_the_format_documentation_is_a_valid_bundle():
    doc = (Path(settings.BASE_DIR) / "docs" / "lesson-bundle.md").read_text()
    example = re.search(r"```json\n(.*?)```", doc, re.DOTALL).group(1)

    assert validate(json.loads(example), name="lesson-bundle.md") == []


@pytest.mark.django_db
def test_the_example_in_the_format_documentation_passes_the_content_rules(tmp_path):
    doc = (Path(settings.BASE_DIR) / "docs" / "lesson-bundle.md").read_text()
    example = re.search(r"```json\n(.*?)```", doc, re.DOTALL).group(1)

    # import_bundle runs the content rules: any problem would refuse the import.
    lesson = import_bundle(write(tmp_path, json.loads(example))).lesson
    assert lesson.slug == "example"


@given(st.text(alphabet="ab09-_A \n", max_size=52))
def test_a_bundle_takes_exactly_the_keys_the_model_takes(key):
    # The admin validates a key with the model field's validators: the bundle must agree.
    try:
        Source._meta.get_field("key").run_validators(key)
        model_takes = bool(key)
    except ValidationError:
        model_takes = False
    data = bundle()
    data["sources"][2]["key"] = key  # "critics", which other items name
    data["claims"][2]["source"] = key
    get(data, WHO_FAIR)["choices"][2]["source"] = key
    get(data, MATCHING)["choices"][1]["source"] = key
    get(data, WHO_DISTRICTS)["choices"][0]["source"] = key

    problems = validate(data, name="bad.json")

    assert (problems == []) == model_takes, problems
    assert model_takes or "invalid_key" in {p.code for p in problems} or len(key) > 50
