"""The student path in the browser, server-rendered: start, answer, resume, review,
submit, result; and what each persona may see."""

import re

import pytest
from django.urls import reverse

from quizzes.attempts import save_answer, start_attempt, submit_attempt
from quizzes.models import Attempt, Response

from tests.factories import QuizFactory, make_single_question

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
    single, tf = quiz.questions.order_by("order")
    attempt = _start(student_client, quiz)
    page = student_client.get(_question_url(attempt, 1))
    assert page.status_code == 200
    assert single.prompt in page.text

    right = single.choices.get(correct=True)
    response = student_client.post(_question_url(attempt, 1), {"choice": right.id, "go": "next"})
    assert response["Location"] == _question_url(attempt, 2)
    wrong = tf.choices.get(correct=False)
    response = student_client.post(_question_url(attempt, 2), {"choice": wrong.id, "go": "next"})
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


def test_question_page_carries_no_mark_of_the_key(student_client, quiz):
    attempt = _start(student_client, quiz)
    for n, question in enumerate(quiz.questions.order_by("order"), start=1):
        html = student_client.get(_question_url(attempt, n)).text
        assert "correct" not in html.lower()
        for choice in question.choices.all():
            assert choice.feedback not in html if choice.feedback else True
        # Choices are told apart only by their id; nothing else differs between them.
        inputs = re.findall(r"<input[^>]*name=\"choice\"[^>]*>", html)
        assert len(inputs) == question.choices.count()
        assert len({re.sub(r'(value|id)="[^"]*"', "", i) for i in inputs}) == 1


def test_explanation_is_not_shown_before_submit(student_client, quiz):
    single = quiz.questions.order_by("order").first()
    attempt = _start(student_client, quiz)
    student_client.post(_question_url(attempt, 1), {"choice": single.choices.get(correct=True).id})
    html = student_client.get(_question_url(attempt, 1)).text
    assert single.explanation not in html


def test_answer_survives_reload_and_new_login(client, student, quiz):
    client.force_login(student)
    single = quiz.questions.order_by("order").first()
    right = single.choices.get(correct=True)
    attempt = _start(client, quiz)
    client.post(_question_url(attempt, 1), {"choice": right.id, "go": "next"})
    client.logout()
    client.force_login(student)
    # Starting again resumes, and the resume link goes to the first unanswered question.
    response = client.post(reverse("quizzes:attempt_start", args=[quiz.pk]))
    assert response["Location"] == reverse("quizzes:attempt", args=[attempt.pk])
    assert client.get(response["Location"])["Location"] == _question_url(attempt, 2)
    html = client.get(_question_url(attempt, 1)).text
    assert re.search(rf'value="{right.id}"[^>]*checked', html)


def test_invalid_choice_is_a_400_and_changes_nothing(student_client, quiz):
    single, tf = quiz.questions.order_by("order")
    attempt = _start(student_client, quiz)
    response = student_client.post(_question_url(attempt, 1), {"choice": tf.choices.first().id})
    assert response.status_code == 400
    assert "not one of this question" in response.text
    response = student_client.post(_question_url(attempt, 1), {"choice": "not-a-number"})
    assert response.status_code == 400
    assert not Response.objects.exists()


def test_question_number_out_of_range_is_404(student_client, quiz):
    attempt = _start(student_client, quiz)
    assert student_client.get(_question_url(attempt, 3)).status_code == 404
    assert student_client.get(_question_url(attempt, 0)).status_code == 404


def test_skipping_leaves_the_question_unanswered(student_client, quiz):
    attempt = _start(student_client, quiz)
    response = student_client.post(_question_url(attempt, 1), {"go": "next"})
    assert response["Location"] == _question_url(attempt, 2)
    assert not Response.objects.exists()
    review = student_client.get(reverse("quizzes:review", args=[attempt.pk]))
    assert "2 questions not answered yet" in review.text


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
        client.post(_question_url(attempt, 1), {"choice": single.choices.first().id}).status_code
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


def _quiz_of(size):
    quiz = QuizFactory()
    for i in range(size):
        make_single_question(quiz, order=i)
    return quiz


@pytest.mark.parametrize("page", ["question", "review", "result", "start"])
def test_page_query_count_does_not_grow_with_questions(
    student, client, page, django_assert_num_queries
):
    client.force_login(student)
    counts = []
    for size in (3, 30):
        quiz = _quiz_of(size)
        attempt = start_attempt(quiz=quiz, learner=student)
        for q in quiz.questions.all():
            save_answer(attempt=attempt, question=q, choice_ids=[q.choices.first().id])
        if page == "result":
            submit_attempt(attempt=attempt)
        url = {
            "question": _question_url(attempt, 2),
            "review": reverse("quizzes:review", args=[attempt.pk]),
            "result": reverse("quizzes:result", args=[attempt.pk]),
            "start": reverse("quizzes:start", args=[quiz.pk]),
        }[page]
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
