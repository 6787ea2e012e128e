"""quizzes/models.py: the database constraints hold even when code forgets to check; the
rules written on the models (QuerySets, clean) say which rule refused, with a code."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from quizzes.attempts import save_answer, start_attempt, submit_attempt
from quizzes.models import Attempt, Question, Quiz
from tests.factories import (
    AttemptFactory,
    ClaimFactory,
    LessonFactory,
    QuestionFactory,
    QuizFactory,
    ResponseFactory,
    SectionFactory,
    make_single_question,
)

pytestmark = pytest.mark.django_db


def test_one_response_per_question_per_attempt():
    response = ResponseFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ResponseFactory(attempt=response.attempt, question=response.question)


def test_attempt_numbers_unique_per_learner_and_quiz():
    attempt = AttemptFactory(number=1, submitted_at="2026-01-05T10:00Z")
    with pytest.raises(IntegrityError), transaction.atomic():
        AttemptFactory(
            learner=attempt.learner, quiz=attempt.quiz, number=1, submitted_at="2026-01-05T11:00Z"
        )


def test_at_most_one_attempt_in_progress_per_learner_and_quiz():
    attempt = AttemptFactory(number=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        AttemptFactory(learner=attempt.learner, quiz=attempt.quiz, number=2)


def test_submitted_attempts_may_sit_beside_one_in_progress():
    attempt = AttemptFactory(number=1, submitted_at="2026-01-05T10:00Z")
    AttemptFactory(learner=attempt.learner, quiz=attempt.quiz, number=2)
    AttemptFactory(quiz=attempt.quiz, number=1)  # another learner's, in progress too
    assert Attempt.objects.filter(quiz=attempt.quiz).in_progress().count() == 2
    assert Attempt.objects.filter(quiz=attempt.quiz).count() == 3


def test_credit_stays_within_0_and_1():
    with pytest.raises(IntegrityError), transaction.atomic():
        ResponseFactory(credit=1.5)


# --- the rules written on the models -------------------------------------------------------


@pytest.mark.parametrize(
    ("quiz_published", "lesson_published"),
    [(True, True), (True, False), (False, True), (False, False)],
)
def test_a_quiz_students_can_see_is_published_in_a_published_lesson(
    quiz_published, lesson_published
):
    quiz = QuizFactory(published=quiz_published, lesson=LessonFactory(published=lesson_published))
    visible = quiz_published and lesson_published
    assert (quiz in Quiz.objects.visible()) is visible
    assert quiz.is_visible() is visible
    assert (quiz in quiz.lesson.quizzes.visible()) is visible


def _clean_codes(obj) -> dict[str, set[str]]:
    with pytest.raises(ValidationError) as refused:
        obj.clean()
    return {field: {e.code for e in errors} for field, errors in refused.value.error_dict.items()}


def test_question_clean_says_which_rule_with_a_code():
    quiz = QuizFactory()
    other_lesson_claim = ClaimFactory()
    who = QuestionFactory.build(quiz=quiz, kind=Question.Kind.WHO_SAID)
    assert _clean_codes(who) == {"claim": {"claim_missing"}}
    foreign = QuestionFactory.build(quiz=quiz, claim=other_lesson_claim)
    assert _clean_codes(foreign) == {"claim": {"other_lesson"}}
    section = SectionFactory(lesson=quiz.lesson)
    misquoted = QuestionFactory.build(quiz=quiz, section=section, evidence="Not in the text.")
    assert _clean_codes(misquoted) == {"evidence": {"evidence_not_in_section"}}
    elsewhere = QuestionFactory.build(quiz=quiz, section=other_lesson_claim.section)
    assert _clean_codes(elsewhere) == {"section": {"other_lesson"}}


def test_counted_attempts_are_each_learners_latest_submitted_one(student, other_student):
    quiz = QuizFactory()
    first = AttemptFactory(quiz=quiz, learner=student, number=1, submitted_at="2026-01-05T10:00Z")
    latest = AttemptFactory(quiz=quiz, learner=student, number=2, submitted_at="2026-01-06T10:00Z")
    AttemptFactory(quiz=quiz, learner=student, number=3)  # in progress: never counted
    other = AttemptFactory(
        quiz=quiz, learner=other_student, number=1, submitted_at="2026-01-05T11:00Z"
    )
    assert set(Attempt.objects.filter(quiz=quiz).counted()) == {latest, other}
    learners = get_user_model().objects.filter(pk=student.pk)
    assert set(Attempt.objects.submitted().of_learners(learners)) == {first, latest}
    assert Attempt.objects.submitted().of_learners(None).count() == 3


def test_counted_follows_the_quiz_setting(student):
    quiz = QuizFactory()
    question = make_single_question(quiz)
    right = question.choices.get(correct=True)
    first = start_attempt(quiz=quiz, learner=student)
    save_answer(attempt=first, question=question, choice_ids=[right.pk])
    submit_attempt(attempt=first)
    second = start_attempt(quiz=quiz, learner=student)
    submit_attempt(attempt=second)
    attempts = Attempt.objects.filter(quiz=quiz)
    assert list(attempts.counted("latest")) == [second]
    assert list(attempts.counted("best")) == [first]
