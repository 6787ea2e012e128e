"""config/middleware.py: a NUL character anywhere in a request is refused with a 400 and
a message (the code `nul`), before any view runs, so nothing is written."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from quizzes.models import Response

pytestmark = pytest.mark.django_db


def test_a_nul_in_the_query_string_is_a_400_with_a_message(student_client):
    response = student_client.get(reverse("lessons:list"), {"q": "a\x00b"})
    assert response.status_code == 400
    assert response.context["code"] == "nul"
    assert "NUL" in response.text


def test_a_nul_in_the_address_is_a_400(student_client):
    response = student_client.get("/lessons/a%00b/")
    assert response.status_code == 400


def test_a_nul_in_a_form_field_is_refused_and_nothing_is_written(client, class_a):
    users = get_user_model().objects.count()
    response = client.post(
        reverse("classes:signup"),
        {
            "code": class_a.join_code,
            "first_name": "Ana\x00",
            "username": "ana",
            "password1": "a-long-pass-phrase-1",
            "password2": "a-long-pass-phrase-1",
        },
    )
    assert response.status_code == 400 and response.context["code"] == "nul"
    assert get_user_model().objects.count() == users


def test_the_page_script_gets_json_with_the_code(student_client, student, quiz):
    from quizzes.attempts import start_attempt

    attempt = start_attempt(quiz=quiz, learner=student)
    response = student_client.post(
        reverse("quizzes:question", args=[attempt.pk, 1]),
        {"choice": "1\x00"},
        headers={"X-Requested-With": "fetch"},
    )
    assert response.status_code == 400
    assert response.json()["code"] == "nul" and response.json()["saved"] is False
    assert not Response.objects.filter(attempt=attempt).exists()


def test_a_nul_free_request_passes(student_client):
    assert student_client.get(reverse("lessons:list"), {"q": "a b"}).status_code == 200
