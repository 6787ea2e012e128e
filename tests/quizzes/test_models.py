"""Database constraints hold even when code forgets to check."""

import pytest
from django.db import IntegrityError, transaction

from quizzes.models import Attempt
from tests.factories import AttemptFactory, ResponseFactory

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
