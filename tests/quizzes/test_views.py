"""The student path through quizzes/views.py, server-rendered: start, resume, review,
submit, result; and what each persona may see."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes.attempts import (
    start_attempt,
    submit_attempt,
)
from quizzes.models import Attempt, Response
from tests.factories import (
    QuizFactory,
    make_single_question,
    posted,
)

pytestmark = pytest.mark.django_db


def _start(client, quiz):
    response = client.post(reverse("quizzes:attempt_start", args=[quiz.pk]))
    assert response.status_code == 302
    return Attempt.objects.get(quiz=quiz)


def _question_url(attempt, n):
    return reverse("quizzes:question", args=[attempt.pk, n])


def test_anonymous_is_sent_to_login(client, quiz):
    response = client.get(reverse("quizzes:start", args=[quiz.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    response = client.post(reverse("quizzes:attempt_start", args=[quiz.pk]))
    assert response.status_code == 302
    assert not Attempt.objects.exists()


def test_start_page_describes_the_quiz(student_client, quiz):
    response = student_client.get(reverse("quizzes:start", args=[quiz.pk]))
    assert response.status_code == 200
    assert "Warm-up" in response.text
    assert "Start the quiz" in response.text


def test_unpublished_quiz_is_404(student_client):
    quiz = QuizFactory(published=False)
    assert student_client.get(reverse("quizzes:start", args=[quiz.pk])).status_code == 404
    assert student_client.post(reverse("quizzes:attempt_start", args=[quiz.pk])).status_code == 404


def test_start_is_post_only(student_client, quiz):
    assert student_client.get(reverse("quizzes:attempt_start", args=[quiz.pk])).status_code == 405
    assert not Attempt.objects.exists()


def test_whole_path_start_answer_submit_result(student_client, quiz):
    # One attempt allowed: its review is the last, so it shows the key (Quiz.review_key).
    quiz.max_attempts = 1
    quiz.save()
    single, tf = quiz.questions.order_by("order")
    attempt = _start(student_client, quiz)
    page = student_client.get(_question_url(attempt, 1))
    assert page.status_code == 200
    assert single.prompt in page.text

    right = single.choices.get(correct=True)
    data = {"choice": posted(attempt, single, right), "go": "next"}
    response = student_client.post(_question_url(attempt, 1), data)
    assert response["Location"] == _question_url(attempt, 2)
    wrong = tf.choices.get(correct=False)
    data = {"choice": posted(attempt, tf, wrong), "go": "next"}
    response = student_client.post(_question_url(attempt, 2), data)
    assert response["Location"] == reverse("quizzes:review", args=[attempt.pk])

    review = student_client.get(reverse("quizzes:review", args=[attempt.pk]))
    assert "You have answered every question" in review.text

    response = student_client.post(reverse("quizzes:submit", args=[attempt.pk]))
    assert response["Location"] == reverse("quizzes:result", args=[attempt.pk])
    result = student_client.get(response["Location"])
    assert result.status_code == 200
    assert "1 of 3 points (33%)" in result.text
    assert "Attribution</span>: 0 of 2" in result.text
    assert "Recall</span>: 1 of 1" in result.text
    # The key, the chosen choice's feedback and the explanation are shown.
    assert re.search(r"<dt>Right answer</dt><dd>True</dd>", result.text)
    assert "Feedback on False: False." in result.text
    assert "Feedback on True" not in result.text
    assert single.explanation in result.text


def test_other_student_gets_404_on_every_attempt_page(client, student, other_student, quiz):
    attempt = start_attempt(quiz=quiz, learner=student)
    single = quiz.questions.order_by("order").first()
    client.force_login(other_student)
    for url in [
        reverse("quizzes:attempt", args=[attempt.pk]),
        _question_url(attempt, 1),
        reverse("quizzes:review", args=[attempt.pk]),
        reverse("quizzes:result", args=[attempt.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    assert (
        client.post(
            _question_url(attempt, 1), {"choice": posted(attempt, single, single.choices.first())}
        ).status_code
        == 404
    )
    assert client.post(reverse("quizzes:submit", args=[attempt.pk])).status_code == 404
    attempt.refresh_from_db()
    assert not attempt.is_submitted
    assert not Response.objects.exists()


def test_teacher_cannot_open_a_student_attempt_on_the_student_pages(client, teacher, student, quiz):
    attempt = start_attempt(quiz=quiz, learner=student)
    client.force_login(teacher)
    assert client.get(_question_url(attempt, 1)).status_code == 404


def test_result_of_attempt_in_progress_redirects_to_the_attempt(student_client, quiz):
    attempt = _start(student_client, quiz)
    response = student_client.get(reverse("quizzes:result", args=[attempt.pk]))
    assert response["Location"] == reverse("quizzes:attempt", args=[attempt.pk])


def test_questions_of_submitted_attempt_redirect_to_result(student_client, quiz):
    attempt = _start(student_client, quiz)
    student_client.post(reverse("quizzes:submit", args=[attempt.pk]))
    response = student_client.post(_question_url(attempt, 1), {"choice": 1})
    assert response["Location"] == reverse("quizzes:result", args=[attempt.pk])


def _quiz(n=3, **kwargs):
    quiz = QuizFactory(**kwargs)
    for i in range(n):
        make_single_question(quiz, order=i, prompt=f"Question {i}?")
    return quiz


def test_max_attempts_is_enforced_in_the_view_with_a_message(student_client, student):
    quiz = _quiz(max_attempts=2)
    for _ in range(2):
        submit_attempt(attempt=start_attempt(quiz=quiz, learner=student))
    response = student_client.post(reverse("quizzes:attempt_start", args=[quiz.pk]), follow=True)
    assert "You have used all 2 attempts" in response.text
    assert Attempt.objects.count() == 2
    page = student_client.get(reverse("quizzes:start", args=[quiz.pk]))
    assert "You have used all your attempts" in page.text


def test_overdue_attempt_is_submitted_when_its_pages_are_opened(student_client, student):
    quiz = _quiz(time_limit_minutes=10)
    attempt = start_attempt(quiz=quiz, learner=student)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(seconds=1))
    response = student_client.get(reverse("quizzes:question", args=[attempt.pk, 1]))
    assert response["Location"] == reverse("quizzes:result", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.is_submitted


def test_closed_quiz_start_page_says_so(student_client):
    now = timezone.now()
    quiz = _quiz(opens_at=now - timedelta(days=2), closes_at=now - timedelta(days=1))
    page = student_client.get(reverse("quizzes:start", args=[quiz.pk]))
    assert "This quiz is not open now." in page.text
    assert "Start the quiz" not in page.text
