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


# --- the content rules hold back publishing -----------------------------------------------


def test_publishing_a_quiz_that_breaks_a_content_rule_is_refused_with_its_code():
    from lessons.models import Source
    from quizzes.authoring import publish
    from tests.factories import ClaimFactory

    claim = ClaimFactory(source__name="The Cuban government", source__aliases="Havana")
    lesson = claim.lesson
    body = SourceFactory(lesson=lesson, name="Cuba", kind=Source.Kind.INSTITUTION)
    Source.objects.filter(pk=claim.source_id).update(parent=body)
    quiz = QuizFactory(lesson=lesson, published=False)
    prompt = "Who confirmed that 32 Cuban nationals were killed in the operation in Caracas?"
    who = QuestionFactory(
        quiz=quiz, order=7, kind=Question.Kind.WHO_SAID, claim=claim, prompt=prompt
    )
    ChoiceFactory(question=who, text="", source=claim.source, correct=True)
    ChoiceFactory(question=who, text="", source=body)  # the body it speaks for

    problems = publish(quiz)

    quiz.refresh_from_db()
    assert not quiz.published
    assert "distractor_ancestry" in {p.code for p in problems}
    # Numbered as the learner sees it (the first question), with its whole prompt.
    assert f"Question 1 (“{prompt}”)" in str(next(p for p in problems if p.question))


def test_publishing_is_refused_while_a_claim_names_another_lessons_source():
    from lessons.models import Claim
    from quizzes.authoring import publish
    from tests.factories import ClaimFactory

    claim = ClaimFactory()
    quiz = QuizFactory(lesson=claim.lesson, published=False)
    who = QuestionFactory(quiz=quiz, kind=Question.Kind.WHO_SAID, claim=claim)
    ChoiceFactory(question=who, text="", source=claim.source, correct=True)
    ChoiceFactory(question=who, text="", source=SourceFactory(lesson=claim.lesson))
    Claim.objects.filter(pk=claim.pk).update(source=SourceFactory())  # another lesson's

    codes = {p.code for p in publish(quiz)}

    quiz.refresh_from_db()
    assert not quiz.published
    assert {"other_lesson", "foreign_reference"} <= codes


def test_a_quiz_of_good_content_is_published():
    from quizzes.authoring import publish
    from tests.factories import ClaimFactory

    claim = ClaimFactory(source__name="The Cuban government", source__aliases="Havana")
    other = SourceFactory(lesson=claim.lesson, name="Washington")
    quiz = QuizFactory(lesson=claim.lesson, published=False)
    who = QuestionFactory(quiz=quiz, kind=Question.Kind.WHO_SAID, claim=claim)
    ChoiceFactory(question=who, text="", source=claim.source, correct=True)
    ChoiceFactory(question=who, text="", source=other)

    assert publish(quiz) == []
    quiz.refresh_from_db()
    assert quiz.published
