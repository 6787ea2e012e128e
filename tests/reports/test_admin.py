"""reports/admin.py: attempts and responses scoped to a teacher's own students."""

import pytest
from django.urls import reverse

from quizzes.models import Attempt, Response
from tests.report_data import build_quiz, take

pytestmark = pytest.mark.django_db


def test_a_teacher_cannot_change_or_add_attempts(client, teacher, class_a, student):
    quiz, picks, _ = build_quiz()
    attempt = take(quiz, student, picks["right"])
    client.force_login(teacher)
    url = reverse("admin:quizzes_attempt_change", args=[attempt.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="_save"' not in page.text
    assert client.post(url, {"score": 0}).status_code == 403
    assert client.get(reverse("admin:quizzes_attempt_add")).status_code == 403


def test_attempts_and_responses_are_scoped_to_the_teachers_students(
    client, teacher, class_a, class_b, student, other_student
):
    quiz, picks, _ = build_quiz()
    mine = take(quiz, student, picks["right"])
    theirs = take(quiz, other_student, picks["wrong"])
    client.force_login(teacher)
    listing = client.get(reverse("admin:quizzes_attempt_changelist"))
    assert f"/attempt/{mine.pk}/change/" in listing.text
    assert f"/attempt/{theirs.pk}/change/" not in listing.text
    assert other_student.username not in listing.text
    assert client.get(reverse("admin:quizzes_attempt_change", args=[theirs.pk])).status_code == 404
    their_response = Response.objects.filter(attempt=theirs).first()
    assert (
        client.get(reverse("admin:quizzes_response_change", args=[their_response.pk])).status_code
        == 404
    )
    responses = client.get(reverse("admin:quizzes_response_changelist"))
    assert f"/response/{their_response.pk}/change/" not in responses.text


def test_superuser_sees_every_class_and_attempt(
    client, admin_user, class_a, class_b, other_student
):
    quiz, picks, _ = build_quiz()
    theirs = take(quiz, other_student, picks["wrong"])
    client.force_login(admin_user)
    page = client.get(reverse("admin:classes_classroom_changelist"))
    assert "Class A" in page.text and "Class B" in page.text
    assert client.get(reverse("admin:quizzes_attempt_change", args=[theirs.pk])).status_code == 200
    assert Attempt.objects.count() == 1
