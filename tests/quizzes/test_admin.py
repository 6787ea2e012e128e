"""quizzes/admin.py: every admin page opens, the authoring checks speak a teacher's
language, and the quiz's preview, publish, unpublish and duplicate."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from quizzes.authoring import quiz_problems
from quizzes.models import Attempt, Choice, Question, Quiz
from tests.factories import (
    ChoiceFactory,
    ClaimFactory,
    QuestionFactory,
    QuizFactory,
    ResponseFactory,
    SourceFactory,
    make_single_question,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model",
    [
        "lessons/lesson",
        "lessons/source",
        "lessons/section",
        "lessons/claim",
        "quizzes/quiz",
        "quizzes/question",
        "quizzes/attempt",
        "quizzes/response",
    ],
)
def test_every_changelist_and_change_page_opens(superuser_client, model):
    claim = ClaimFactory()
    quiz = QuizFactory(lesson=claim.lesson)
    response = ResponseFactory(attempt__quiz=quiz)
    ChoiceFactory(question=response.question)
    objects = {
        "lessons/lesson": claim.lesson,
        "lessons/source": claim.source,
        "lessons/section": claim.section,
        "lessons/claim": claim,
        "quizzes/quiz": quiz,
        "quizzes/question": response.question,
        "quizzes/attempt": response.attempt,
        "quizzes/response": response,
    }
    app, name = model.split("/")
    assert superuser_client.get(reverse(f"admin:{app}_{name}_changelist")).status_code == 200
    assert (
        superuser_client.get(reverse(f"admin:{app}_{name}_changelist"), {"q": "a"}).status_code
        == 200
    )
    url = reverse(f"admin:{app}_{name}_change", args=[objects[model].pk])
    assert superuser_client.get(url).status_code == 200


def _question_post(quiz, kind, choices, **extra):
    data = {
        "quiz": quiz.pk,
        "order": 1,
        "key": "q1",
        "kind": kind,
        "skill": "attribution",
        "points": 1,
        "prompt": "Who said it?",
        "explanation": "",
        "evidence": "",
        "section": "",
        "claim": "",
        "choices-TOTAL_FORMS": len(choices),
        "choices-INITIAL_FORMS": 0,
        "choices-MIN_NUM_FORMS": 0,
        "choices-MAX_NUM_FORMS": 1000,
        "levels-TOTAL_FORMS": 0,  # the rubric inline (written questions only)
        "levels-INITIAL_FORMS": 0,
    }
    for i, c in enumerate(choices):
        data[f"choices-{i}-order"] = i
        data[f"choices-{i}-text"] = c.get("text", "")
        data[f"choices-{i}-feedback"] = ""
        data[f"choices-{i}-source"] = c.get("source", "")
        if c.get("correct"):
            data[f"choices-{i}-correct"] = "on"
    data.update(extra)
    return data


def _error_codes(response) -> set[str]:
    """The codes of the errors the question's form and its choices show, each error's
    message checked to be on the page."""
    errors = [e for es in response.context["adminform"].form.errors.as_data().values() for e in es]
    for inline in response.context["inline_admin_formsets"]:
        errors += inline.formset.non_form_errors().as_data()
    for e in errors:
        assert escape(e.message) in response.text
    return {e.code for e in errors}


def test_question_without_a_correct_choice_is_refused(superuser_client):
    quiz = QuizFactory()
    data = _question_post(quiz, "single", [{"text": "32"}, {"text": "12"}])
    response = superuser_client.post(reverse("admin:quizzes_question_add"), data)
    assert response.status_code == 200
    assert "no_correct_choice" in _error_codes(response)
    assert not Question.objects.exists()


def test_who_said_choices_must_be_sources(superuser_client):
    claim = ClaimFactory()
    quiz = QuizFactory(lesson=claim.lesson)
    data = _question_post(
        quiz,
        "who_said",
        [{"source": claim.source.pk, "correct": True}, {"text": "Someone"}],
        claim=claim.pk,
    )
    response = superuser_client.post(reverse("admin:quizzes_question_add"), data)
    assert "choice_not_a_source" in _error_codes(response)
    assert not Question.objects.exists()


def test_who_said_key_must_be_the_claims_source(superuser_client):
    claim = ClaimFactory()
    other = SourceFactory(lesson=claim.lesson, name="Washington")
    quiz = QuizFactory(lesson=claim.lesson)
    data = _question_post(
        quiz,
        "who_said",
        [{"source": claim.source.pk}, {"source": other.pk, "correct": True}],
        claim=claim.pk,
    )
    response = superuser_client.post(reverse("admin:quizzes_question_add"), data)
    assert "key_not_claim_source" in _error_codes(response)
    assert claim.source.name in response.text


def test_evidence_not_in_the_section_is_refused(superuser_client):
    claim = ClaimFactory()
    quiz = QuizFactory(lesson=claim.lesson)
    data = _question_post(
        quiz,
        "single",
        [{"text": "32", "correct": True}, {"text": "12"}],
        section=claim.section.pk,
        evidence="A sentence the section does not have.",
    )
    response = superuser_client.post(reverse("admin:quizzes_question_add"), data)
    assert _error_codes(response) == {"evidence_not_in_section"}
    assert not Question.objects.exists()


def test_classification_needs_the_three_classes(superuser_client):
    quiz = QuizFactory()
    data = _question_post(
        quiz, "classification", [{"text": "Fact", "correct": True}, {"text": "Opinion"}]
    )
    response = superuser_client.post(reverse("admin:quizzes_question_add"), data)
    assert "classification_labels" in _error_codes(response)


@pytest.mark.parametrize(
    ("kind", "choices"),
    [
        ("single", [{"text": "32", "correct": True}, {"text": "12"}]),
        (
            "multiple",
            [
                {"text": "China", "correct": True},
                {"text": "Iran", "correct": True},
                {"text": "Chile"},
            ],
        ),
        ("true_false", [{"text": "True", "correct": True}, {"text": "False"}]),
        (
            "classification",
            [
                {"text": "The article's own statement"},
                {"text": "A source's statement of fact", "correct": True},
                {"text": "A source's framing or judgement"},
            ],
        ),
    ],
)
def test_every_choice_kind_can_be_authored(superuser_client, kind, choices):
    quiz = QuizFactory()
    response = superuser_client.post(
        reverse("admin:quizzes_question_add"), _question_post(quiz, kind, choices)
    )
    assert response.status_code == 302, response.text
    question = Question.objects.get()
    assert question.kind == kind
    assert question.choices.filter(correct=True).count() == sum(
        bool(c.get("correct")) for c in choices
    )


def test_who_said_and_matching_can_be_authored(superuser_client):
    claim = ClaimFactory()
    other = SourceFactory(lesson=claim.lesson, name="Washington")
    quiz = QuizFactory(lesson=claim.lesson)
    who = _question_post(
        quiz,
        "who_said",
        [{"source": claim.source.pk, "correct": True}, {"source": other.pk}],
        claim=claim.pk,
    )
    assert superuser_client.post(reverse("admin:quizzes_question_add"), who).status_code == 302
    matching = _question_post(
        quiz,
        "matching",
        [
            {"text": "32 were killed", "source": claim.source.pk, "correct": True},
            {"text": "A law-enforcement action", "source": other.pk, "correct": True},
        ],
        key="q2",
    )
    assert superuser_client.post(reverse("admin:quizzes_question_add"), matching).status_code == 302
    assert Question.objects.get(kind="matching").choices.filter(correct=True).count() == 2


def _own(user, *quizzes):
    """Make `quizzes` and their lessons `user`'s: a teacher edits only their own."""
    for quiz in quizzes:
        quiz.owner = user
        quiz.save(update_fields=["owner"])
        quiz.lesson.owner = user
        quiz.lesson.save(update_fields=["owner"])
    return quizzes


def _changelist_action(client, action, quizzes):
    return client.post(
        reverse("admin:quizzes_quiz_changelist"),
        {"action": action, "_selected_action": [q.pk for q in quizzes]},
        follow=True,
    )


def test_preview_shows_the_quiz_as_a_learner_sees_it_without_the_key(teacher_client, teacher, quiz):
    _own(teacher, quiz)
    quiz.published = False
    quiz.save()
    single, tf = quiz.questions.order_by("order")
    page = teacher_client.get(reverse("admin:quizzes_quiz_preview", args=[quiz.pk]))
    assert page.status_code == 200
    assert single.prompt in page.text and tf.prompt in page.text
    assert 'type="radio"' in page.text and "disabled" in page.text
    # nothing of the key: no marks, no feedback, no explanation
    assert "✓ key" not in page.text and "Right: Havana confirmed 32." not in page.text
    assert "Because the article says so." not in page.text
    assert "not published" in page.text
    assert not Attempt.objects.exists()


def test_preview_with_the_key_shows_key_feedback_and_explanation(teacher_client, quiz):
    page = teacher_client.get(reverse("admin:quizzes_quiz_preview", args=[quiz.pk]) + "?key=1")
    assert page.text.count("✓ key") == 2
    assert (
        "Right: Havana confirmed 32." in page.text and "Because the article says so." in page.text
    )
    assert not Attempt.objects.exists()


def test_preview_query_count_does_not_grow_with_questions(teacher_client):
    counts = []
    for size in (2, 12):
        quiz = QuizFactory()
        for i in range(size):
            make_single_question(quiz, order=i)
        with CaptureQueriesContext(connection) as ctx:
            assert (
                teacher_client.get(
                    reverse("admin:quizzes_quiz_preview", args=[quiz.pk])
                ).status_code
                == 200
            )
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def test_preview_is_for_staff_only(student_client, quiz):
    response = student_client.get(reverse("admin:quizzes_quiz_preview", args=[quiz.pk]))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_publish_refuses_a_quiz_with_problems_and_publishes_a_sound_one(teacher_client, teacher):
    sound = QuizFactory(published=False, title="Sound", owner=teacher)
    make_single_question(sound)
    broken = QuizFactory(published=False, title="Broken", owner=teacher)
    question = QuestionFactory(quiz=broken, prompt="Which?")
    ChoiceFactory(question=question, text="a")
    ChoiceFactory(question=question, text="b")
    page = _changelist_action(teacher_client, "publish", [sound, broken])
    sound.refresh_from_db()
    broken.refresh_from_db()
    assert sound.published and not broken.published
    assert "Not published, fix it first: “Broken”" in page.text
    assert "No choice is marked correct" in page.text


def test_unpublish(teacher_client, teacher, quiz):
    _own(teacher, quiz)
    page = _changelist_action(teacher_client, "unpublish", [quiz])
    quiz.refresh_from_db()
    assert not quiz.published and "past attempts are kept" in page.text


def test_duplicate_copies_questions_and_choices_unpublished(teacher_client, teacher, quiz):
    _own(teacher, quiz)
    page = _changelist_action(teacher_client, "duplicate", [quiz])
    copy = Quiz.objects.exclude(pk=quiz.pk).get()
    assert "(copy)" in copy.title and copy.key == f"{quiz.key}-copy" and not copy.published
    assert "with 2 question(s)" in page.text
    original = [
        (q.key, q.kind, q.prompt, [(c.text, c.correct, c.feedback) for c in q.choices.all()])
        for q in quiz.questions.order_by("order")
    ]
    copied = [
        (q.key, q.kind, q.prompt, [(c.text, c.correct, c.feedback) for c in q.choices.all()])
        for q in copy.questions.order_by("order")
    ]
    assert copied == original
    assert not set(copy.questions.values_list("pk", flat=True)) & set(
        quiz.questions.values_list("pk", flat=True)
    )
    assert Choice.objects.count() == 10


def test_a_sound_quiz_has_no_problems_and_says_so(teacher_client, quiz):
    assert quiz_problems(quiz) == []
    page = teacher_client.get(reverse("admin:quizzes_quiz_change", args=[quiz.pk]))
    assert "Every question passes the checks." in page.text


def test_ticking_published_on_the_form_is_held_to_the_checks(teacher_client, teacher):
    quiz = QuizFactory(published=False, title="Half done", owner=teacher, lesson__owner=teacher)
    question = QuestionFactory(quiz=quiz, prompt="Which?")
    ChoiceFactory(question=question, text="a")
    form = {
        "lesson": quiz.lesson.pk,
        "key": quiz.key,
        "order": 0,
        "title": quiz.title,
        "description": "",
        "published": "on",
        "feedback": "after_submit",
        "review_score": "after_attempt",
        "review_correctness": "after_attempt",
        "review_key": "after_last",
        "review_feedback": "after_last",
        "counted_attempt": "latest",
        "questions-TOTAL_FORMS": 0,
        "questions-INITIAL_FORMS": 0,
    }
    url = reverse("admin:quizzes_quiz_change", args=[quiz.pk])
    response = teacher_client.post(url, form, follow=True)
    quiz.refresh_from_db()
    assert not quiz.published
    assert "saved but not published: 2 problem(s)" in response.text
    assert "A question needs at least two choices" in response.text
    ChoiceFactory(question=question, text="b", correct=True)
    teacher_client.post(url, form)
    quiz.refresh_from_db()
    assert quiz.published


def test_before_you_publish_lists_content_problems_in_a_teachers_words(superuser_client):
    claim = ClaimFactory()
    body = SourceFactory(lesson=claim.lesson, name="Cuba")
    claim.source.parent = body
    claim.source.save()
    quiz = QuizFactory(lesson=claim.lesson, published=False)
    prompt = "Who confirmed that 32 Cuban nationals were killed, in the article's second paragraph?"
    who = QuestionFactory(
        quiz=quiz, order=4, kind=Question.Kind.WHO_SAID, claim=claim, prompt=prompt
    )
    ChoiceFactory(question=who, text="", source=claim.source, correct=True)
    ChoiceFactory(question=who, text="", source=body)

    page = superuser_client.get(reverse("admin:quizzes_quiz_change", args=[quiz.pk]))

    problems = quiz_problems(quiz)
    assert "distractor_ancestry" in {p.code for p in problems}
    assert escape(f"Question 1 (“{prompt}”): The wrong choice Cuba") in page.text
