"""Authoring in the admin: preview, publish and unpublish, duplicate, whole-quiz checks,
and lesson bundles uploaded and downloaded."""

import pytest

from quizzes.authoring import duplicate_quiz, quiz_problems
from quizzes.models import Question
from tests.factories import (
    ChoiceFactory,
    QuestionFactory,
    QuizFactory,
    SectionFactory,
    SourceFactory,
    make_true_false_question,
)
from tests.report_data import build_quiz

pytestmark = pytest.mark.django_db


# --- preview -------------------------------------------------------------------------------


# --- publish, unpublish, duplicate -------------------------------------------------------


def test_duplicating_twice_gives_distinct_keys(quiz):
    first, second = duplicate_quiz(quiz), duplicate_quiz(quiz)
    assert first.key == f"{quiz.key}-copy" and second.key == f"{quiz.key}-copy-2"


def test_duplicate_keeps_sources_of_who_said_choices():
    quiz, _, sources = build_quiz()
    copy = duplicate_quiz(quiz)
    q2 = copy.questions.get(key="q2")
    assert sorted(q2.choices.values_list("source__name", flat=True)) == [
        "Díaz-Canel",
        "Padrino",
        "Trump",
    ]
    assert q2.claim_id == quiz.questions.get(key="q2").claim_id


# --- checks in a teacher's words -------------------------------------------------------------


def test_quiz_problems_in_a_teachers_words():
    quiz = QuizFactory()
    section = SectionFactory(lesson=quiz.lesson, title="Cuba confirms losses")
    QuestionFactory(quiz=quiz, order=1, section=section, evidence="Words nowhere in the section.")
    no_key = QuestionFactory(quiz=quiz, order=2)
    ChoiceFactory(question=no_key, text="a")
    ChoiceFactory(question=no_key, text="b")
    who = QuestionFactory(quiz=quiz, order=3, kind=Question.Kind.WHO_SAID)
    ChoiceFactory(question=who, text="Somebody", correct=True)
    ChoiceFactory(question=who, text="", source=SourceFactory(lesson=quiz.lesson))
    text = "\n".join(str(p) for p in quiz_problems(quiz))
    assert "does not occur word for word in the section “Cuba confirms losses”" in text
    assert "Question 2" in text and "No choice is marked correct" in text
    assert "Every choice of a who-said-it question must be a source of the lesson" in text
    assert "must name the claim it asks about" in text


def test_a_choice_naming_another_lessons_source_is_a_problem():
    quiz = QuizFactory()
    question = make_true_false_question(quiz)
    ChoiceFactory(question=question, text="", source=SourceFactory(name="Elsewhere"))
    text = " ".join(str(p) for p in quiz_problems(quiz))
    assert "source from another lesson: “Elsewhere”" in text


def test_an_empty_quiz_is_a_problem():
    assert [str(p) for p in quiz_problems(QuizFactory())] == ["The quiz has no questions yet."]


# --- lesson bundles in the admin ---------------------------------------------------------
