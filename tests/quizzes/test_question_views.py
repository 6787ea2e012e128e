"""Quiz rules, enforced on the server: attempts, time limit, availability window,
publication, shuffling fixed per attempt, feedback timing, and bad answers."""

import random
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes.attempts import (
    AnswerLocked,
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


def _quiz(n=3, **kwargs):
    quiz = QuizFactory(**kwargs)
    for i in range(n):
        make_single_question(quiz, order=i, prompt=f"Question {i}?")
    return quiz


def _right(question):
    return question.choices.get(correct=True)


# --- attempts -------------------------------------------------------------------------


def test_unlimited_attempts_by_default(student):
    quiz = _quiz()
    for n in range(1, 5):
        attempt = start_attempt(quiz=quiz, learner=student)
        assert attempt.number == n
        submit_attempt(attempt=attempt)


def test_max_attempts_is_enforced_in_the_view_with_a_message(student_client, student):
    quiz = _quiz(max_attempts=2)
    for _ in range(2):
        submit_attempt(attempt=start_attempt(quiz=quiz, learner=student))
    response = student_client.post(reverse("quizzes:attempt_start", args=[quiz.pk]), follow=True)
    assert "You have used all 2 attempts" in response.text
    assert Attempt.objects.count() == 2
    page = student_client.get(reverse("quizzes:start", args=[quiz.pk]))
    assert "You have used all your attempts" in page.text


def test_max_attempts_counts_per_learner(student, other_student):
    quiz = _quiz(max_attempts=1)
    submit_attempt(attempt=start_attempt(quiz=quiz, learner=student))
    assert start_attempt(quiz=quiz, learner=other_student).number == 1
    with pytest.raises(NoAttemptsLeft):
        start_attempt(quiz=quiz, learner=student)


# --- time limit -----------------------------------------------------------------------


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
    with pytest.raises(AttemptClosed, match="Time is up"):
        save_answer(
            attempt=attempt,
            question=second,
            choice_ids=[_right(second).id],
            now=start + timedelta(minutes=11),
        )
    attempt.refresh_from_db()
    assert attempt.is_submitted
    assert attempt.submitted_at == attempt.deadline
    assert attempt.score == 1
    assert not Response.objects.filter(question=second).exists()


def test_overdue_attempt_is_submitted_when_its_pages_are_opened(student_client, student):
    quiz = _quiz(time_limit_minutes=10)
    attempt = start_attempt(quiz=quiz, learner=student)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(seconds=1))
    response = student_client.get(reverse("quizzes:question", args=[attempt.pk, 1]))
    assert response["Location"] == reverse("quizzes:result", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.is_submitted


def test_late_post_from_the_question_page_is_refused(student_client, student):
    quiz = _quiz(time_limit_minutes=10)
    attempt = start_attempt(quiz=quiz, learner=student)
    question = quiz.questions.order_by("order").first()
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(seconds=1))
    response = student_client.post(
        reverse("quizzes:question", args=[attempt.pk, 1]),
        {"choice": _right(question).id},
        follow=True,
    )
    assert not Response.objects.exists()
    assert response.redirect_chain[-1][0] == reverse("quizzes:result", args=[attempt.pk])


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
    with pytest.raises(NoAttemptsLeft):
        start_attempt(quiz=quiz, learner=student, now=start + timedelta(minutes=11))
    old.refresh_from_db()
    assert old.is_submitted


# --- availability and publication -----------------------------------------------------


def test_quiz_not_yet_open_is_refused(student):
    quiz = _quiz(opens_at=timezone.now() + timedelta(days=1))
    with pytest.raises(QuizUnavailable, match="not open yet"):
        start_attempt(quiz=quiz, learner=student)


def test_closed_quiz_is_refused(student):
    now = timezone.now()
    quiz = _quiz(opens_at=now - timedelta(days=2), closes_at=now - timedelta(days=1))
    with pytest.raises(QuizUnavailable, match="closed"):
        start_attempt(quiz=quiz, learner=student)
    assert not Attempt.objects.exists()


def test_quiz_of_unpublished_lesson_is_refused(student):
    quiz = _quiz(lesson=LessonFactory(published=False))
    with pytest.raises(QuizUnavailable):
        start_attempt(quiz=quiz, learner=student)


def test_closed_quiz_start_page_says_so(student_client):
    now = timezone.now()
    quiz = _quiz(opens_at=now - timedelta(days=2), closes_at=now - timedelta(days=1))
    page = student_client.get(reverse("quizzes:start", args=[quiz.pk]))
    assert "This quiz is not open now." in page.text
    assert "Start the quiz" not in page.text


# --- shuffling ------------------------------------------------------------------------


def test_shuffled_order_is_fixed_per_attempt(student_client, student):
    quiz = _quiz(n=12, shuffle_questions=True, shuffle_choices=True)
    attempt = start_attempt(quiz=quiz, learner=student, rng=random.Random(4))
    natural = list(quiz.questions.order_by("order").values_list("id", flat=True))
    assert sorted(attempt.layout["questions"]) == sorted(natural)
    assert attempt.layout["questions"] != natural
    first = Question.objects.get(pk=attempt.layout["questions"][0])
    pages = [
        student_client.get(reverse("quizzes:question", args=[attempt.pk, 1])).text for _ in range(2)
    ]
    # The same page on reload, but for the CSRF token's per-response mask.
    assert [re.sub(r'value="[A-Za-z0-9]{64}"', "", p) for p in pages[:1]] == [
        re.sub(r'value="[A-Za-z0-9]{64}"', "", p) for p in pages[1:]
    ]
    assert first.prompt in pages[0]
    order = [pages[0].index(f'value="{cid}"') for cid in attempt.layout["choices"][str(first.pk)]]
    assert order == sorted(order)


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


# --- feedback timing ------------------------------------------------------------------


def test_after_submit_feedback_shows_nothing_before_submission(student_client, student):
    quiz = _quiz(n=1)
    question = quiz.questions.get()
    attempt = start_attempt(quiz=quiz, learner=student)
    student_client.post(
        reverse("quizzes:question", args=[attempt.pk, 1]), {"choice": _right(question).id}
    )
    html = student_client.get(reverse("quizzes:question", args=[attempt.pk, 1])).text
    assert "Right: Havana confirmed 32." not in html
    assert "full credit" not in html


def test_immediate_feedback_shows_the_outcome_and_fixes_the_answer(student_client, student):
    quiz = _quiz(n=2, feedback="immediate")
    question = quiz.questions.order_by("order").first()
    wrong = question.choices.filter(correct=False).first()
    attempt = start_attempt(quiz=quiz, learner=student)
    url = reverse("quizzes:question", args=[attempt.pk, 1])
    response = student_client.post(url, {"choice": wrong.id, "go": "next"})
    assert response["Location"] == url  # stays to show the feedback
    html = student_client.get(url).text
    assert "Wrong." in html and "Not the figure Havana gave." in html
    assert question.explanation in html
    # Changing the answer afterwards is not possible.
    student_client.post(url, {"choice": _right(question).id, "go": "next"})
    assert Response.objects.get().credit == 0
    with pytest.raises(AnswerLocked):
        save_answer(attempt=attempt, question=question, choice_ids=[_right(question).id])


def test_immediate_feedback_hides_unanswered_questions_keys(student_client, student):
    quiz = _quiz(n=2, feedback="immediate")
    attempt = start_attempt(quiz=quiz, learner=student)
    html = student_client.get(reverse("quizzes:question", args=[attempt.pk, 2])).text
    assert "Right: Havana confirmed 32." not in html
    assert "Because the article says so." not in html


# --- bad answers ----------------------------------------------------------------------


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


def test_matching_answer_naming_a_source_not_offered_is_refused(student):
    quiz, question, (a, b), (cuba, washington, stranger) = _matching_quiz()
    attempt = start_attempt(quiz=quiz, learner=student)
    with pytest.raises(InvalidAnswer):
        save_answer(attempt=attempt, question=question, matches={a.id: stranger.id})
    save_answer(attempt=attempt, question=question, matches={a.id: cuba.id, b.id: cuba.id})
    assert Response.objects.get().credit == pytest.approx(0.5)


def test_matching_through_the_view(student_client, student):
    quiz, question, (a, b), (cuba, washington, stranger) = _matching_quiz()
    attempt = start_attempt(quiz=quiz, learner=student)
    url = reverse("quizzes:question", args=[attempt.pk, 1])
    html = student_client.get(url).text
    assert "Not offered" not in html and "Washington" in html
    bad = student_client.post(url, {f"match-{a.id}": stranger.id})
    assert bad.status_code == 400
    assert not Response.objects.exists()
    student_client.post(url, {f"match-{a.id}": cuba.id, f"match-{b.id}": washington.id})
    assert Response.objects.get().credit == 1


def test_multiple_choice_through_the_view(student_client, student):
    quiz = QuizFactory()
    question = QuestionFactory(quiz=quiz, kind=Question.Kind.MULTIPLE)
    right = [ChoiceFactory(question=question, correct=True) for _ in range(2)]
    wrong = ChoiceFactory(question=question)
    attempt = start_attempt(quiz=quiz, learner=student)
    url = reverse("quizzes:question", args=[attempt.pk, 1])
    html = student_client.get(url).text
    assert html.count('type="checkbox"') == 3
    student_client.post(url, {"choice": [right[0].id, wrong.id]})
    assert Response.objects.get().credit == 0
    student_client.post(url, {"choice": [right[0].id]})
    assert Response.objects.get().credit == 0.5


def test_single_choice_with_two_picks_is_refused(student):
    quiz = _quiz(n=1)
    question = quiz.questions.get()
    attempt = start_attempt(quiz=quiz, learner=student)
    with pytest.raises(InvalidAnswer):
        save_answer(
            attempt=attempt, question=question, choice_ids=[c.id for c in question.choices.all()]
        )
    assert not Response.objects.exists()


def test_question_added_after_the_start_is_not_part_of_the_attempt(student):
    quiz = _quiz(n=1)
    attempt = start_attempt(quiz=quiz, learner=student)
    late = make_single_question(quiz, order=9)
    with pytest.raises(InvalidAnswer):
        save_answer(attempt=attempt, question=late, choice_ids=[_right(late).id])
    attempt = submit_attempt(attempt=attempt)
    assert attempt.max_score == 1
