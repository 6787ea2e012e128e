"""The lesson bundle format (docs/lesson-bundle.md): import, export and the commands."""

import copy
import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from lessons.bundle import BundleError, dump, dumps, import_bundle, validate
from lessons.models import Claim, Lesson, Section, Source
from quizzes.models import Attempt, Choice, Question, Quiz, Response, Selection

pytestmark = pytest.mark.django_db

MODELS = [Lesson, Source, Section, Claim, Quiz, Question, Choice]

# A small lesson with every kind of source, claim and question. It is written the way
# export writes (keys in the documented order, every list in its order), so that
# dumps() must reproduce it exactly.
BUNDLE = {
    "format": "sourcewise.lesson/1",
    "lesson": {
        "slug": "city-budget",
        "title": "Who said what about the city budget",
        "summary": "A short report on the city's budget and the reactions to it.",
        "objectives": ["Tell a quotation from a paraphrase.", "Name who speaks for the council."],
        "article": {
            "title": "City sets its budget",
            "publisher": "The Daily Example",
            "byline": "A. Reporter",
            "date": "January 2026",
            "note": "Everything below comes from the report; it cites no documents.",
        },
        "published": True,
    },
    "sources": [
        {
            "key": "council",
            "name": "The city council",
            "kind": "institution",
            "parent": None,
            "side": "City",
            "description": "Runs the city.",
        },
        {
            "key": "mayor",
            "name": "The mayor, José Núñez",
            "kind": "person",
            "parent": "council",
            "side": "City",
            "description": "Speaks for the council.",
        },
        {
            "key": "critics",
            "name": "Critics",
            "kind": "unnamed",
            "parent": None,
            "side": "Opposition",
            "description": "Unnamed critics of the budget.",
        },
        {
            "key": "report",
            "name": "The report",
            "kind": "article",
            "parent": None,
            "side": "Report",
            "description": "The article's own voice.",
        },
    ],
    "sections": [
        {
            "key": "budget",
            "title": "The budget",
            "body": "The mayor called the budget “fair to all”.\n\n"
            "The budget is 12 million euros, up from 10 million last year.",
        },
        {
            "key": "reaction",
            "title": "The reaction",
            "body": "Critics said the budget favours the city centre.\n\n"
            "The council did not respond to requests for comment.",
        },
    ],
    "claims": [
        {
            "key": "mayor-fair",
            "section": "budget",
            "source": "mayor",
            "cue": "called",
            "kind": "quote",
            "content": "The budget is fair to everyone.",
            "quoted": "fair to all",
            "evidence": "The mayor called the budget “fair to all”.",
        },
        {
            "key": "budget-size",
            "section": "budget",
            "source": "report",
            "cue": "states",
            "kind": "unattributed",
            "content": "The budget is 12 million euros.",
            "quoted": "",
            "evidence": "The budget is 12 million euros, up from 10 million last year.",
        },
        {
            "key": "critics-centre",
            "section": "reaction",
            "source": "critics",
            "cue": "said",
            "kind": "paraphrase",
            "content": "The budget favours the city centre.",
            "quoted": "",
            "evidence": "Critics said the budget favours the city centre.",
        },
    ],
    "quizzes": [
        {
            "key": "check",
            "title": "Quick check",
            "description": "",
            "published": True,
            "max_attempts": None,
            "time_limit_minutes": None,
            "shuffle_questions": False,
            "shuffle_choices": False,
            "feedback": "after_submit",
            "questions": [
                {
                    "key": "who-fair",
                    "kind": "who_said",
                    "skill": "attribution",
                    "prompt": "Who called the budget “fair to all”?",
                    "explanation": "The budget: the mayor called it “fair to all”.",
                    "points": 2,
                    "section": "budget",
                    "claim": "mayor-fair",
                    "evidence": "",
                    "choices": [
                        {"text": "", "correct": True, "source": "mayor", "feedback": "Yes."},
                        {
                            "text": "",
                            "correct": False,
                            "source": "council",
                            "feedback": "The mayor speaks for it, but the words are his.",
                        },
                        {"text": "", "correct": False, "source": "critics", "feedback": ""},
                    ],
                },
                {
                    "key": "size-true",
                    "kind": "true_false",
                    "skill": "recall",
                    "prompt": "The budget is 12 million euros.",
                    "explanation": "The budget: “12 million euros”.",
                    "points": 1,
                    "section": "budget",
                    "claim": None,
                    "evidence": "The budget is 12 million euros, up from 10 million last year.",
                    "choices": [
                        {"text": "True", "correct": True, "source": None, "feedback": ""},
                        {"text": "False", "correct": False, "source": None, "feedback": ""},
                    ],
                },
                {
                    "key": "how-much",
                    "kind": "single",
                    "skill": "recall",
                    "prompt": "How large is the budget?",
                    "explanation": "",
                    "points": 1,
                    "section": "budget",
                    "claim": "budget-size",
                    "evidence": "",
                    "choices": [
                        {
                            "text": "12 million euros",
                            "correct": True,
                            "source": None,
                            "feedback": "",
                        },
                        {
                            "text": "10 million euros",
                            "correct": False,
                            "source": None,
                            "feedback": "",
                        },
                    ],
                },
                {
                    "key": "who-said-what",
                    "kind": "matching",
                    "skill": "attribution",
                    "prompt": "Match each statement to who made it.",
                    "explanation": "",
                    "points": 2,
                    "section": "reaction",
                    "claim": None,
                    "evidence": "Critics said the budget favours the city centre.",
                    "choices": [
                        {
                            "text": "The budget is fair to all.",
                            "correct": True,
                            "source": "mayor",
                            "feedback": "",
                        },
                        {
                            "text": "The budget favours the city centre.",
                            "correct": True,
                            "source": "critics",
                            "feedback": "",
                        },
                        {"text": "", "correct": False, "source": "council", "feedback": ""},
                    ],
                },
            ],
        },
        {
            "key": "review",
            "title": "Review",
            "description": "Two harder questions.",
            "published": False,
            "max_attempts": 2,
            "time_limit_minutes": 10,
            "shuffle_questions": True,
            "shuffle_choices": True,
            "feedback": "immediate",
            "questions": [
                {
                    "key": "claim-kind",
                    "kind": "classification",
                    "skill": "perspective",
                    "prompt": "“The budget favours the city centre.” What is it?",
                    "explanation": "The reaction: critics said it.",
                    "points": 1,
                    "section": "reaction",
                    "claim": "critics-centre",
                    "evidence": "",
                    "choices": [
                        {
                            "text": "The article's own statement",
                            "correct": False,
                            "source": None,
                            "feedback": "",
                        },
                        {
                            "text": "A source's statement of fact",
                            "correct": True,
                            "source": None,
                            "feedback": "",
                        },
                        {
                            "text": "A source's framing or judgement",
                            "correct": False,
                            "source": None,
                            "feedback": "",
                        },
                    ],
                },
                {
                    "key": "which-true",
                    "kind": "multiple",
                    "skill": "evidence",
                    "prompt": "What does the article report about the budget?",
                    "explanation": "",
                    "points": 1,
                    "section": "budget",
                    "claim": None,
                    "evidence": "The budget is 12 million euros, up from 10 million last year.",
                    "choices": [
                        {"text": "It grew.", "correct": True, "source": None, "feedback": ""},
                        {"text": "It shrank.", "correct": False, "source": None, "feedback": ""},
                    ],
                },
            ],
        },
    ],
}

# Paths into BUNDLE.
WHO_FAIR = ("quizzes", 0, "questions", 0)
SIZE_TRUE = ("quizzes", 0, "questions", 1)
HOW_MUCH = ("quizzes", 0, "questions", 2)
MATCHING = ("quizzes", 0, "questions", 3)
CLASSIFY = ("quizzes", 1, "questions", 0)
MULTIPLE = ("quizzes", 1, "questions", 1)


def bundle():
    return copy.deepcopy(BUNDLE)


def write(tmp_path, data, name="lesson.json"):
    path = tmp_path / name
    text = data if isinstance(data, str) else json.dumps(data, indent=2, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    return path


def rows():
    """Every row of the lesson's models, with its primary key and all its values."""
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in MODELS}


def delete_lesson(lesson):
    # Claim.source and Choice.source are PROTECT, so a lesson cannot simply be deleted.
    Quiz.objects.filter(lesson=lesson).delete()
    lesson.claims.all().delete()
    lesson.delete()


def answer(question, choice, *, source=None, username="learner"):
    """A learner's submitted answer to `question`, picking `choice`."""
    from django.contrib.auth import get_user_model

    learner, _ = get_user_model().objects.get_or_create(username=username)
    attempt, _ = Attempt.objects.get_or_create(
        learner=learner, quiz=question.quiz, defaults={"number": 1}
    )
    response = Response.objects.create(attempt=attempt, question=question, credit=1)
    Selection.objects.create(response=response, choice=choice, source=source)


def get(data, path):
    for step in path:
        data = data[step]
    return data


def setting(path, value):
    def mutate(data):
        get(data, path[:-1])[path[-1]] = value

    return mutate


def deleting(path):
    def mutate(data):
        del get(data, path[:-1])[path[-1]]

    return mutate


def both(*mutations):
    def mutate(data):
        for mutation in mutations:
            mutation(data)

    return mutate


def appending(path, value):
    def mutate(data):
        get(data, path).append(copy.deepcopy(value))

    return mutate


# ---------------------------------------------------------------------------
# Export and import


def test_dumps_writes_the_documented_format(tmp_path):
    result = import_bundle(write(tmp_path, BUNDLE))

    text = dumps(result.lesson)

    assert text == json.dumps(BUNDLE, indent=2, ensure_ascii=False) + "\n"
    assert "“fair to all”" in text  # UTF-8 as is, not \u escapes


def test_export_then_import_into_an_empty_database_then_export_gives_the_same_bytes(tmp_path):
    data = bundle()
    # Written out of export order: import must not depend on it, export must restore it.
    data["sources"].reverse()
    lesson = import_bundle(write(tmp_path, data)).lesson
    first = dumps(lesson)
    delete_lesson(lesson)
    assert not any(model.objects.exists() for model in MODELS)

    lesson = import_bundle(write(tmp_path, first, "export.json")).lesson

    assert dumps(lesson) == first


def test_import_maps_the_bundle_onto_the_models(tmp_path):
    lesson = import_bundle(write(tmp_path, BUNDLE)).lesson

    assert (
        lesson.objectives == "Tell a quotation from a paraphrase.\nName who speaks for the council."
    )
    assert (lesson.article_title, lesson.article_date) == ("City sets its budget", "January 2026")
    assert Source.objects.get(key="mayor").parent == Source.objects.get(key="council")
    assert [s.key for s in lesson.sections.all()] == ["budget", "reaction"]
    assert list(lesson.claims.values_list("key", "order")) == [
        ("mayor-fair", 0),
        ("budget-size", 1),
        ("critics-centre", 2),
    ]
    who_fair = Question.objects.get(key="who-fair")
    assert (who_fair.order, who_fair.claim.key, who_fair.section.key) == (0, "mayor-fair", "budget")
    assert [(c.order, c.source.key) for c in who_fair.choices.all()] == [
        (0, "mayor"),
        (1, "council"),
        (2, "critics"),
    ]


def test_importing_the_same_bundle_twice_changes_nothing(tmp_path):
    path = write(tmp_path, BUNDLE)
    import_bundle(path)
    before = rows()

    result = import_bundle(path)

    assert rows() == before  # same rows, same primary keys, same values, same updated_at
    assert result.status == "unchanged"
    assert all(set(c) == {"unchanged"} for c in _nonzero(result.counts).values())


def test_import_updates_the_lesson_in_place_by_its_keys(tmp_path):
    import_bundle(write(tmp_path, BUNDLE))
    claim = Claim.objects.get(key="mayor-fair")
    kept_question = Question.objects.get(key="who-fair")
    kept_choice_pks = list(kept_question.choices.values_list("pk", flat=True))
    updated_at = Lesson.objects.get().updated_at
    data = bundle()
    data["claims"][0]["content"] = "The budget treats everyone fairly."
    del data["quizzes"][0]["questions"][2]  # how-much
    get(data, WHO_FAIR)["choices"][1]["feedback"] = "Close: the council is the body he speaks for."

    result = import_bundle(write(tmp_path, data))

    claim.refresh_from_db()
    assert claim.content == "The budget treats everyone fairly."
    assert not Question.objects.filter(key="how-much").exists()
    assert Question.objects.get(key="who-fair").pk == kept_question.pk
    assert list(kept_question.choices.values_list("pk", flat=True)) == kept_choice_pks
    assert kept_question.choices.get(order=1).feedback.startswith("Close")
    assert Question.objects.get(key="who-said-what").order == 2
    assert _nonzero(result.counts)["claims"] == {"updated": 1, "unchanged": 2}
    assert _nonzero(result.counts)["questions"] == {"updated": 1, "deleted": 1, "unchanged": 4}
    assert _nonzero(result.counts)["choices"] == {"updated": 1, "deleted": 2, "unchanged": 12}
    assert result.status == "updated"
    assert Lesson.objects.get().updated_at > updated_at


def test_import_deletes_sources_sections_and_claims_whose_keys_are_gone(tmp_path):
    import_bundle(write(tmp_path, BUNDLE))
    data = bundle()
    # Drop the critics, their section and claim, and what asks about them.
    data["sources"] = [s for s in data["sources"] if s["key"] != "critics"]
    data["sections"] = data["sections"][:1]
    data["claims"] = data["claims"][:2]
    get(data, WHO_FAIR)["choices"].pop()
    del data["quizzes"][0]["questions"][3]
    del data["quizzes"][1]

    result = import_bundle(write(tmp_path, data))

    assert sorted(Source.objects.values_list("key", flat=True)) == ["council", "mayor", "report"]
    assert list(Section.objects.values_list("key", flat=True)) == ["budget"]
    assert list(Claim.objects.values_list("key", flat=True)) == ["mayor-fair", "budget-size"]
    assert list(Quiz.objects.values_list("key", flat=True)) == ["check"]
    counts = _nonzero(result.counts)
    assert counts["sources"]["deleted"] == counts["sections"]["deleted"] == 1
    assert counts["quizzes"] == {"deleted": 1, "unchanged": 1}
    assert dumps(Lesson.objects.get()) == json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def test_import_leaves_quiz_opening_times_alone(tmp_path):
    from django.utils import timezone

    import_bundle(write(tmp_path, BUNDLE))
    opens_at = timezone.now()
    Quiz.objects.filter(key="check").update(opens_at=opens_at)

    import_bundle(write(tmp_path, BUNDLE))

    assert Quiz.objects.get(key="check").opens_at == opens_at


def _nonzero(counts):
    return {label: {k: n for k, n in c.items() if n} for label, c in counts.items()}


# ---------------------------------------------------------------------------
# Refusals: every one names the file, the item and the problem, and writes nothing.

BAD_BUNDLES = [
    # The envelope
    (
        "wrong format version",
        setting(("format",), "sourcewise.lesson/2"),
        'bad.json: "format" must be "sourcewise.lesson/1", not "sourcewise.lesson/2"',
    ),
    (
        "missing format",
        deleting(("format",)),
        'bad.json: missing key "format" (it must be "sourcewise.lesson/1")',
    ),
    # Unknown keys, at every level
    (
        "unknown top-level key",
        setting(("quizes",), []),
        'bad.json: unknown key "quizes" (did you mean "quizzes"?)',
    ),
    (
        "unknown key in the article",
        setting(("lesson", "article", "author"), "A. Reporter"),
        'bad.json: lesson.article: unknown key "author"',
    ),
    (
        "unknown key in a claim",
        setting(("claims", 0, "evidense"), ""),
        'bad.json: claim "mayor-fair": unknown key "evidense" (did you mean "evidence"?)',
    ),
    (
        "unknown key in a choice",
        setting((*WHO_FAIR, "choices", 1, "why"), "because"),
        'bad.json: quiz "check" question "who-fair" choice 2: unknown key "why"',
    ),
    # Missing keys
    (
        "missing key in a claim",
        deleting(("claims", 0, "cue")),
        'bad.json: claim "mayor-fair": missing key "cue"',
    ),
    (
        "missing key in the lesson",
        deleting(("lesson", "published")),
        'bad.json: lesson: missing key "published"',
    ),
    (
        "missing top-level list",
        deleting(("quizzes",)),
        'bad.json: missing key "quizzes"',
    ),
    # Wrong types and values
    (
        "points as a string",
        setting((*SIZE_TRUE, "points"), "2"),
        'bad.json: quiz "check" question "size-true": "points" must be a whole number, not "2"',
    ),
    (
        "published as a string",
        setting(("lesson", "published"), "yes"),
        'bad.json: lesson: "published" must be true or false, not "yes"',
    ),
    (
        "sources as an object",
        setting(("sources",), {}),
        'bad.json: "sources" must be a list, not an object',
    ),
    (
        "a choice that is not an object",
        setting((*HOW_MUCH, "choices", 1), "10 million euros"),
        'bad.json: quiz "check" question "how-much" choice 2: must be an object, not a string',
    ),
    (
        "an objective on two lines",
        setting(("lesson", "objectives", 1), "Name who speaks\nfor the council."),
        "bad.json: lesson: objective 2 must be one line of text without spaces around it",
    ),
    (
        "empty claim content",
        setting(("claims", 1, "content"), ""),
        'bad.json: claim "budget-size": "content" must not be empty',
    ),
    (
        "a name longer than the model allows",
        setting(("sources", 0, "name"), "x" * 201),
        'bad.json: source "council": "name" is too long: 201 characters, at most 200',
    ),
    (
        "points below one",
        setting((*SIZE_TRUE, "points"), 0),
        'bad.json: quiz "check" question "size-true": "points" must be at least 1, not 0',
    ),
    (
        "max_attempts below one",
        setting(("quizzes", 1, "max_attempts"), 0),
        'bad.json: quiz "review": "max_attempts" must be at least 1, not 0',
    ),
    (
        "bad source kind",
        setting(("sources", 2, "kind"), "anonymous"),
        'bad.json: source "critics": "kind" must be one of person, institution, media, group, '
        'unnamed, article, not "anonymous"',
    ),
    (
        "bad claim kind",
        setting(("claims", 2, "kind"), "indirect"),
        'bad.json: claim "critics-centre": "kind" must be one of quote, paraphrase, framing, '
        'unattributed, not "indirect"',
    ),
    (
        "bad question kind",
        setting((*HOW_MUCH, "kind"), "single_choice"),
        'bad.json: quiz "check" question "how-much": "kind" must be one of single, multiple, '
        'true_false, who_said, matching, classification, not "single_choice"',
    ),
    (
        "bad skill",
        setting((*HOW_MUCH, "skill"), "memory"),
        'bad.json: quiz "check" question "how-much": "skill" must be one of recall, '
        'attribution, perspective, evidence, not "memory"',
    ),
    (
        "bad feedback",
        setting(("quizzes", 0, "feedback"), "never"),
        'bad.json: quiz "check": "feedback" must be one of after_submit, immediate, not "never"',
    ),
    (
        "a quote without quoted words",
        setting(("claims", 0, "quoted"), ""),
        'bad.json: claim "mayor-fair": a quote needs the quoted words: "quoted" is empty',
    ),
    # Keys
    (
        "bad lesson slug",
        setting(("lesson", "slug"), "City Budget"),
        'bad.json: lesson: "slug" must be a key (lowercase letters, digits and hyphens), '
        'not "City Budget"',
    ),
    (
        "bad source key",
        setting(("sources", 3, "key"), "the_report"),
        'bad.json: source "the_report": "key" must be a key (lowercase letters, digits and '
        'hyphens), not "the_report"',
    ),
    (
        "key too long",
        setting(("sections", 1, "key"), "r" * 51),
        f'bad.json: section "{"r" * 51}": "key" is too long for a key: 51 characters, at most 50',
    ),
    (
        "duplicate source key",
        appending(("sources",), BUNDLE["sources"][0]),
        'bad.json: source "council": duplicate key: source #1 has it too',
    ),
    (
        "duplicate question key in a quiz",
        appending(("quizzes", 1, "questions"), get(BUNDLE, MULTIPLE)),
        'bad.json: quiz "review" question "which-true": duplicate key: question #2 has it too',
    ),
    # References
    (
        "claim names a missing source",
        setting(("claims", 0, "source"), "governor"),
        'bad.json: claim "mayor-fair": source "governor" not found',
    ),
    (
        "claim names a missing section",
        setting(("claims", 0, "section"), "intro"),
        'bad.json: claim "mayor-fair": section "intro" not found',
    ),
    (
        "question names a missing claim",
        setting((*WHO_FAIR, "claim"), "mayor-unfair"),
        'bad.json: quiz "check" question "who-fair": claim "mayor-unfair" not found',
    ),
    (
        "question names a missing section",
        setting((*HOW_MUCH, "section"), "intro"),
        'bad.json: quiz "check" question "how-much": section "intro" not found',
    ),
    (
        "choice names a missing source",
        setting((*MATCHING, "choices", 2, "source"), "governor"),
        'bad.json: quiz "check" question "who-said-what" choice 3: source "governor" not found',
    ),
    (
        "source names a missing parent",
        setting(("sources", 1, "parent"), "city-hall"),
        'bad.json: source "mayor": parent source "city-hall" not found',
    ),
    (
        "parents in a cycle",
        setting(("sources", 0, "parent"), "mayor"),
        'bad.json: source "council": its parents form a cycle: council → mayor → council',
    ),
    (
        "a source its own parent",
        setting(("sources", 2, "parent"), "critics"),
        'bad.json: source "critics": its parents form a cycle: critics → critics',
    ),
    # Evidence
    (
        "claim evidence not in its section",
        setting(("claims", 2, "evidence"), "Critics said the budget favours the centre."),
        'bad.json: claim "critics-centre": evidence not found in section "reaction"',
    ),
    (
        "claim evidence in another section",
        setting(("claims", 2, "section"), "budget"),
        'bad.json: claim "critics-centre": evidence not found in section "budget"',
    ),
    (
        "question evidence not in its section",
        setting((*SIZE_TRUE, "evidence"), "The budget is 12 million euros."),
        'bad.json: quiz "check" question "size-true": evidence not found in section "budget"',
    ),
    # Choices: the rules of validate_choices (quizzes/models.py)
    (
        "no correct choice",
        setting((*HOW_MUCH, "choices", 0, "correct"), False),
        'bad.json: quiz "check" question "how-much": No choice is marked correct',
    ),
    (
        "two correct choices in a single-choice question",
        setting((*HOW_MUCH, "choices", 1, "correct"), True),
        'bad.json: quiz "check" question "how-much": A single choice question has exactly one',
    ),
    (
        "a single choice",
        deleting((*MULTIPLE, "choices", 1)),
        'bad.json: quiz "review" question "which-true": A question needs at least two choices',
    ),
    (
        "true or false with other texts",
        setting((*SIZE_TRUE, "choices", 1, "text"), "Untrue"),
        'bad.json: quiz "check" question "size-true": A true or false question has exactly two',
    ),
    (
        "who-said choice without a source",
        setting((*WHO_FAIR, "choices", 2, "source"), None),
        'bad.json: quiz "check" question "who-fair": Every choice of a who-said-it question',
    ),
    (
        "who-said source twice",
        setting((*WHO_FAIR, "choices", 2, "source"), "council"),
        'bad.json: quiz "check" question "who-fair": A source appears twice among the choices',
    ),
    (
        "matching with one item",
        setting((*MATCHING, "choices", 1, "correct"), False),
        'bad.json: quiz "check" question "who-said-what": A matching question needs at least',
    ),
    (
        "matching item without a statement",
        setting((*MATCHING, "choices", 1, "text"), ""),
        'bad.json: quiz "check" question "who-said-what": Each matching item needs a statement',
    ),
    (
        "matching distractor without a source",
        setting((*MATCHING, "choices", 2, "source"), None),
        'bad.json: quiz "check" question "who-said-what": A matching choice not marked correct',
    ),
    (
        "who-said answer is not the claim's source",
        both(
            setting((*WHO_FAIR, "choices", 0, "source"), "critics"),
            setting((*WHO_FAIR, "choices", 2, "source"), "mayor"),
        ),
        'bad.json: quiz "check" question "who-fair": The right answer must be the claim\'s source',
    ),
    (
        "who-said without a claim",
        setting((*WHO_FAIR, "claim"), None),
        'bad.json: quiz "check" question "who-fair": a who_said question needs a claim',
    ),
    (
        "classification with other labels",
        setting((*CLASSIFY, "choices", 2, "text"), "Opinion"),
        'bad.json: quiz "review" question "claim-kind": A classification question has exactly',
    ),
]


@pytest.mark.parametrize(
    ("mutate", "message"),
    [pytest.param(mutate, message, id=case) for case, mutate, message in BAD_BUNDLES],
)
def test_import_refuses_a_bad_bundle_and_writes_nothing(tmp_path, mutate, message):
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
    assert rows() == before


def test_import_refuses_broken_json_with_its_line_and_column(tmp_path):
    path = write(tmp_path, '{\n  "format": "sourcewise.lesson/1"\n  "lesson": {}\n}', "bad.json")

    with pytest.raises(BundleError) as refused:
        import_bundle(path)

    assert refused.value.problems == [
        "bad.json: not valid JSON: Expecting ',' delimiter (line 3, column 3)"
    ]
    assert not Lesson.objects.exists()


def test_import_refuses_a_key_given_twice_in_one_object(tmp_path):
    text = json.dumps(BUNDLE, indent=2, ensure_ascii=False).replace(
        '"cue": "called",', '"cue": "called",\n      "cue": "said",', 1
    )

    with pytest.raises(BundleError) as refused:
        import_bundle(write(tmp_path, text, "bad.json"))

    assert refused.value.problems == ['bad.json: claim "mayor-fair": key "cue" appears twice']
    assert not Lesson.objects.exists()


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


def test_import_refuses_to_remove_a_question_learners_answered(tmp_path):
    import_bundle(write(tmp_path, BUNDLE))
    question = Question.objects.get(key="how-much")
    answer(question, question.choices.first())
    before = rows()
    data = bundle()
    data["lesson"]["title"] = "A change that must not be written"
    del data["quizzes"][0]["questions"][2]

    with pytest.raises(BundleError) as refused:
        import_bundle(write(tmp_path, data, "bad.json"))

    assert refused.value.problems == [
        'bad.json: quiz "check" question "how-much": cannot be removed: learners have answered '
        "it (1 response(s))"
    ]
    assert rows() == before


def test_import_refuses_to_remove_a_choice_learners_chose(tmp_path):
    import_bundle(write(tmp_path, BUNDLE))
    question = Question.objects.get(key="who-fair")
    answer(question, question.choices.get(order=2))
    before = rows()
    data = bundle()
    get(data, WHO_FAIR)["choices"].pop()

    with pytest.raises(BundleError) as refused:
        import_bundle(write(tmp_path, data, "bad.json"))

    assert refused.value.problems == [
        'bad.json: quiz "check" question "who-fair" choice 3: cannot be removed: learners have '
        "chosen it (1 time(s))"
    ]
    assert rows() == before


def test_import_removes_a_choice_nobody_chose_from_an_answered_question(tmp_path):
    import_bundle(write(tmp_path, BUNDLE))
    question = Question.objects.get(key="who-fair")
    answer(question, question.choices.get(order=0))
    data = bundle()
    get(data, WHO_FAIR)["choices"].pop()

    import_bundle(write(tmp_path, data))

    assert question.choices.count() == 2


def test_import_refuses_to_remove_a_quiz_learners_attempted(tmp_path):
    import_bundle(write(tmp_path, BUNDLE))
    question = Question.objects.get(key="claim-kind")
    answer(question, question.choices.first())
    before = rows()
    data = bundle()
    del data["quizzes"][1]

    with pytest.raises(BundleError) as refused:
        import_bundle(write(tmp_path, data, "bad.json"))

    assert refused.value.problems == [
        'bad.json: quiz "review": cannot be removed: learners have made 1 attempt(s) at it'
    ]
    assert rows() == before


def test_import_refuses_to_remove_a_source_learners_matched_a_statement_to(tmp_path):
    import_bundle(write(tmp_path, BUNDLE))
    question = Question.objects.get(key="who-said-what")
    answer(question, question.choices.get(order=1), source=Source.objects.get(key="council"))
    before = rows()
    data = bundle()
    # The matching question stays; only the distractor source goes.
    data["sources"].pop(0)
    data["sources"][0]["parent"] = None
    get(data, WHO_FAIR)["choices"].pop(1)
    get(data, MATCHING)["choices"].pop()

    with pytest.raises(BundleError) as refused:
        import_bundle(write(tmp_path, data, "bad.json"))

    assert refused.value.problems == [
        'bad.json: source "council": cannot be removed: learners have matched statements to it '
        "(1 time(s))"
    ]
    assert rows() == before


# ---------------------------------------------------------------------------
# Pure validation


def test_validate_finds_no_problem_in_a_good_bundle():
    assert validate(BUNDLE, name="lesson.json") == []


def test_the_example_in_the_format_documentation_is_a_valid_bundle():
    doc = (Path(__file__).resolve().parent.parent / "docs" / "lesson-bundle.md").read_text()
    example = re.search(r"```json\n(.*?)```", doc, re.DOTALL).group(1)

    assert validate(json.loads(example), name="lesson-bundle.md") == []


# ---------------------------------------------------------------------------
# The commands


def test_import_lesson_reports_what_it_created_and_updated(tmp_path):
    path = write(tmp_path, BUNDLE)
    out = StringIO()

    call_command("import_lesson", str(path), stdout=out)
    call_command("import_lesson", str(path), stdout=out)

    text = out.getvalue()
    assert f'{path}: lesson "city-budget" created\n  sources: 4 created\n' in text
    assert f'{path}: lesson "city-budget" unchanged\n  sources: 4 unchanged\n' in text
    assert "  choices: 15 created" in text


def test_import_lesson_writes_nothing_when_any_file_is_bad(tmp_path):
    good = write(tmp_path, BUNDLE, "good.json")
    other = bundle()
    other["lesson"]["slug"] = "other"
    other["claims"][0]["evidence"] = "Not in the text."
    bad = write(tmp_path, other, "bad.json")

    with pytest.raises(CommandError) as failed:
        call_command("import_lesson", str(good), str(bad), stdout=StringIO())

    # CommandError is how a command fails: manage.py prints it to stderr and exits with 1.
    assert failed.value.returncode == 1
    assert f'{bad}: claim "mayor-fair": evidence not found in section "budget"' in str(failed.value)
    assert not Lesson.objects.exists()


def test_export_lesson_writes_the_bundle_to_stdout(tmp_path):
    lesson = import_bundle(write(tmp_path, BUNDLE)).lesson
    out = StringIO()

    call_command("export_lesson", "city-budget", stdout=out)

    assert out.getvalue() == dumps(lesson)


def test_export_lesson_writes_the_bundle_to_the_file_given_with_o(tmp_path):
    lesson = import_bundle(write(tmp_path, BUNDLE)).lesson
    target = tmp_path / "out.json"

    call_command("export_lesson", "city-budget", "-o", str(target), stdout=StringIO())

    assert target.read_bytes() == dumps(lesson).encode("utf-8")


def test_export_lesson_refuses_an_unknown_slug():
    with pytest.raises(CommandError, match='No lesson with the slug "nowhere"'):
        call_command("export_lesson", "nowhere")


def test_dump_gives_the_bundle_as_a_dict(tmp_path):
    lesson = import_bundle(write(tmp_path, BUNDLE)).lesson

    assert dump(lesson) == BUNDLE
