"""Query budgets of the student path: each page runs a fixed number of queries, the same
for a 10-question and a 200-question quiz (and however many answers are stored).

Inside a test each transaction is a savepoint, so SAVEPOINT/RELEASE stand where
production has BEGIN/COMMIT (which Django does not log as queries)."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quizzes.attempts import (
    save_answer,
    start_attempt,
    submit_attempt,
)
from tests.factories import (
    ClaimFactory,
    QuizFactory,
    SectionFactory,
    make_single_question,
    posted,
)
from tests.scenarios import build_article_quiz

pytestmark = pytest.mark.django_db

SIZES = [10, 200]


@pytest.fixture(params=SIZES, ids=lambda n: f"{n}-questions")
def big_quiz(request):
    quiz = QuizFactory()
    for order in range(request.param):
        make_single_question(
            quiz, order=order, prompt=f"Question {order}?", wrong=("12", "50", "7")
        )
    for _ in range(request.param // 10):
        ClaimFactory(section=SectionFactory(lesson=quiz.lesson))
    return quiz


@pytest.fixture
def half_answered(big_quiz, student):
    """An attempt in progress with every other question answered."""
    attempt = start_attempt(quiz=big_quiz, learner=student)
    for question_id in attempt.layout["questions"][::2]:
        question = big_quiz.questions.get(pk=question_id)
        first = attempt.layout["choices"][str(question_id)][0]
        save_answer(attempt=attempt, question=question, choice_ids=[first])
    return attempt


def without_csrf(response) -> str:
    """The page without its CSRF tokens (masked anew in every response)."""
    return CSRF.sub("", response.content.decode())


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def question_url(attempt, number):
    return reverse("quizzes:question", args=[attempt.pk, number])


def some_choice(attempt, number):
    """The first choice the page shows, as it posts it: position 1."""
    return "1"


@pytest.mark.parametrize("number", [1, 2], ids=["answered", "unanswered"])
def test_question_page(student_client, half_answered, number, django_assert_num_queries):
    # Its question not yet cached (quizzes/cache.py): 1 session, 2 user, 3 attempt with
    # its quiz (and the lesson's content version), 4 the question, 5 its choices,
    # 6 the learner's answers so far (this question's picks and the progress count):
    # the same six, answered or not
    with django_assert_num_queries(6):
        response = student_client.get(question_url(half_answered, number))
    assert response.status_code == 200
    assert response.context["answered"] == len(half_answered.layout["questions"]) // 2
    expected = {"choice": str(some_choice(half_answered, 1))} if number == 1 else {}
    assert response.context["form"].initial == expected
    # Cached by the content version: 1 session, 2 user, 3 attempt, 4 the answers so far
    with django_assert_num_queries(4):
        again = student_client.get(question_url(half_answered, number))
    assert without_csrf(again) == without_csrf(response)


def _page_seen(client, attempt, number):
    """The learner opened the question before answering it: its question is cached."""
    assert client.get(question_url(attempt, number)).status_code == 200


def test_answer_save_first_answer(student_client, half_answered, django_assert_num_queries):
    _page_seen(student_client, half_answered, 2)
    # 1 session, 2 user, 3 attempt (the question and its choices come from the cache),
    # 4 SAVEPOINT, 5 the attempt again, locked (FOR UPDATE on PostgreSQL),
    # 6 the earlier response with its picks (none), 7 INSERT response,
    # 8 INSERT selection, 9 RELEASE
    with django_assert_num_queries(9):
        response = student_client.post(
            question_url(half_answered, 2), {"choice": some_choice(half_answered, 2), "go": "next"}
        )
    assert response.status_code == 302
    assert half_answered.responses.count() == len(half_answered.layout["questions"]) // 2 + 1


def test_answer_save_changed_answer(student_client, half_answered, django_assert_num_queries):
    _page_seen(student_client, half_answered, 1)
    # 1 session, 2 user, 3 attempt, 4 SAVEPOINT, 5 the attempt, locked, 6 the earlier
    # response with its picks, 7 UPDATE response, 8 DELETE its selections,
    # 9 INSERT selection, 10 RELEASE
    with django_assert_num_queries(10):
        response = student_client.post(
            question_url(half_answered, 1), {"choice": "2", "go": "next"}
        )
    assert response.status_code == 302
    question_id = half_answered.layout["questions"][0]
    second = half_answered.layout["choices"][str(question_id)][1]
    assert half_answered.answers_so_far()[question_id] == [(second, None)]


def test_answer_save_same_answer_writes_nothing(
    student_client, half_answered, django_assert_num_queries
):
    _page_seen(student_client, half_answered, 1)
    question_id = half_answered.layout["questions"][0]
    before = half_answered.responses.get(question_id=question_id)
    # Posted again as stored (a reload, a post without the script's hint):
    # 1 session, 2 user, 3 attempt, 4 SAVEPOINT, 5 the attempt, locked,
    # 6 the earlier response with its picks: the same, so no write, 7 RELEASE
    with django_assert_num_queries(7):
        response = student_client.post(
            question_url(half_answered, 1), {"choice": "1", "go": "next"}
        )
    assert response.status_code == 302
    after = half_answered.responses.get(question_id=question_id)
    assert (after.pk, after.answered_at, after.credit) == (
        before.pk,
        before.answered_at,
        before.credit,
    )


def test_answer_save_after_autosave_takes_no_lock(
    student_client, half_answered, django_assert_num_queries
):
    """The page's script saved the answer; the form's post says so ("autosaved"): the
    server checks the stored answer without a transaction and writes nothing."""
    _page_seen(student_client, half_answered, 1)
    question_id = half_answered.layout["questions"][0]
    before = half_answered.responses.get(question_id=question_id)
    # 1 session, 2 user, 3 attempt, 4 the stored response with its picks: the same
    with django_assert_num_queries(4):
        response = student_client.post(
            question_url(half_answered, 1), {"choice": "1", "go": "next", "autosaved": "1"}
        )
    assert response.status_code == 302
    assert response["Location"] == question_url(half_answered, 2)
    after = half_answered.responses.get(question_id=question_id)
    assert (after.pk, after.answered_at) == (before.pk, before.answered_at)


def test_autosaved_hint_is_checked_not_trusted(
    student_client, half_answered, django_assert_num_queries
):
    """A hint that does not match what is stored (another tab changed it, a stale page)
    costs one read, then the answer is saved as usual."""
    _page_seen(student_client, half_answered, 1)
    # 1 session, 2 user, 3 attempt, 4 the stored response (different), then the save:
    # 5 SAVEPOINT, 6 lock, 7 the response again, 8 UPDATE, 9 DELETE, 10 INSERT, 11 RELEASE
    with django_assert_num_queries(11):
        response = student_client.post(
            question_url(half_answered, 1), {"choice": "2", "go": "next", "autosaved": "1"}
        )
    assert response.status_code == 302
    question_id = half_answered.layout["questions"][0]
    second = half_answered.layout["choices"][str(question_id)][1]
    assert half_answered.answers_so_far()[question_id] == [(second, None)]


def test_submit(student_client, half_answered, django_assert_num_queries):
    # 1 session, 2 user, 3 attempt, 4 SAVEPOINT, 5 the attempt, locked,
    # 6 the responses' credits, 7 the questions' skills and points, 8 UPDATE attempt,
    # 9 RELEASE
    with django_assert_num_queries(9):
        response = student_client.post(reverse("quizzes:submit", args=[half_answered.pk]))
    assert response.status_code == 302
    half_answered.refresh_from_db()
    assert half_answered.is_submitted


def test_result_page(student_client, half_answered, django_assert_num_queries):
    submit_attempt(attempt=half_answered)
    url = reverse("quizzes:result", args=[half_answered.pk])
    # Not yet rendered: 1 session, 2 user, 3 attempt, 4 the learner's attempt history,
    # 5 its grade changes (`changes_shown`), 6 questions, 7 their choices with sources,
    # 8 responses, 9 their selections (a matching answer adds one for its sources)
    with django_assert_num_queries(9):
        response = student_client.get(url)
    assert response.status_code == 200
    assert response.context["questions"].total == len(half_answered.layout["questions"])
    # Rendered once (quizzes/cache.py): 1 session, 2 user, 3 attempt, 4 history,
    # 5 grade changes
    with django_assert_num_queries(5):
        again = student_client.get(url)
    assert without_csrf(again) == without_csrf(response)


def test_lesson_page(student_client, big_quiz, django_assert_num_queries):
    url = reverse("lessons:detail", args=[big_quiz.lesson.slug])
    cache.clear()
    # The reading not yet rendered for this version of the lesson (lessons/reading.py):
    # 1 session, 2 user, 3 lesson, 4 its sources (the voices, grouped by side),
    # 5 sections, 6 claims with sources, 7 quizzes
    with django_assert_num_queries(7):
        response = student_client.get(url)
    assert response.status_code == 200
    # Rendered and cached: 1 session, 2 user, 3 lesson (with its content version),
    # 4 quizzes. Sources, sections and claims are not read.
    with django_assert_num_queries(4):
        again = student_client.get(url)
    assert again.status_code == 200 and again.context["reading"].sections in response.text


FETCH = {"HTTP_X_REQUESTED_WITH": "fetch", "HTTP_ACCEPT": "application/json"}


def _q(attempt, n):
    return reverse("quizzes:question", args=[attempt.pk, n])


def test_autosave_query_count_does_not_grow_with_questions(client, student):
    client.force_login(student)
    small = build_article_quiz()
    large = build_article_quiz(lesson=small.lesson, title="Large")
    template = large.questions.get(order=1)
    for extra in range(30):
        template.pk, template.key, template.order = None, f"copy-{extra}", 10 + extra
        template.save()
    counts = []
    for quiz in (small, large):
        attempt = start_attempt(quiz=quiz, learner=student)
        question = quiz.questions.get(pk=attempt.layout["questions"][0])
        choice = question.choices.first()
        with CaptureQueriesContext(connection) as ctx:
            reply = client.post(
                _q(attempt, 1), {"choice": posted(attempt, question, choice)}, **FETCH
            )
            assert reply.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert large.questions.count() == 36
    assert counts[0] == counts[1], counts


def test_review_page(student_client, half_answered, django_assert_num_queries):
    # 1 session, 2 user, 3 attempt with quiz and lesson, 4 the questions' prompts,
    # 5 the answered questions
    with django_assert_num_queries(5):
        response = student_client.get(reverse("quizzes:review", args=[half_answered.pk]))
    assert response.status_code == 200
    assert len(response.context["items"]) == len(half_answered.layout["questions"])


def test_start_page(student_client, half_answered, django_assert_num_queries):
    # 1 session, 2 user, 3 the quiz with its lesson, 4 the learner's attempts,
    # 5 the question count, 6 the gate (assignments with the learner's dates and
    # accommodation: asked even of a quiz open to all, for the extra time and attempts)
    with django_assert_num_queries(6):
        response = student_client.get(reverse("quizzes:start", args=[half_answered.quiz_id]))
    assert response.status_code == 200
    assert response.context["current"] == half_answered
