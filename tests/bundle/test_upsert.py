"""Import (bundle/upsert.py): rows matched by keys, written once, removals refused where learners answered."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from bundle.dump import dumps
from bundle.errors import BundleError
from bundle.upsert import import_bundle
from bundle.validate import validate
from lessons.models import Claim, Lesson, Section, Source
from quizzes.models import Question, Quiz
from tests.bundle.sample import (
    BUNDLE,
    CLASSIFY,
    MATCHING,
    MODELS,
    SIZE_TRUE,
    WHO_FAIR,
    answer,
    both,
    bundle,
    get,
    nonzero,
    rows,
    setting,
    write,
)

pytestmark = pytest.mark.django_db


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
        ("council-districts", 3),
    ]
    who_fair = Question.objects.get(key="who-fair")
    assert (who_fair.order, who_fair.claim.key, who_fair.section.key) == (0, "mayor-fair", "budget")
    assert [(c.order, c.source.key) for c in who_fair.choices.all()] == [
        (0, "mayor"),
        (1, "report"),
        (2, "critics"),
    ]


def test_importing_the_same_bundle_twice_changes_nothing(tmp_path):
    path = write(tmp_path, BUNDLE)
    import_bundle(path)
    before = rows()

    result = import_bundle(path)

    assert rows() == before  # same rows, same primary keys, same values, same updated_at
    assert result.status == "unchanged"
    assert all(set(c) == {"unchanged"} for c in nonzero(result.counts).values())


def test_import_updates_the_lesson_in_place_by_its_keys(tmp_path):
    import_bundle(write(tmp_path, BUNDLE))
    claim = Claim.objects.get(key="mayor-fair")
    kept_question = Question.objects.get(key="who-fair")
    kept_choice_pks = list(kept_question.choices.values_list("pk", flat=True))
    updated_at = Lesson.objects.get().updated_at
    data = bundle()
    data["claims"][0]["content"] = "The budget treats everyone fairly."
    del data["quizzes"][0]["questions"][2]  # how-much
    get(data, WHO_FAIR)["choices"][1]["feedback"] = "Close: the report gives his words."

    result = import_bundle(write(tmp_path, data))

    claim.refresh_from_db()
    assert claim.content == "The budget treats everyone fairly."
    assert not Question.objects.filter(key="how-much").exists()
    assert Question.objects.get(key="who-fair").pk == kept_question.pk
    assert list(kept_question.choices.values_list("pk", flat=True)) == kept_choice_pks
    assert kept_question.choices.get(order=1).feedback.startswith("Close")
    assert Question.objects.get(key="who-said-what").order == 2
    assert nonzero(result.counts)["claims"] == {"updated": 1, "unchanged": 3}
    # who-said-what and who-districts move up a place.
    assert nonzero(result.counts)["questions"] == {"updated": 2, "deleted": 1, "unchanged": 4}
    assert nonzero(result.counts)["choices"] == {"updated": 1, "deleted": 2, "unchanged": 14}
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
    del data["quizzes"][0]["questions"][3:]  # the matching and who-districts questions
    del data["quizzes"][1]

    # What is left asks nothing about the council: the content rules would refuse it.
    result = import_bundle(write(tmp_path, data), checks=[])

    assert sorted(Source.objects.values_list("key", flat=True)) == ["council", "mayor", "report"]
    assert list(Section.objects.values_list("key", flat=True)) == ["budget"]
    assert list(Claim.objects.values_list("key", flat=True)) == ["mayor-fair", "budget-size"]
    assert list(Quiz.objects.values_list("key", flat=True)) == ["check"]
    counts = nonzero(result.counts)
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
    # The matching question stays; only the distractor source goes (with its claim and
    # the question about it).
    data["sources"].pop(0)
    data["sources"][0]["parent"] = None
    data["claims"].pop()
    get(data, MATCHING)["choices"].pop()
    del data["quizzes"][0]["questions"][4]

    with pytest.raises(BundleError) as refused:
        import_bundle(write(tmp_path, data, "bad.json"))

    assert refused.value.problems == [
        'bad.json: source "council": cannot be removed: learners have matched statements to it '
        "(1 time(s))"
    ]
    assert rows() == before


# ---------------------------------------------------------------------------
# Content checks: run on the saved lesson, inside the import's transaction


def test_a_content_check_sees_the_saved_lesson_and_its_report_undoes_the_import(tmp_path):
    import_bundle(write(tmp_path, BUNDLE))
    before = rows()
    data = bundle()
    data["claims"][0]["cue"] = "said"
    seen = []

    def cues_are_reporting_verbs(lesson, report):
        for claim in lesson.claims.all():
            seen.append((claim.key, claim.cue))
            if claim.cue == "said" and claim.kind == Claim.Kind.QUOTE:
                report(f'claim "{claim.key}"', "a quote's cue must not be a bare said", "cue")

    with pytest.raises(BundleError) as refused:
        import_bundle(write(tmp_path, data, "bad.json"), checks=[cues_are_reporting_verbs])

    assert ("mayor-fair", "said") in seen  # the check read the rows as the import wrote them
    assert refused.value.problems == [
        'bad.json: claim "mayor-fair": a quote\'s cue must not be a bare said'
    ]
    assert refused.value.codes == ["cue"]
    assert rows() == before


def test_the_content_checks_run_on_every_import(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(
        "bundle.upsert.CONTENT_CHECKS", [lambda lesson, report: calls.append(lesson.slug)]
    )

    import_bundle(write(tmp_path, BUNDLE))
    call_command("import_lesson", str(write(tmp_path, BUNDLE)), stdout=StringIO())

    assert calls == ["city-budget", "city-budget"]


def test_the_content_rules_are_a_content_check():
    from bundle.upsert import CONTENT_CHECKS, content_rules

    assert content_rules in CONTENT_CHECKS


# One bundle per content rule the import can judge without the article, each breaking it
# once: the import is refused with that rule's code and writes nothing.
CONTENT_BREAKS = [
    ("distractor_ancestry", setting((*WHO_FAIR, "choices", 1, "source"), "council")),
    (
        "evidence_unnamed",
        both(
            setting(("sources", 1, "aliases"), []),
            setting(("sources", 1, "name"), "José Núñez"),
        ),
    ),
    ("act_verb_cue", setting(("claims", 2, "cue"), "appointed")),
    ("source_never_key", setting((*MATCHING, "choices", 0, "source"), "critics")),
    (
        "quote_marks_misused",
        setting((*SIZE_TRUE, "explanation"), "The budget: “12 million euros”."),
    ),
    ("classification_scheme_missing", setting(("quizzes", 1, "description"), "")),
    (
        "classification_scheme_in_prompt",
        setting((*CLASSIFY, "prompt"), "A source's framing or judgement?"),
    ),
]


@pytest.mark.parametrize(("code", "mutate"), CONTENT_BREAKS, ids=[c for c, _ in CONTENT_BREAKS])
def test_an_import_breaking_a_content_rule_is_refused_and_writes_nothing(tmp_path, code, mutate):
    import_bundle(write(tmp_path, BUNDLE))
    before = rows()
    data = bundle()
    data["lesson"]["title"] = "A change that must not be written"
    mutate(data)
    assert validate(data, name="bad.json") == []  # the format is fine: the content is not

    with pytest.raises(BundleError) as refused:
        import_bundle(write(tmp_path, data, "bad.json"))

    assert code in refused.value.codes, refused.value.problems
    assert rows() == before


def test_a_new_lesson_breaking_a_content_rule_is_not_created(tmp_path):
    data = bundle()
    setting((*WHO_FAIR, "choices", 1, "source"), "council")(data)

    with pytest.raises(BundleError) as refused:
        import_bundle(write(tmp_path, data, "bad.json"))

    assert refused.value.codes == ["distractor_ancestry"]
    assert 'bad.json: quiz "check" question "who-fair": ' in refused.value.problems[0]
    assert not any(model.objects.exists() for model in MODELS)


def test_a_draft_breaking_a_content_rule_imports_with_warnings_and_cannot_be_published(tmp_path):
    from quizzes.authoring import quiz_problems

    data = bundle()
    data["lesson"]["published"] = False
    for quiz in data["quizzes"]:
        quiz["published"] = False
    setting((*WHO_FAIR, "choices", 1, "source"), "council")(data)

    result = import_bundle(write(tmp_path, data, "draft.json"))

    assert [w.code for w in result.warnings] == ["distractor_ancestry"]
    assert "to fix before publishing (1):" in result.summary()
    quiz = result.lesson.quizzes.get(key="check")
    assert "distractor_ancestry" in {p.code for p in quiz_problems(quiz)}


def test_a_bundle_without_the_review_options_imports_with_the_defaults(tmp_path):
    # BUNDLE predates fixed_order and the review options: it imports, with the defaults,
    # and exports as it was.
    lesson = import_bundle(write(tmp_path, BUNDLE)).lesson
    quiz = Quiz.objects.filter(lesson=lesson).first()
    assert (quiz.review_score, quiz.review_key, quiz.counted_attempt) == (
        "after_attempt",
        "after_last",
        "latest",
    )
    assert not Question.objects.filter(quiz__lesson=lesson, fixed_order=True).exists()
    assert json.loads(dumps(lesson)) == BUNDLE


def test_fixed_order_and_review_options_round_trip(tmp_path):
    data = bundle()
    quiz = data["quizzes"][0]
    quiz.update(review_key="after_close", review_feedback="never", counted_attempt="best")
    quiz["questions"][0]["fixed_order"] = True
    lesson = import_bundle(write(tmp_path, data)).lesson
    stored = Quiz.objects.get(lesson=lesson, key=quiz["key"])
    assert (stored.review_key, stored.review_feedback, stored.counted_attempt) == (
        "after_close",
        "never",
        "best",
    )
    assert stored.questions.get(key=quiz["questions"][0]["key"]).fixed_order is True
    assert json.loads(dumps(lesson)) == data


def test_a_review_option_out_of_its_choices_is_refused(tmp_path):
    data = bundle()
    data["quizzes"][0]["review_key"] = "tomorrow"
    with pytest.raises(BundleError) as refused:
        import_bundle(write(tmp_path, data))
    assert "invalid_choice" in refused.value.codes
