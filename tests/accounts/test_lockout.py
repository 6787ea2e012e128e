"""Login lockout (django-axes) on the student login and the admin login: ten wrong passwords
in a row for one username from one address lock that pair; the page says until when; a
teacher (their own class) or a superuser unlocks."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django.utils import timezone

from accounts.lockout import locked_until

from ..factories import TeacherFactory, UserFactory

pytestmark = pytest.mark.django_db

RIGHT = "pass-for-tests"


def _login(client, username, password, url=None):
    return client.post(url or reverse("login"), {"username": username, "password": password})


def _fail(client, username, times, url=None):
    return [_login(client, username, "wrong-password", url) for _ in range(times)]


def test_the_eleventh_try_is_refused_even_with_the_right_password(client, student):
    failures = _fail(client, "student", 9)
    assert [r.status_code for r in failures] == [200] * 9  # the form, with its error
    tenth = _fail(client, "student", 1)[0]
    assert tenth.status_code == 429  # the tenth failure locks
    eleventh = _login(client, "student", RIGHT)
    assert eleventh.status_code == 429
    assert SESSION_KEY not in client.session
    assert "Logging in is paused" in eleventh.text


def test_nine_failures_then_the_right_password_logs_in_and_starts_the_count_again(client, student):
    _fail(client, "student", 9)
    response = _login(client, "student", RIGHT)
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(student.pk)
    client.post(reverse("logout"))
    # The success reset the count: nine more failures do not lock.
    assert [r.status_code for r in _fail(client, "student", 9)] == [200] * 9
    assert _login(client, "student", RIGHT).status_code == 302


def test_the_lockout_page_names_when_to_retry(client, student):
    before = timezone.now()
    response = _fail(client, "student", 10)[-1]
    until = locked_until("student", "127.0.0.1")
    assert before + timedelta(minutes=15) <= until <= timezone.now() + timedelta(minutes=15)
    assert response.status_code == 429
    assert f"Try again after {timezone.localtime(until):%H:%M}" in response.text
    assert "in about 1" in response.text  # "in about 14 minutes" / "15 minutes"
    assert 0 < int(response["Retry-After"]) <= 15 * 60
    assert "Ask your teacher" in response.text
    assert response["Content-Type"].startswith("text/html")
    assert "<script" not in response.text.replace('<script src="', "")


def test_tries_while_locked_out_do_not_move_the_time(client, student):
    _fail(client, "student", 10)
    until = locked_until("student", "127.0.0.1")
    _fail(client, "student", 3)
    assert locked_until("student", "127.0.0.1") == until


def test_the_lockout_ends_after_the_cool_off(client, student):
    _fail(client, "student", 10)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert locked_until("student") is None
    assert _login(client, "student", RIGHT).status_code == 302


def test_the_lock_is_for_the_username_from_that_address_only(client, student, other_student):
    _fail(client, "student", 10)
    # Another pupil behind the same school address logs in...
    assert _login(client, "other-student", RIGHT).status_code == 302
    client.post(reverse("logout"))
    # ...and the locked pupil can from another address.
    response = client.post(
        reverse("login"), {"username": "student", "password": RIGHT}, REMOTE_ADDR="10.0.0.9"
    )
    assert response.status_code == 302


def test_the_admin_login_locks_out_too(client):
    TeacherFactory(username="ms-t")
    admin_login = reverse("admin:login")
    _fail(client, "ms-t", 10, admin_login)
    response = _login(client, "ms-t", RIGHT, admin_login)
    assert response.status_code == 429
    assert SESSION_KEY not in client.session
    assert "Try again after" in response.text and "Access attempts" in response.text


def test_a_teacher_unlocks_a_student_of_their_class(client, student, teacher, class_a):
    _fail(client, "student", 10)
    teacher_client = client.__class__()
    teacher_client.force_login(teacher)
    url = reverse("accounts:student", args=[class_a.pk, student.pk])
    page = teacher_client.get(url)
    assert "paused until" in page.text
    listing = teacher_client.get(reverse("accounts:classroom_students", args=[class_a.pk]))
    assert "paused until" in listing.text
    response = teacher_client.post(url, {"action": "unlock"})
    assert response.status_code == 302
    assert locked_until("student") is None
    assert _login(client, "student", RIGHT).status_code == 302


def test_another_teacher_cannot_unlock(client, student, other_teacher, class_a):
    _fail(client, "student", 10)
    client.force_login(other_teacher)
    url = reverse("accounts:student", args=[class_a.pk, student.pk])
    assert client.post(url, {"action": "unlock"}).status_code == 404
    assert locked_until("student") is not None


def test_a_superuser_unlocks_in_the_admin(client, student):
    _fail(client, "student", 10)
    attempt = AccessAttempt.objects.get(username="student")
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 200
    response = client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert locked_until("student") is None


def test_a_teacher_does_not_see_the_access_attempts(client, teacher):
    client.force_login(teacher)
    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 403


def test_an_oversized_username_is_a_failed_login_not_a_server_error(client):
    # PostgreSQL enforces axes' 255-character column; the name is counted cut to 150.
    response = client.post(reverse("login"), {"username": "u" * 5000, "password": "x"})
    assert response.status_code == 200
    assert response.context["form"].errors
