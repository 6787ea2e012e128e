"""classes/views.py: sign up with a class code, join a class, my classes."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from classes.models import Assignment, Classroom
from tests.factories import QuizFactory

pytestmark = pytest.mark.django_db


User = get_user_model()


def _signup(client, code, username="newbie", password="a-long-pass-phrase-9"):
    return client.post(
        reverse("classes:signup"),
        {
            "code": code,
            "first_name": "Nia",
            "username": username,
            "password1": password,
            "password2": password,
        },
    )


def test_signup_with_a_code_makes_the_account_joins_and_logs_in(client, class_a):
    response = _signup(client, class_a.display_code.lower())
    assert response.status_code == 302 and response["Location"] == reverse("classes:work")
    user = User.objects.get(username="newbie")
    assert not user.is_staff and user.first_name == "Nia"
    assert list(class_a.students.filter(pk=user.pk)) == [user]
    page = client.get(reverse("classes:work"))
    assert "Class A" in page.text


def test_signup_with_a_bad_code_says_so_and_makes_nothing(client, class_a):
    response = _signup(client, "ZZZZ-ZZZZ")
    assert response.status_code == 400
    assert "No class has this code" in response.text
    response = _signup(client, "ABC")
    assert "A class code has 8 letters and digits" in response.text
    assert not User.objects.filter(username="newbie").exists()


def test_signup_form_prefills_the_code_and_has_no_inline_script_or_style(client, class_a):
    page = client.get(reverse("classes:signup") + f"?code={class_a.join_code}")
    assert page.status_code == 200
    assert f'value="{class_a.join_code}"' in page.text
    assert "<script" not in page.text and "style=" not in page.text


def test_signup_with_a_weak_password_is_refused(client, class_a):
    response = _signup(client, class_a.join_code, password="123")
    assert response.status_code == 400
    assert not User.objects.filter(username="newbie").exists()


def test_a_student_joins_with_a_code(student_client, student, teacher):
    classroom = Classroom.objects.create(name="Second class", teacher=teacher)
    response = student_client.post(reverse("classes:join"), {"code": classroom.join_code})
    assert response.status_code == 302
    assert classroom.students.filter(pk=student.pk).exists()
    response = student_client.post(
        reverse("classes:join"), {"code": classroom.join_code}, follow=True
    )
    assert "already in the class" in response.text
    assert classroom.students.count() == 1


def test_join_with_an_unknown_code_changes_nothing(student_client, student, class_b):
    response = student_client.post(reverse("classes:join"), {"code": "QQQQ-QQQQ"})
    assert response.status_code == 400 and "No class has this code" in response.text
    assert not student.classrooms.exists()


def test_an_old_code_stops_working_after_regeneration(student_client, student, class_b):
    old = class_b.join_code
    class_b.regenerate_join_code()
    response = student_client.post(reverse("classes:join"), {"code": old})
    assert response.status_code == 400
    assert not class_b.students.filter(pk=student.pk).exists()


def test_join_needs_a_login(client, class_a):
    response = client.post(reverse("classes:join"), {"code": class_a.join_code})
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_staff_do_not_join_as_students(client, teacher, class_b):
    client.force_login(teacher)
    client.post(reverse("classes:join"), {"code": class_b.join_code})
    assert not class_b.students.filter(pk=teacher.pk).exists()


def test_my_classes_lists_published_assignments(student_client, class_a):
    now = timezone.now()
    visible = QuizFactory(title="Assigned quiz")
    hidden = QuizFactory(title="Draft quiz", published=False)
    for quiz in (visible, hidden):
        Assignment.objects.create(
            classroom=class_a, quiz=quiz, opens_at=now, due_at=now + timedelta(days=7)
        )
    page = student_client.get(reverse("classes:work"))
    assert "Assigned quiz" in page.text and "Draft quiz" not in page.text


def test_the_join_link_fills_the_code_in(client, class_a):
    page = client.get(class_a.get_join_url())
    assert f'value="{class_a.join_code}"' in page.text
