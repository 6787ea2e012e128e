"""config/admin.py: the teacher's workspace home lists the teacher's classes."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from classes.models import Assignment
from tests.factories import QuizFactory

pytestmark = pytest.mark.django_db


def test_admin_home_lists_the_teachers_classes_and_their_assignments(
    client, teacher, class_a, class_b
):
    now = timezone.now()
    Assignment.objects.create(
        classroom=class_a,
        quiz=QuizFactory(title="Homework quiz"),
        opens_at=now,
        due_at=now + timedelta(days=1),
    )
    client.force_login(teacher)
    page = client.get(reverse("admin:index"))
    assert "Your classes" in page.text and class_a.display_code in page.text
    assert "Homework quiz" in page.text and f"?classroom={class_a.pk}" in page.text
    assert "Class B" not in page.text and class_b.display_code not in page.text
    # The page's view read the classes (no template tag queries).
    assert page.context["classes_taught"] == [class_a]


def test_each_model_admin_is_registered_once_where_it_belongs():
    """Nothing is unregistered and re-registered: each admin is the one its module
    registers, whatever the order of INSTALLED_APPS."""
    from django.contrib import admin

    from classes.models import Assignment, Classroom
    from config.admin import TeacherAdminSite
    from lessons.models import Claim, Lesson, Section, Source
    from quizzes.models import Attempt, Question, Quiz, Response

    assert isinstance(admin.site._wrapped, TeacherAdminSite)
    homes = {
        Lesson: "bundle.admin",
        Source: "lessons.admin",
        Section: "lessons.admin",
        Claim: "lessons.admin",
        Question: "quizzes.admin",
        Classroom: "classes.admin",
        Assignment: "classes.admin",
        Quiz: "reports.admin",
        Attempt: "reports.admin",
        Response: "reports.admin",
    }
    registered = {
        model: type(model_admin).__module__ for model, model_admin in admin.site._registry.items()
    }
    assert {model: registered[model] for model in homes} == homes


def test_no_app_unregisters_another_apps_admin():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = [
        str(path.relative_to(root))
        for app in ("lessons", "quizzes", "classes", "reports", "config")
        for path in (root / app).rglob("*.py")
        if ".unregister(" in path.read_text()
    ]
    assert offenders == []


@pytest.mark.parametrize("selected", [["abc"], ["9" * 30], ["1", "1e9"]])
def test_an_action_on_rows_that_are_not_ids_is_a_400_that_changes_nothing(
    client, superuser, quiz, selected
):
    """Django filters the list by the ticked ids and fails with a 500 on one that is not
    an id; the workspace refuses the post first, for every model admin."""
    from quizzes.models import Quiz

    client.force_login(superuser)
    for url in (reverse("admin:quizzes_quiz_changelist"), reverse("admin:auth_user_changelist")):
        response = client.post(
            url, {"action": "delete_selected", "_selected_action": selected, "index": "0"}
        )
        assert response.status_code == 400
        assert response.context["code"] == "bad_selection"
    assert Quiz.objects.filter(pk=quiz.pk).exists()
