"""classes/admin.py: the Teachers group's permissions, and what a teacher sees and does
with classes and assignments in the admin."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from classes.models import Assignment, Classroom
from tests.factories import QuizFactory

pytestmark = pytest.mark.django_db
User = get_user_model()


# --- the Teachers group ---------------------------------------------------------------------


def test_teachers_group_has_exactly_the_permissions_a_teacher_needs():
    perms = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Group.objects.get(name="Teachers").permissions.select_related("content_type")
    }
    crud = ("view", "add", "change", "delete")
    expected = {
        *(f"lessons.{a}_{m}" for m in ("lesson", "source", "section", "claim") for a in crud),
        *(f"quizzes.{a}_{m}" for m in ("quiz", "question", "choice", "rubriclevel") for a in crud),
        *(
            f"classes.{a}_{m}"
            for m in ("classroom", "assignment", "accommodation", "assignmentoverride")
            for a in crud
        ),
        "quizzes.view_attempt",
        "quizzes.view_response",
        "quizzes.view_selection",
        "quizzes.add_gradechange",
        "quizzes.view_gradechange",
        "quizzes.mark_response",  # marking written answers
    }
    assert perms == expected
    assert not any(p.startswith("auth.") for p in perms)


def test_a_teacher_cannot_open_users_or_groups(client, teacher):
    client.force_login(teacher)
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403
    assert client.get(reverse("admin:index")).status_code == 200


# --- the class admin, scoped ---------------------------------------------------------------


def test_a_teacher_lists_and_opens_only_their_own_classes(client, teacher, class_a, class_b):
    client.force_login(teacher)
    page = client.get(reverse("admin:classes_classroom_changelist"))
    assert "Class A" in page.text and "Class B" not in page.text
    assert (
        client.get(reverse("admin:classes_classroom_change", args=[class_a.pk])).status_code == 200
    )
    assert (
        client.get(reverse("admin:classes_classroom_change", args=[class_b.pk])).status_code == 404
    )
    assert (
        client.post(
            reverse("admin:classes_classroom_delete", args=[class_b.pk]), {"post": "yes"}
        ).status_code
        == 404
    )
    assert Classroom.objects.filter(pk=class_b.pk).exists()


def test_class_page_shows_only_the_class_students(client, teacher, class_a, class_b, other_student):
    client.force_login(teacher)
    page = client.get(reverse("admin:classes_classroom_change", args=[class_a.pk]))
    assert "student" in page.text and other_student.username not in page.text
    assert class_a.display_code in page.text


def test_a_teacher_creates_a_class_as_its_teacher(client, teacher, other_teacher):
    client.force_login(teacher)
    response = client.post(
        reverse("admin:classes_classroom_add"),
        {
            "name": "New class",
            "teacher": other_teacher.pk,
            "assignments-TOTAL_FORMS": 0,
            "assignments-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.content
    assert Classroom.objects.get(name="New class").teacher == teacher


def test_a_teacher_cannot_add_another_teachers_student(client, teacher, class_a, other_student):
    client.force_login(teacher)
    response = client.post(
        reverse("admin:classes_classroom_change", args=[class_a.pk]),
        {
            "name": "Class A",
            "students": [other_student.pk],
            "assignments-TOTAL_FORMS": 0,
            "assignments-INITIAL_FORMS": 0,
            "accommodations-TOTAL_FORMS": 0,
            "accommodations-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200 and "Select a valid choice" in response.text
    assert not class_a.students.filter(pk=other_student.pk).exists()


def test_regenerate_action(client, teacher, class_a):
    client.force_login(teacher)
    old = class_a.join_code
    client.post(
        reverse("admin:classes_classroom_changelist"),
        {"action": "regenerate_codes", "_selected_action": [class_a.pk]},
    )
    class_a.refresh_from_db()
    assert class_a.join_code != old


def test_a_teacher_cannot_assign_to_another_teachers_class(client, teacher, class_b):
    client.force_login(teacher)
    now = timezone.now()
    response = client.post(
        reverse("admin:classes_assignment_add"),
        {
            "classroom": class_b.pk,
            "quiz": QuizFactory().pk,
            "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
            "due_at": (now + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    errors = re.findall(r"errorlist[^>]*>(.*?)</ul>", response.text, re.S)
    assert response.status_code == 200 and len(errors) == 1 and "Select a valid choice" in errors[0]
    assert not Assignment.objects.exists()


def test_a_teacher_assigns_a_quiz_on_the_class_page(client, teacher, class_a, student):
    quiz = QuizFactory(title="Assigned here")
    client.force_login(teacher)
    url = reverse("admin:classes_classroom_change", args=[class_a.pk])
    form = {
        "name": "Class A",
        "students": [student.pk],
        "assignments-TOTAL_FORMS": 1,
        "assignments-INITIAL_FORMS": 0,
        "assignments-0-quiz": quiz.pk,
        "assignments-0-opens_at": "2026-12-01T08:00",
        "assignments-0-due_at": "2026-11-30T08:00",
        "accommodations-TOTAL_FORMS": 0,
        "accommodations-INITIAL_FORMS": 0,
    }
    response = client.post(url, form)
    errors = re.findall(r"errorlist[^>]*>(.*?)</ul>", response.text, re.S)
    assert response.status_code == 200 and "The due date must come after" in response.text, errors
    form["assignments-0-due_at"] = "2026-12-08T08:00"
    assert client.post(url, form).status_code == 302
    assignment = Assignment.objects.get()
    assert (assignment.classroom, assignment.quiz) == (class_a, quiz)
    assert assignment.due_at.isoformat() == "2026-12-08T08:00:00+00:00"
    page = client.get(url)
    assert 'value="08/12/2026 08:00"' in page.text and 'aria-label="Due at"' in page.text


def test_the_class_filter_ignores_a_class_that_is_not_a_number(client, teacher, class_a):
    """?classroom=abc (or 1e9, or a number no column holds) lists nothing, never a 500."""
    client.force_login(teacher)
    for value in ("abc", "1e9", "9" * 30, "²"):
        response = client.get(reverse("admin:quizzes_attempt_changelist"), {"classroom": value})
        assert response.status_code == 200
        assert response.context["cl"].result_count == 0
