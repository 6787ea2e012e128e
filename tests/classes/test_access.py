"""The learner gate (classes/access.py, asked through lessons.gate): classes decide who
reads which lesson and takes which quiz, and when."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from classes.models import Assignment, Classroom
from lessons.gate import gate
from quizzes.attempts import QuizUnavailable, start_attempt
from quizzes.models import Attempt
from tests.factories import (
    LessonFactory,
    QuizFactory,
    UserFactory,
    make_single_question,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def assigned_quiz(class_a):
    """A quiz of a lesson open to no one, assigned to class A (the student's), open now."""
    lesson = LessonFactory(open_to_all=False, title="Assigned lesson")
    quiz = QuizFactory(lesson=lesson, open_to_all=False, title="Assigned quiz")
    make_single_question(quiz)
    now = timezone.now()
    Assignment.objects.create(
        classroom=class_a,
        quiz=quiz,
        opens_at=now - timedelta(hours=1),
        due_at=now + timedelta(days=1),
    )
    return quiz


def _set_window(quiz, *, opens, due, late_policy=Assignment.LatePolicy.REFUSE):
    now = timezone.now()
    Assignment.objects.filter(quiz=quiz).update(
        opens_at=now + opens, due_at=now + due, late_policy=late_policy
    )


def _pages(quiz):
    return {
        "start": reverse("quizzes:start", args=[quiz.pk]),
        "lesson": quiz.lesson.get_absolute_url(),
    }


# --- every persona ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona, reads, takes",
    [
        ("student", True, True),  # in class A, where it is assigned
        ("other_student", False, False),  # in class B only
        ("teacher", True, True),  # staff: the preview of what students see
        ("other_teacher", True, True),
        ("superuser", True, True),
    ],
)
def test_who_reads_the_lesson_and_starts_the_quiz(
    request, client, assigned_quiz, class_b, persona, reads, takes
):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    pages = _pages(assigned_quiz)
    expected = 200 if reads else 404  # 404: nobody learns that it exists
    assert client.get(pages["lesson"]).status_code == expected
    assert client.get(pages["start"]).status_code == expected
    response = client.post(reverse("quizzes:attempt_start", args=[assigned_quiz.pk]))
    assert response.status_code == (302 if takes else 404)
    assert Attempt.objects.filter(learner=user, quiz=assigned_quiz).exists() is takes
    listed = client.get(reverse("lessons:list")).text
    assert ("Assigned lesson" in listed) is reads


def test_anonymous_is_sent_to_log_in(anonymous, assigned_quiz):
    for url in _pages(assigned_quiz).values():
        response = anonymous.get(url)
        assert response.status_code == 302 and "login" in response["Location"]


def test_start_attempt_itself_refuses_a_learner_outside_the_class(assigned_quiz, other_student):
    with pytest.raises(QuizUnavailable) as refused:
        start_attempt(quiz=assigned_quiz, learner=other_student)
    assert refused.value.code == "not_assigned"
    assert not Attempt.objects.filter(learner=other_student).exists()


def test_a_student_who_leaves_the_class_loses_access(
    student_client, student, class_a, assigned_quiz
):
    class_a.students.remove(student)
    assert student_client.get(_pages(assigned_quiz)["start"]).status_code == 404
    assert student_client.get(_pages(assigned_quiz)["lesson"]).status_code == 404


# --- the window -------------------------------------------------------------------------------


def test_before_the_opening_date_the_quiz_is_listed_but_cannot_start(
    student_client, student, assigned_quiz
):
    _set_window(assigned_quiz, opens=timedelta(days=1), due=timedelta(days=2))
    page = student_client.get(_pages(assigned_quiz)["start"])
    assert page.status_code == 200 and "opens on" in page.text
    assert student_client.get(_pages(assigned_quiz)["lesson"]).status_code == 404
    with pytest.raises(QuizUnavailable) as refused:
        start_attempt(quiz=assigned_quiz, learner=student)
    assert refused.value.code == "assignment_not_open"
    mine = student_client.get(reverse("classes:work")).text
    assert "Not open yet" in mine and assigned_quiz.get_absolute_url() not in mine


def test_after_the_due_date_a_refusing_assignment_refuses(student_client, student, assigned_quiz):
    _set_window(assigned_quiz, opens=-timedelta(days=2), due=-timedelta(days=1))
    with pytest.raises(QuizUnavailable) as refused:
        start_attempt(quiz=assigned_quiz, learner=student)
    assert refused.value.code == "past_due"
    response = student_client.post(reverse("quizzes:attempt_start", args=[assigned_quiz.pk]))
    assert response.status_code == 302 and not Attempt.objects.filter(learner=student).exists()
    # The lesson stays readable: the result page links to its evidence.
    assert student_client.get(_pages(assigned_quiz)["lesson"]).status_code == 200
    assert "Closed" in student_client.get(reverse("classes:work")).text


def test_after_the_due_date_an_assignment_allowing_late_work_marks_the_attempt_late(
    student_client, student, assigned_quiz
):
    _set_window(
        assigned_quiz,
        opens=-timedelta(days=2),
        due=-timedelta(days=1),
        late_policy=Assignment.LatePolicy.ALLOW_LATE,
    )
    assert "marked late" in student_client.get(_pages(assigned_quiz)["start"]).text
    attempt = start_attempt(quiz=assigned_quiz, learner=student)
    assert attempt.late is True
    on_time = QuizFactory(open_to_all=True)
    make_single_question(on_time)
    assert start_attempt(quiz=on_time, learner=student).late is False


def test_two_classes_the_open_assignment_wins(student, class_a, assigned_quiz, teacher):
    _set_window(assigned_quiz, opens=-timedelta(days=2), due=-timedelta(days=1))
    other = Classroom.objects.create(name="Second class", teacher=teacher)
    other.students.add(student)
    now = timezone.now()
    Assignment.objects.create(
        classroom=other,
        quiz=assigned_quiz,
        opens_at=now - timedelta(hours=1),
        due_at=now + timedelta(hours=1),
    )
    access = gate().quiz_access(student, assigned_quiz)
    assert access.allowed and not access.late


# --- open to all ------------------------------------------------------------------------------


def test_content_open_to_all_needs_no_class(client, other_student):
    lesson = LessonFactory(open_to_all=True, title="Open lesson")
    quiz = QuizFactory(lesson=lesson, open_to_all=True)
    make_single_question(quiz)
    closed_lesson = LessonFactory(open_to_all=False, title="Closed lesson")
    closed_quiz = QuizFactory(lesson=closed_lesson, open_to_all=False)
    client.force_login(other_student)
    assert client.get(lesson.get_absolute_url()).status_code == 200
    assert start_attempt(quiz=quiz, learner=other_student).quiz == quiz
    assert client.get(closed_lesson.get_absolute_url()).status_code == 404
    assert client.get(reverse("quizzes:start", args=[closed_quiz.pk])).status_code == 404
    listed = client.get(reverse("lessons:list")).text
    assert "Open lesson" in listed and "Closed lesson" not in listed


def test_defaults_are_closed(other_student):
    from lessons.models import Lesson
    from quizzes.models import Quiz

    lesson = Lesson.objects.create(slug="plain", title="Plain", published=True)
    quiz = Quiz.objects.create(lesson=lesson, key="plain", title="Plain", published=True)
    assert not lesson.open_to_all and not quiz.open_to_all
    assert not gate().lessons_for(other_student).filter(pk=lesson.pk).exists()
    assert gate().quiz_access(other_student, quiz).code == "not_assigned"
    assert Assignment._meta.get_field("late_policy").default == Assignment.LatePolicy.REFUSE


def test_an_archived_quiz_is_hidden_from_its_class(student_client, student, assigned_quiz):
    assigned_quiz.archived = True
    assigned_quiz.save()
    assert student_client.get(_pages(assigned_quiz)["start"]).status_code == 404
    with pytest.raises(QuizUnavailable):
        start_attempt(quiz=assigned_quiz, learner=student)


# --- query budgets: the same at 1 and at 20 classes ----------------------------------------


def _classes_with_quizzes(student, teacher, n):
    now = timezone.now()
    for i in range(n):
        classroom = Classroom.objects.create(name=f"Class {i}", teacher=teacher)
        classroom.students.add(student)
        quiz = QuizFactory(lesson=LessonFactory(open_to_all=False), open_to_all=False)
        Assignment.objects.create(
            classroom=classroom,
            quiz=quiz,
            opens_at=now - timedelta(hours=1),
            due_at=now + timedelta(days=1),
        )
    return quiz


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", ["lessons:list", "classes:work", "start", "lesson"])
def test_gated_pages_query_count_does_not_grow_with_classes(client, teacher, page):
    counts = []
    for n in (1, 20):
        learner = UserFactory()
        quiz = _classes_with_quizzes(learner, teacher, n)
        client.force_login(learner)
        url = {
            "start": reverse("quizzes:start", args=[quiz.pk]),
            "lesson": quiz.lesson.get_absolute_url(),
        }.get(page) or reverse(page)
        counts.append(_count(client, url))
    assert counts[0] == counts[1]
