"""The attempt lifecycle through quizzes.attempts: start, answer, resume, submit."""

from datetime import timedelta

import pytest
from django.utils import timezone

from quizzes.attempts import (
    AttemptClosed,
    InvalidAnswer,
    NoAttemptsLeft,
    QuizUnavailable,
    save_answer,
    start_attempt,
    submit_attempt,
)
from quizzes.models import Attempt, Response

from tests.factories import QuizFactory, make_single_question

pytestmark = pytest.mark.django_db


def _questions(quiz):
    single, tf = quiz.questions.order_by("order")
    return single, tf


def _right(question):
    return question.choices.get(correct=True)


def _wrong(question):
    return question.choices.filter(correct=False).first()


def test_start_creates_numbered_attempt_with_layout(quiz, student):
    attempt = start_attempt(quiz=quiz, learner=student)
    assert attempt.number == 1
    assert not attempt.is_submitted
    assert attempt.layout["questions"] == list(
        quiz.questions.order_by("order").values_list("id", flat=True)
    )


def test_start_again_resumes_the_attempt_in_progress(quiz, student):
    first = start_attempt(quiz=quiz, learner=student)
    again = start_attempt(quiz=quiz, learner=student)
    assert again.pk == first.pk
    assert Attempt.objects.count() == 1


def test_start_after_submit_numbers_the_next_attempt(quiz, student):
    first = start_attempt(quiz=quiz, learner=student)
    submit_attempt(attempt=first)
    second = start_attempt(quiz=quiz, learner=student)
    assert second.number == 2


def test_start_refuses_unpublished_quiz(student):
    quiz = QuizFactory(published=False)
    with pytest.raises(QuizUnavailable):
        start_attempt(quiz=quiz, learner=student)
    assert not Attempt.objects.exists()


def test_start_refuses_after_max_attempts(student):
    quiz = QuizFactory(max_attempts=1)
    make_single_question(quiz)
    submit_attempt(attempt=start_attempt(quiz=quiz, learner=student))
    with pytest.raises(NoAttemptsLeft):
        start_attempt(quiz=quiz, learner=student)
    assert Attempt.objects.count() == 1


def test_save_answer_records_credit(quiz, student):
    single, _ = _questions(quiz)
    attempt = start_attempt(quiz=quiz, learner=student)
    response = save_answer(attempt=attempt, question=single, choice_ids=[_right(single).id])
    assert response.credit == 1
    response = save_answer(attempt=attempt, question=single, choice_ids=[_wrong(single).id])
    assert response.credit == 0
    assert Response.objects.filter(attempt=attempt).count() == 1
    assert list(response.selections.values_list("choice_id", flat=True)) == [_wrong(single).id]


def test_save_answer_refuses_choice_of_another_question(quiz, student):
    single, tf = _questions(quiz)
    attempt = start_attempt(quiz=quiz, learner=student)
    with pytest.raises(InvalidAnswer):
        save_answer(attempt=attempt, question=single, choice_ids=[_right(tf).id])
    assert not Response.objects.exists()


def test_save_answer_refuses_question_of_another_quiz(quiz, student):
    other = make_single_question(QuizFactory())
    attempt = start_attempt(quiz=quiz, learner=student)
    with pytest.raises(InvalidAnswer):
        save_answer(attempt=attempt, question=other, choice_ids=[_right(other).id])
    assert not Response.objects.exists()


def test_submit_scores_total_and_subscores(quiz, student):
    single, tf = _questions(quiz)
    attempt = start_attempt(quiz=quiz, learner=student)
    save_answer(attempt=attempt, question=single, choice_ids=[_wrong(single).id])
    save_answer(attempt=attempt, question=tf, choice_ids=[_right(tf).id])
    attempt = submit_attempt(attempt=attempt)
    assert attempt.is_submitted
    assert (attempt.score, attempt.max_score) == (2, 3)
    assert attempt.percent == pytest.approx(200 / 3)
    assert attempt.attribution_percent == 100
    assert attempt.subscores == {
        "attribution": {"points": 2, "max": 2},
        "recall": {"points": 0, "max": 1},
    }


def test_second_submit_changes_nothing(quiz, student):
    single, _ = _questions(quiz)
    attempt = start_attempt(quiz=quiz, learner=student)
    save_answer(attempt=attempt, question=single, choice_ids=[_right(single).id])
    first = submit_attempt(attempt=attempt)
    later = timezone.now() + timedelta(hours=1)
    second = submit_attempt(attempt=attempt, now=later)
    assert second.submitted_at == first.submitted_at
    assert second.score == first.score == 1


def test_answer_after_submit_is_refused(quiz, student):
    single, _ = _questions(quiz)
    attempt = start_attempt(quiz=quiz, learner=student)
    submit_attempt(attempt=attempt)
    with pytest.raises(AttemptClosed):
        save_answer(attempt=attempt, question=single, choice_ids=[_right(single).id])
    assert not Response.objects.exists()
