"""quizzes/attempts.py: start, answer, resume, submit, and the quiz's rules the service
enforces (attempt limit, time limit, availability window, publication, shuffling)."""

import random
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
from quizzes.models import Attempt, Question, Response
from tests.factories import (
    ChoiceFactory,
    LessonFactory,
    QuestionFactory,
    QuizFactory,
    SourceFactory,
    make_single_question,
)

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
    with pytest.raises(QuizUnavailable) as refused:
        start_attempt(quiz=quiz, learner=student)
    assert refused.value.code == "unpublished"
    assert not Attempt.objects.exists()


def test_start_refuses_after_max_attempts(student):
    quiz = QuizFactory(max_attempts=1)
    make_single_question(quiz)
    submit_attempt(attempt=start_attempt(quiz=quiz, learner=student))
    with pytest.raises(NoAttemptsLeft) as refused:
        start_attempt(quiz=quiz, learner=student)
    assert refused.value.code == "no_attempts_left"
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
    with pytest.raises(InvalidAnswer) as refused:
        save_answer(attempt=attempt, question=single, choice_ids=[_right(tf).id])
    assert refused.value.code == "foreign_choice"
    assert not Response.objects.exists()


def test_save_answer_refuses_question_of_another_quiz(quiz, student):
    other = make_single_question(QuizFactory())
    attempt = start_attempt(quiz=quiz, learner=student)
    with pytest.raises(InvalidAnswer) as refused:
        save_answer(attempt=attempt, question=other, choice_ids=[_right(other).id])
    assert refused.value.code == "foreign_question"
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
    with pytest.raises(AttemptClosed) as refused:
        save_answer(attempt=attempt, question=single, choice_ids=[_right(single).id])
    assert refused.value.code == "submitted"
    assert not Response.objects.exists()


def _quiz(n=3, **kwargs):
    quiz = QuizFactory(**kwargs)
    for i in range(n):
        make_single_question(quiz, order=i, prompt=f"Question {i}?")
    return quiz


def _right(question):
    return question.choices.get(correct=True)


def _matching_quiz():
    lesson = LessonFactory()
    cuba = SourceFactory(lesson=lesson, name="Havana", side="Cuba")
    washington = SourceFactory(lesson=lesson, name="Washington", side="United States")
    stranger = SourceFactory(lesson=lesson, name="Not offered", side="Cuba")
    quiz = QuizFactory(lesson=lesson)
    question = QuestionFactory(
        quiz=quiz, kind=Question.Kind.MATCHING, skill=Question.Skill.ATTRIBUTION
    )
    a = ChoiceFactory(question=question, text="32 were killed", correct=True, source=cuba)
    b = ChoiceFactory(question=question, text="law enforcement", correct=True, source=washington)
    return quiz, question, (a, b), (cuba, washington, stranger)


def test_unlimited_attempts_by_default(student):
    quiz = _quiz()
    for n in range(1, 5):
        attempt = start_attempt(quiz=quiz, learner=student)
        assert attempt.number == n
        submit_attempt(attempt=attempt)


def test_max_attempts_counts_per_learner(student, other_student):
    quiz = _quiz(max_attempts=1)
    submit_attempt(attempt=start_attempt(quiz=quiz, learner=student))
    assert start_attempt(quiz=quiz, learner=other_student).number == 1
    with pytest.raises(NoAttemptsLeft):
        start_attempt(quiz=quiz, learner=student)


def test_time_limit_sets_the_deadline(student):
    quiz = _quiz(time_limit_minutes=20)
    now = timezone.now()
    attempt = start_attempt(quiz=quiz, learner=student, now=now)
    assert attempt.deadline == now + timedelta(minutes=20)


def test_untimed_quiz_has_no_deadline(student):
    assert start_attempt(quiz=_quiz(), learner=student).deadline is None


def test_deadline_never_runs_past_the_closing_time(student):
    now = timezone.now()
    quiz = _quiz(time_limit_minutes=60, closes_at=now + timedelta(minutes=10))
    attempt = start_attempt(quiz=quiz, learner=student, now=now)
    assert attempt.deadline == quiz.closes_at


def test_answer_after_the_deadline_is_refused_and_the_attempt_submitted_as_it_stands(student):
    quiz = _quiz(time_limit_minutes=10)
    first, second, _ = quiz.questions.order_by("order")
    start = timezone.now()
    attempt = start_attempt(quiz=quiz, learner=student, now=start)
    save_answer(
        attempt=attempt,
        question=first,
        choice_ids=[_right(first).id],
        now=start + timedelta(minutes=5),
    )
    with pytest.raises(AttemptClosed) as refused:
        save_answer(
            attempt=attempt,
            question=second,
            choice_ids=[_right(second).id],
            now=start + timedelta(minutes=11),
        )
    assert refused.value.code == "time_up"
    attempt.refresh_from_db()
    assert attempt.is_submitted
    assert attempt.submitted_at == attempt.deadline
    assert attempt.score == 1
    assert not Response.objects.filter(question=second).exists()


def test_starting_again_after_the_deadline_submits_the_old_attempt_and_starts_a_new_one(student):
    quiz = _quiz(time_limit_minutes=10)
    start = timezone.now()
    old = start_attempt(quiz=quiz, learner=student, now=start)
    new = start_attempt(quiz=quiz, learner=student, now=start + timedelta(minutes=11))
    old.refresh_from_db()
    assert old.is_submitted and new.number == 2


def test_overdue_attempt_stays_submitted_even_when_no_new_attempt_is_allowed(student):
    quiz = _quiz(time_limit_minutes=10, max_attempts=1)
    start = timezone.now()
    old = start_attempt(quiz=quiz, learner=student, now=start)
    with pytest.raises(NoAttemptsLeft) as refused:
        start_attempt(quiz=quiz, learner=student, now=start + timedelta(minutes=11))
    assert refused.value.code == "no_attempts_left"
    old.refresh_from_db()
    assert old.is_submitted


def test_quiz_not_yet_open_is_refused(student):
    quiz = _quiz(opens_at=timezone.now() + timedelta(days=1))
    with pytest.raises(QuizUnavailable) as refused:
        start_attempt(quiz=quiz, learner=student)
    assert refused.value.code == "not_open"


def test_closed_quiz_is_refused(student):
    now = timezone.now()
    quiz = _quiz(opens_at=now - timedelta(days=2), closes_at=now - timedelta(days=1))
    with pytest.raises(QuizUnavailable) as refused:
        start_attempt(quiz=quiz, learner=student)
    assert refused.value.code == "quiz_closed"
    assert not Attempt.objects.exists()


def test_quiz_of_unpublished_lesson_is_refused(student):
    quiz = _quiz(lesson=LessonFactory(published=False))
    with pytest.raises(QuizUnavailable) as refused:
        start_attempt(quiz=quiz, learner=student)
    assert refused.value.code == "unpublished"


def test_unshuffled_quiz_keeps_the_authored_order(student):
    quiz = _quiz(n=5)
    attempt = start_attempt(quiz=quiz, learner=student, rng=random.Random(4))
    assert attempt.layout["questions"] == list(
        quiz.questions.order_by("order").values_list("id", flat=True)
    )


def test_true_false_is_never_shuffled(student):
    quiz = QuizFactory(shuffle_choices=True)
    question = QuestionFactory(quiz=quiz, kind=Question.Kind.TRUE_FALSE)
    t = ChoiceFactory(question=question, text="True", correct=True, order=1)
    f = ChoiceFactory(question=question, text="False", order=2)
    for seed in range(5):
        attempt = start_attempt(quiz=quiz, learner=student, rng=random.Random(seed))
        assert attempt.layout["choices"][str(question.pk)] == [t.pk, f.pk]
        submit_attempt(attempt=attempt)


def test_matching_answer_naming_a_source_not_offered_is_refused(student):
    quiz, question, (a, b), (cuba, washington, stranger) = _matching_quiz()
    attempt = start_attempt(quiz=quiz, learner=student)
    with pytest.raises(InvalidAnswer) as refused:
        save_answer(attempt=attempt, question=question, matches={a.id: stranger.id})
    assert refused.value.code == "foreign_match"
    save_answer(attempt=attempt, question=question, matches={a.id: cuba.id, b.id: cuba.id})
    assert Response.objects.get().credit == pytest.approx(0.5)


def test_single_choice_with_two_picks_is_refused(student):
    quiz = _quiz(n=1)
    question = quiz.questions.get()
    attempt = start_attempt(quiz=quiz, learner=student)
    with pytest.raises(InvalidAnswer) as refused:
        save_answer(
            attempt=attempt, question=question, choice_ids=[c.id for c in question.choices.all()]
        )
    assert refused.value.code == "one_answer"
    assert not Response.objects.exists()


def test_question_added_after_the_start_is_not_part_of_the_attempt(student):
    quiz = _quiz(n=1)
    attempt = start_attempt(quiz=quiz, learner=student)
    late = make_single_question(quiz, order=9)
    with pytest.raises(InvalidAnswer) as refused:
        save_answer(attempt=attempt, question=late, choice_ids=[_right(late).id])
    assert refused.value.code == "foreign_question"
    attempt = submit_attempt(attempt=attempt)
    assert attempt.max_score == 1
