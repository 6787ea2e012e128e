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


def test_attempt_and_response_admins_show_rounded_numbers(client, admin_user, student):
    """75.38461538461539 % is shown as 75.4 %, a credit of 1/3 as 0.33, in the lists and
    on the change pages (where the raw field is not shown beside it)."""
    quiz, picks, _ = build_quiz()
    attempt = take(quiz, student, picks["right"])
    Attempt.objects.filter(pk=attempt.pk).update(
        percent=75.38461538461539, attribution_percent=66.66666666666667, score=2.2615384615
    )
    response = Response.objects.filter(attempt=attempt).first()
    Response.objects.filter(pk=response.pk).update(credit=1 / 3)
    client.force_login(admin_user)
    pages = [
        client.get(reverse("admin:quizzes_attempt_changelist")).text,
        client.get(reverse("admin:quizzes_attempt_change", args=[attempt.pk])).text,
    ]
    for text in pages:
        assert "75.4 %" in text and "75.38" not in text
        assert "66.7 %" in text and "66.666" not in text
    assert "2.26" in pages[1] and "2.2615" not in pages[1]
    assert "0.33" in pages[1] and "0.3333" not in pages[1]  # the responses inline
    for url in (
        reverse("admin:quizzes_response_changelist"),
        reverse("admin:quizzes_response_change", args=[response.pk]),
    ):
        text = client.get(url).text
        assert "0.33" in text and "0.3333" not in text
