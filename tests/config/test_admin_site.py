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
