"""The teacher's admin: every page opens, and authoring checks speak a teacher's language."""

import pytest
from django.urls import reverse

from quizzes.models import Question

from .factories import (
    ChoiceFactory,
    ClaimFactory,
    QuizFactory,
    ResponseFactory,
    SourceFactory,
    TeacherFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_(client):
    client.force_login(TeacherFactory(username="head", is_superuser=True))
    return client


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
def test_every_changelist_and_change_page_opens(admin_client_, model):
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
    assert admin_client_.get(reverse(f"admin:{app}_{name}_changelist")).status_code == 200
    assert (
        admin_client_.get(reverse(f"admin:{app}_{name}_changelist"), {"q": "a"}).status_code == 200
    )
    url = reverse(f"admin:{app}_{name}_change", args=[objects[model].pk])
    assert admin_client_.get(url).status_code == 200


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


def test_question_without_a_correct_choice_is_refused(admin_client_):
    quiz = QuizFactory()
    data = _question_post(quiz, "single", [{"text": "32"}, {"text": "12"}])
    response = admin_client_.post(reverse("admin:quizzes_question_add"), data)
    assert response.status_code == 200
    assert "No choice is marked correct" in response.text
    assert not Question.objects.exists()


def test_who_said_choices_must_be_sources(admin_client_):
    claim = ClaimFactory()
    quiz = QuizFactory(lesson=claim.lesson)
    data = _question_post(
        quiz,
        "who_said",
        [{"source": claim.source.pk, "correct": True}, {"text": "Someone"}],
        claim=claim.pk,
    )
    response = admin_client_.post(reverse("admin:quizzes_question_add"), data)
    assert "Every choice of a who-said-it question must be a source" in response.text
    assert not Question.objects.exists()


def test_who_said_key_must_be_the_claims_source(admin_client_):
    claim = ClaimFactory()
    other = SourceFactory(lesson=claim.lesson, name="Washington")
    quiz = QuizFactory(lesson=claim.lesson)
    data = _question_post(
        quiz,
        "who_said",
        [{"source": claim.source.pk}, {"source": other.pk, "correct": True}],
        claim=claim.pk,
    )
    response = admin_client_.post(reverse("admin:quizzes_question_add"), data)
    assert (
        f"The right answer must be the claim&#x27;s source, {claim.source.name}." in response.text
    )


def test_evidence_not_in_the_section_is_refused(admin_client_):
    claim = ClaimFactory()
    quiz = QuizFactory(lesson=claim.lesson)
    data = _question_post(
        quiz,
        "single",
        [{"text": "32", "correct": True}, {"text": "12"}],
        section=claim.section.pk,
        evidence="A sentence the section does not have.",
    )
    response = admin_client_.post(reverse("admin:quizzes_question_add"), data)
    assert "does not occur word for word in the section" in response.text
    assert not Question.objects.exists()


def test_classification_needs_the_three_classes(admin_client_):
    quiz = QuizFactory()
    data = _question_post(
        quiz, "classification", [{"text": "Fact", "correct": True}, {"text": "Opinion"}]
    )
    response = admin_client_.post(reverse("admin:quizzes_question_add"), data)
    assert "A classification question has exactly three choices" in response.text


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
def test_every_choice_kind_can_be_authored(admin_client_, kind, choices):
    quiz = QuizFactory()
    response = admin_client_.post(
        reverse("admin:quizzes_question_add"), _question_post(quiz, kind, choices)
    )
    assert response.status_code == 302, response.text
    question = Question.objects.get()
    assert question.kind == kind
    assert question.choices.filter(correct=True).count() == sum(
        bool(c.get("correct")) for c in choices
    )


def test_who_said_and_matching_can_be_authored(admin_client_):
    claim = ClaimFactory()
    other = SourceFactory(lesson=claim.lesson, name="Washington")
    quiz = QuizFactory(lesson=claim.lesson)
    who = _question_post(
        quiz,
        "who_said",
        [{"source": claim.source.pk, "correct": True}, {"source": other.pk}],
        claim=claim.pk,
    )
    assert admin_client_.post(reverse("admin:quizzes_question_add"), who).status_code == 302
    matching = _question_post(
        quiz,
        "matching",
        [
            {"text": "32 were killed", "source": claim.source.pk, "correct": True},
            {"text": "A law-enforcement action", "source": other.pk, "correct": True},
        ],
        key="q2",
    )
    assert admin_client_.post(reverse("admin:quizzes_question_add"), matching).status_code == 302
    assert Question.objects.get(kind="matching").choices.filter(correct=True).count() == 2
