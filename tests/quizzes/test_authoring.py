"""quizzes/authoring.py: the whole-quiz checks in a teacher's words, and duplication."""

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
    problems = quiz_problems(quiz)
    assert {(p.question.order, p.code) for p in problems} >= {
        (1, "evidence_not_in_section"),
        (2, "no_correct_choice"),
        (3, "choice_not_a_source"),
        (3, "claim_missing"),
    }
    # Each problem names its question and the section, in a teacher's words.
    text = "\n".join(str(p) for p in problems)
    assert "Question 2" in text and "“Cuba confirms losses”" in text


def test_a_choice_naming_another_lessons_source_is_a_problem():
    quiz = QuizFactory()
    question = make_true_false_question(quiz)
    ChoiceFactory(question=question, text="", source=SourceFactory(name="Elsewhere"))
    foreign = [p for p in quiz_problems(quiz) if p.code == "source_of_another_lesson"]
    assert len(foreign) == 1 and "“Elsewhere”" in str(foreign[0])


def test_an_empty_quiz_is_a_problem():
    (problem,) = quiz_problems(QuizFactory())
    assert problem.code == "no_questions" and problem.question is None
    assert str(problem) == "The quiz has no questions yet."
