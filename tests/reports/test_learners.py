"""reports/learners.py and its page: everyone in the class with a status, and the
teacher's drill-down into one learner's attempt (answers, credit, time per question)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from classes.models import Classroom
from reports import learners as roster
from reports.scope import scope_for
from tests.factories import QuestionFactory, UserFactory, make_teacher
from tests.report_data import T0, add_learners, build_quiz, take

pytestmark = pytest.mark.django_db


def _url(quiz, learner, **params):
    url = reverse("admin:quizzes_quiz_report_learner", args=[quiz.pk, learner.pk])
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"{url}?{query}" if query else url


def test_roster_lists_everyone_with_their_status(data):
    quiz, teacher = data["quiz"], data["teacher"]
    eve = UserFactory(username="eve", first_name="Eve")
    gus = UserFactory(username="gus", first_name="Gus")
    data["class"].students.add(eve, gus)
    take(quiz, gus, {}, submit=False)
    rows = {r.username: r for r in roster.roster(quiz, scope_for(teacher, None))}
    assert set(rows) == {"ana", "ben", "cleo", "dan", "eve", "gus"}
    assert rows["eve"].status == roster.NOT_STARTED and rows["eve"].result is None
    assert rows["gus"].status == roster.IN_PROGRESS and rows["gus"].open_number == 1
    assert rows["cleo"].status == roster.SUBMITTED
    assert rows["cleo"].status_text == "submitted; attempt 2 in progress"
    assert rows["ana"].status_text == "submitted" and rows["ana"].result.attempts == 2


def test_roster_of_a_superuser_is_whoever_started(data, admin_user):
    loner = UserFactory(username="loner")
    take(data["quiz"], loner, {}, submit=False)
    rows = {r.username: r.status for r in roster.roster(data["quiz"], scope_for(admin_user, None))}
    assert rows == {
        "ana": "submitted",
        "ben": "submitted",
        "cleo": "submitted",
        "dan": "submitted",
        "loner": "in progress",
    }


def test_a_student_in_two_of_the_teachers_classes_is_listed_once(data):
    second = Classroom.objects.create(name="9B drama", teacher=data["teacher"])
    second.students.add(data["learners"]["ana"])
    rows = roster.roster(data["quiz"], scope_for(data["teacher"], None))
    assert [r.username for r in rows].count("ana") == 1


def test_clock():
    assert roster.clock(timedelta(seconds=65.4)) == "1:05"
    assert roster.clock(timedelta(hours=1, seconds=7)) == "1:00:07"
    assert roster.clock(None) == "—"


def test_learner_attempt_has_answers_credit_and_time_per_question(data):
    ben = data["learners"]["ben"]
    shown = roster.learner_attempt(data["quiz"], ben)
    assert [a.number for a in shown.attempts] == [1, 2] and shown.attempt.number == 2
    outcomes = [(line.review.question.key, line.review.outcome) for line in shown.lines]
    assert outcomes == [("q1", "right"), ("q2", "right"), ("q3", "wrong")]
    # take() saves every answer at the start and submits 8 minutes later
    assert [line.time for line in shown.lines] == [timedelta(0)] * 3
    assert shown.total_time == timedelta(minutes=8)
    first = roster.learner_attempt(data["quiz"], ben, 1)
    assert first.attempt.number == 1 and first.attempt.percent == 100
    assert roster.learner_attempt(data["quiz"], ben, 9) is None


def test_time_per_question_runs_from_the_previous_answer(data):
    from quizzes.attempts import save_answer, start_attempt

    quiz, (q1, q2, _q3) = data["quiz"], list(data["quiz"].questions.order_by("order"))
    learner = UserFactory(username="timed")
    attempt = start_attempt(quiz=quiz, learner=learner, now=T0)
    a, b = q1.choices.get(text="A"), q2.choices.filter(correct=True).get()
    save_answer(attempt=attempt, question=q1, choice_ids=[a.pk], now=T0 + timedelta(seconds=40))
    save_answer(attempt=attempt, question=q2, choice_ids=[b.pk], now=T0 + timedelta(seconds=100))
    shown = roster.learner_attempt(quiz, learner)
    assert shown.attempt.submitted_at is None  # in progress: the answers so far
    times = {line.review.question.key: line.time_text for line in shown.lines}
    assert times == {"q1": "0:40", "q2": "1:00", "q3": "—"}


def test_the_learners_page_links_to_the_drill_down(client, data):
    client.force_login(data["teacher"])
    eve = UserFactory(username="eve", first_name="Eve")
    data["class"].students.add(eve)
    page = client.get(
        reverse("admin:quizzes_quiz_report_page", args=[data["quiz"].pk, "learners"])
        + f"?classroom={data['class'].pk}"
    )
    ana = data["learners"]["ana"]
    assert f'href="{_url(data["quiz"], ana)}?classroom={data["class"].pk}"' in page.text
    assert _url(data["quiz"], eve) not in page.text  # nothing to open yet


def test_drill_down_page_shows_the_attempt_as_the_learner_sees_it(client, data):
    client.force_login(data["teacher"])
    cleo = data["learners"]["cleo"]
    page = client.get(_url(data["quiz"], cleo))
    assert page.status_code == 200
    text = page.text
    assert "Cleo" in text and "Attempt 1" in text and "Attempt 2 (in progress)" in text
    assert "2 of 3 points (66.7 %)" in text  # the latest submitted attempt
    assert "Trump" in text and "Díaz-Canel" in text  # her answer and the right one
    assert "Wrong" in text and "Time (min:s)" in text
    # the attempt in progress, its answers so far
    page = client.get(_url(data["quiz"], cleo, attempt=2))
    assert "In progress" in page.text and "Not answered" in page.text


def test_drill_down_is_404_outside_the_teachers_classes(client, data):
    other = make_teacher("mr-other")
    outsider = UserFactory(username="zed")
    Classroom.objects.create(name="10C", teacher=other).students.add(outsider)
    take(data["quiz"], outsider, {})
    client.force_login(data["teacher"])
    assert client.get(_url(data["quiz"], outsider)).status_code == 404
    assert client.get(_url(data["quiz"], UserFactory())).status_code == 404  # in no class
    ana = data["learners"]["ana"]
    # a class of the teacher's that ana is not in
    empty = Classroom.objects.create(name="Empty", teacher=data["teacher"])
    assert client.get(_url(data["quiz"], ana, classroom=empty.pk)).status_code == 404
    for bad in ("x", "9", "-1"):
        assert client.get(_url(data["quiz"], ana, attempt=bad)).status_code == 404
    client.force_login(other)
    assert client.get(_url(data["quiz"], ana)).status_code == 404
    assert client.get(_url(data["quiz"], outsider)).status_code == 200


def test_drill_down_is_for_staff_only(client, data):
    ana = data["learners"]["ana"]
    assert client.get(_url(data["quiz"], ana)).status_code == 302
    client.force_login(ana)
    response = client.get(_url(data["quiz"], ana))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_learner_who_has_not_started_gets_a_plain_page(client, data):
    eve = UserFactory(username="eve", first_name="Eve")
    data["class"].students.add(eve)
    client.force_login(data["teacher"])
    page = client.get(_url(data["quiz"], eve))
    assert page.status_code == 200 and "has not started this quiz" in page.text


def test_drill_down_query_count_does_not_grow_with_attempts_or_questions(client):
    """Session, user, permissions (2), the quiz, the teacher's classes, the learner, the
    attempts, then review_rows: the questions and their choices (2), the responses, their
    selections and sources (3)."""
    teacher = make_teacher("counting")
    quiz, picks, _ = build_quiz()
    classroom = Classroom.objects.create(name="Counted", teacher=teacher)
    learner = UserFactory(username="counted")
    classroom.students.add(learner)
    client.force_login(teacher)
    counts = []
    for size in (1, 4):
        add_learners(quiz, picks, 3 * size, prefix=f"n{size}-")
        for i in range(size):
            QuestionFactory(quiz=quiz, order=10 + 10 * size + i, key=f"extra-{size}-{i}")
            take(quiz, learner, picks["right"])
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(_url(quiz, learner))
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
