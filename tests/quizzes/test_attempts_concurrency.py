"""Races between requests of one learner, with real threads against PostgreSQL.

Each thread has its own database connection (Django opens one per thread) and closes it
when done. A threading.Barrier releases the threads together so that the requests really
overlap; every race is run several times. SQLite serialises writers for the whole file,
so the row locks these tests prove are PostgreSQL's: the module is skipped elsewhere."""

import threading
from functools import partial
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from quizzes import attempts as attempts_module
from quizzes.attempts import AttemptClosed, save_answer, start_attempt, submit_attempt
from quizzes.models import Attempt, Response
from tests.factories import QuizFactory, UserFactory, make_single_question

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row-lock races need PostgreSQL: set DATABASE_URL=postgres://... "
        "(SQLite serialises every writer on the whole database file: no row-level race to test)",
    ),
]

ROUNDS = 5


def race(*calls):
    """Run each call in its own thread, all released at once; return what each returned
    or raised, in order."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait(timeout=10)
            outcomes[i] = call()
        except BaseException as e:  # noqa: BLE001 - the test inspects what was raised
            outcomes[i] = e
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not any(t.is_alive() for t in threads), "a thread is stuck (deadlock?)"
    return outcomes


def make_quiz(questions=6):
    quiz = QuizFactory()
    for order in range(questions):
        make_single_question(quiz, order=order, prompt=f"Question {order}?", points=order + 1)
    return quiz


def logged_in_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def stored_score_matches_responses(attempt: Attempt) -> bool:
    responses = Response.objects.filter(attempt=attempt).select_related("question")
    return attempt.score == pytest.approx(sum(r.credit * r.question.points for r in responses))


def test_two_simultaneous_starts_make_one_attempt():
    quiz = make_quiz()
    for round_ in range(ROUNDS):
        learner = UserFactory(username=f"starter-{round_}")
        clients = [logged_in_client(learner), logged_in_client(learner)]
        url = reverse("quizzes:attempt_start", args=[quiz.pk])

        outcomes = race(*(partial(c.post, url) for c in clients))

        assert [o.status_code for o in outcomes] == [302, 302], outcomes
        attempt = Attempt.objects.get(quiz=quiz, learner=learner)  # exactly one
        assert attempt.number == 1
        expected = reverse("quizzes:attempt", args=[attempt.pk])
        assert [o["Location"] for o in outcomes] == [expected, expected]


def test_simultaneous_starts_through_the_function_resume_one_attempt():
    quiz = make_quiz()
    for round_ in range(ROUNDS):
        learner = UserFactory(username=f"fn-starter-{round_}")
        outcomes = race(*[partial(start_attempt, quiz=quiz, learner=learner)] * 4)
        assert all(isinstance(o, Attempt) for o in outcomes), outcomes
        assert {o.pk for o in outcomes} == {Attempt.objects.get(quiz=quiz, learner=learner).pk}


def test_two_simultaneous_submits_make_one_submission_and_one_score():
    quiz = make_quiz()
    for round_ in range(ROUNDS):
        learner = UserFactory(username=f"submitter-{round_}")
        attempt = start_attempt(quiz=quiz, learner=learner)
        first, second = quiz.questions.order_by("order")[:2]
        save_answer(
            attempt=attempt, question=first, choice_ids=[first.choices.get(correct=True).pk]
        )
        save_answer(
            attempt=attempt, question=second, choice_ids=[second.choices.get(correct=True).pk]
        )
        clients = [logged_in_client(learner), logged_in_client(learner)]
        url = reverse("quizzes:submit", args=[attempt.pk])

        with mock.patch.object(
            attempts_module, "_submit_locked", wraps=attempts_module._submit_locked
        ) as scored:
            outcomes = race(*(partial(c.post, url) for c in clients))

        assert [o.status_code for o in outcomes] == [302, 302], outcomes
        assert scored.call_count == 1  # scored once: the second submit found it closed
        attempt.refresh_from_db()
        assert attempt.is_submitted
        assert attempt.score == first.points + second.points
        assert stored_score_matches_responses(attempt)
        assert Attempt.objects.filter(quiz=quiz, learner=learner).count() == 1


def test_an_answer_racing_a_submit_is_in_the_score_or_refused_never_lost():
    quiz = make_quiz(questions=8)
    questions = list(quiz.questions.order_by("order"))
    for round_ in range(ROUNDS):
        learner = UserFactory(username=f"racer-{round_}")
        attempt = start_attempt(quiz=quiz, learner=learner)
        # One answer already in; the others race the submit, one thread per question.
        save_answer(
            attempt=attempt,
            question=questions[0],
            choice_ids=[questions[0].choices.get(correct=True).pk],
        )
        racing = questions[1:]

        saves = [
            partial(
                save_answer,
                attempt=attempt,
                question=q,
                choice_ids=[q.choices.get(correct=True).pk],
            )
            for q in racing
        ]
        outcomes = race(partial(submit_attempt, attempt=attempt), *saves)

        submitted, saves = outcomes[0], outcomes[1:]
        assert isinstance(submitted, Attempt), submitted
        unexpected = [o for o in saves if not isinstance(o, Response | AttemptClosed)]
        assert unexpected == [], unexpected
        accepted = {q.pk for q, o in zip(racing, saves, strict=True) if isinstance(o, Response)}

        attempt.refresh_from_db()
        stored = dict(Response.objects.filter(attempt=attempt).values_list("question_id", "credit"))
        # Every accepted save is stored, and nothing refused was stored.
        assert set(stored) == accepted | {questions[0].pk}
        # The stored score is the sum of the stored responses: no accepted answer was
        # written after the score was computed.
        assert stored_score_matches_responses(attempt)
        assert attempt.score == questions[0].points + sum(
            q.points for q in racing if q.pk in accepted
        )


def test_an_answer_after_the_submit_is_refused_with_a_message(client):
    quiz = make_quiz(questions=2)
    learner = UserFactory(username="late")
    attempt = start_attempt(quiz=quiz, learner=learner)
    submit_attempt(attempt=attempt)
    question = quiz.questions.first()
    with pytest.raises(AttemptClosed):
        save_answer(attempt=attempt, question=question, choice_ids=[question.choices.first().pk])
    assert not Response.objects.filter(attempt=attempt).exists()
