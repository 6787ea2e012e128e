"""My work, the student's home: one line per assigned quiz with its status and next action."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from classes.models import Assignment, Classroom
from classes.work import (
    CLOSED,
    IN_PROGRESS,
    LATE,
    NOT_STARTED,
    OVERDUE,
    SUBMITTED,
    UPCOMING,
    work_for,
)
from quizzes.models import Quiz
from tests.factories import AttemptFactory, QuizFactory, assign

pytestmark = pytest.mark.django_db


def _quiz(title, **kwargs):
    return QuizFactory(title=title, open_to_all=False, **kwargs)


def _at(days=0, minutes=0):
    return timezone.now() + timedelta(days=days, minutes=minutes)


def test_each_status_and_its_one_next_action(student, teacher):
    fresh, going, done, late_done = (_quiz(t) for t in ("Fresh", "Going", "Done", "Late done"))
    upcoming, overdue, closed = _quiz("Upcoming"), _quiz("Overdue"), _quiz("Closed")
    classroom = assign([fresh, going, done, late_done], student, teacher=teacher)
    Assignment.objects.create(
        classroom=classroom, quiz=upcoming, opens_at=_at(days=1), due_at=_at(days=2)
    )
    Assignment.objects.create(
        classroom=classroom,
        quiz=overdue,
        opens_at=_at(days=-3),
        due_at=_at(days=-1),
        late_policy=Assignment.LatePolicy.ALLOW_LATE,
    )
    Assignment.objects.create(
        classroom=classroom, quiz=closed, opens_at=_at(days=-3), due_at=_at(days=-1)
    )
    current = AttemptFactory(learner=student, quiz=going, number=1)
    AttemptFactory(learner=student, quiz=done, number=1, submitted_at=_at(), percent=75.0)
    AttemptFactory(learner=student, quiz=late_done, number=1, submitted_at=_at(), late=True)

    items = {i.quiz.title: i for i in work_for(student)}
    assert {t: i.status for t, i in items.items()} == {
        "Fresh": NOT_STARTED,
        "Going": IN_PROGRESS,
        "Done": SUBMITTED,
        "Late done": LATE,
        "Upcoming": UPCOMING,
        "Overdue": OVERDUE,
        "Closed": CLOSED,
    }
    assert items["Going"].action == ("Continue", reverse("quizzes:attempt", args=[current.pk]))
    assert items["Fresh"].action == ("Start", fresh.get_absolute_url())
    assert items["Overdue"].action[0] == "Start"
    assert items["Done"].action[0] == "See result"
    assert items["Upcoming"].action is None and items["Closed"].action is None
    # What to do comes first: in progress, overdue, not started, then the rest.
    assert [i.quiz.title for i in work_for(student)][:3] == ["Going", "Overdue", "Fresh"]


def test_the_page_shows_lesson_dates_status_and_score(student_client, student, teacher):
    quiz = _quiz("Warm-up")
    assign(quiz, student, teacher=teacher)
    AttemptFactory(learner=student, quiz=quiz, number=1, submitted_at=_at(), percent=80.0)
    page = student_client.get(reverse("classes:work")).text
    assert quiz.lesson.get_absolute_url() in page  # the lesson links to its reading
    assert "Submitted: 80%" in page and "See result" in page
    assert "Nothing to do right now." in page  # submitted: nothing left to do
    assert "Assigned class" in page  # the classes are still listed


def test_a_score_the_review_options_hide_is_not_shown(student_client, student, teacher):
    quiz = _quiz("Hidden score", review_score=Quiz.Review.NEVER)
    assign(quiz, student, teacher=teacher)
    AttemptFactory(learner=student, quiz=quiz, number=1, submitted_at=_at(), percent=80.0)
    page = student_client.get(reverse("classes:work")).text
    assert "80%" not in page and "score not shown yet" in page


def test_an_upcoming_quiz_links_neither_quiz_nor_lesson(student_client, student, teacher):
    quiz = _quiz("Later")
    assign(quiz, student, teacher=teacher, opens_at=_at(days=1), due_at=_at(days=2))
    page = student_client.get(reverse("classes:work")).text
    assert "Not open yet" in page
    assert quiz.get_absolute_url() not in page and quiz.lesson.get_absolute_url() not in page


def test_nothing_to_do_is_said_plainly(student_client, student, class_a):
    page = student_client.get(reverse("classes:work")).text
    assert "Nothing to do right now." in page and "Nothing is assigned" in page


def test_a_quiz_assigned_to_two_classes_is_one_piece_of_work(student, teacher):
    quiz = _quiz("Twice")
    assign(quiz, student, teacher=teacher, name="One")
    assign(quiz, student, teacher=teacher, name="Two")
    assert [i.quiz.title for i in work_for(student)] == ["Twice"]


def test_others_work_and_hidden_quizzes_are_not_listed(student, other_student, teacher):
    mine, theirs, draft = _quiz("Mine"), _quiz("Theirs"), _quiz("Draft", published=False)
    assign([mine, draft], student, teacher=teacher, name="Mine")
    assign(theirs, other_student, teacher=teacher, name="Theirs")
    AttemptFactory(learner=other_student, quiz=mine, number=1)
    items = work_for(student)
    assert [(i.quiz.title, i.status) for i in items] == [("Mine", NOT_STARTED)]


def test_old_my_classes_address_redirects(student_client):
    response = student_client.get(reverse("classes:mine"))
    assert response.status_code == 301 and response["Location"] == reverse("classes:work")


def test_a_student_lands_on_my_work_after_login(client, student):
    response = client.post(reverse("login"), {"username": "student", "password": "pass-for-tests"})
    assert response["Location"] == reverse("classes:work")


def test_query_count_does_not_grow_with_classes_assignments_or_attempts(
    student_client, student, teacher
):
    counts = []
    for n in (1, 5):
        for i in range(n):
            classroom = Classroom.objects.create(name=f"C{n}-{i}", teacher=teacher)
            classroom.students.add(student)
            for j in range(n):
                quiz = _quiz(f"Q{n}-{i}-{j}")
                Assignment.objects.create(
                    classroom=classroom, quiz=quiz, opens_at=_at(days=-1), due_at=_at(days=1)
                )
                AttemptFactory(learner=student, quiz=quiz, number=1, submitted_at=_at())
                AttemptFactory(learner=student, quiz=quiz, number=2)
        with CaptureQueriesContext(connection) as ctx:
            page = student_client.get(reverse("classes:work"))
        assert page.status_code == 200 and page.text.count("Continue") == sum(
            k * k for k in (1, 5)[: len(counts) + 1]
        )
        counts.append(len(ctx.captured_queries))
    # session, user, the assignments with quizzes and lessons, the attempts, the classes
    assert counts == [5, 5]


def test_a_quiz_whose_own_window_has_not_opened_is_upcoming_and_one_closed_is_closed(
    student, teacher
):
    later = _quiz("Later", opens_at=_at(days=1))
    over = _quiz("Over", opens_at=_at(days=-3), closes_at=_at(days=-1))
    assign([later, over], student, teacher=teacher)
    statuses = {i.quiz.title: (i.status, i.action) for i in work_for(student)}
    assert statuses == {"Later": (UPCOMING, None), "Over": (CLOSED, None)}
