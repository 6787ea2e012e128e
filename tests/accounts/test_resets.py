"""A teacher resets the password of a learner in their own class (a one-time password shown
once, to be changed at the next login), and nobody else's."""

import re

import pytest
from django.contrib.auth import SESSION_KEY, get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import PasswordReset

from ..factories import TeacherFactory, UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()
OLD = "pass-for-tests"
NEW = "a brand new pass phrase"


def _url(classroom, learner):
    return reverse("accounts:student", args=[classroom.pk, learner.pk])


def _reset(client, classroom, learner):
    return client.post(_url(classroom, learner), {"action": "reset"})


def _one_time_password(response):
    return re.search(r'class="one-time-password"><strong>([^<]+)</strong>', response.text)[1]


def _password_of(user):
    return User.objects.get(pk=user.pk).password


def test_the_teacher_resets_their_students_password_and_sees_it_once(
    client, teacher, student, class_a
):
    client.force_login(teacher)
    response = _reset(client, class_a, student)
    assert response.status_code == 200
    password = _one_time_password(response)
    assert len(password) >= 12
    student.refresh_from_db()
    assert student.check_password(password) and not student.check_password(OLD)
    assert PasswordReset.objects.get(user=student).reset_by == teacher
    assert "no-store" in response["Cache-Control"]
    # Shown once: the page read again does not have it, and it is stored only hashed.
    assert password not in client.get(_url(class_a, student)).text
    assert password not in student.password


def test_the_student_must_change_the_one_time_password_at_next_login(
    client, teacher, student, class_a
):
    teacher_client = client.__class__()
    teacher_client.force_login(teacher)
    password = _one_time_password(_reset(teacher_client, class_a, student))

    response = client.post(reverse("login"), {"username": "student", "password": password})
    assert response.status_code == 302 and client.session[SESSION_KEY] == str(student.pk)
    for url in (reverse("lessons:list"), reverse("classes:work")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:password_change")
    page = client.get(reverse("accounts:password_change"))
    assert page.status_code == 200 and "Your teacher reset your password" in page.text
    assert "<script" not in page.text and "style=" not in page.text

    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": password, "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_change_done")
    assert client.get(response["Location"]).status_code == 200
    assert not PasswordReset.objects.filter(user=student).exists()
    assert client.get(reverse("lessons:list")).status_code == 200
    student.refresh_from_db()
    assert student.check_password(NEW)


def test_the_one_time_password_cannot_be_kept_as_the_new_one(client, teacher, student, class_a):
    teacher_client = client.__class__()
    teacher_client.force_login(teacher)
    password = _one_time_password(_reset(teacher_client, class_a, student))
    client.post(reverse("login"), {"username": "student", "password": password})
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": password, "new_password1": password, "new_password2": password},
    )
    assert response.status_code == 200
    codes = {e.code for e in response.context["form"].errors.as_data()["new_password2"]}
    assert "password_unchanged" in codes
    assert PasswordReset.objects.filter(user=student).exists()


def test_a_weak_new_password_is_refused_and_the_flag_stays(client, teacher, student, class_a):
    teacher_client = client.__class__()
    teacher_client.force_login(teacher)
    password = _one_time_password(_reset(teacher_client, class_a, student))
    client.post(reverse("login"), {"username": "student", "password": password})
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": password, "new_password1": "password123", "new_password2": "password123"},
    )
    assert response.status_code == 200
    assert {e.code for e in response.context["form"].errors.as_data()["new_password2"]} >= {
        "password_too_short",
        "password_too_common",
    }
    assert PasswordReset.objects.filter(user=student).exists()
    assert client.get(reverse("lessons:list")).status_code == 302


def test_a_reset_ends_the_students_other_sessions(client, teacher, student, class_a):
    client.force_login(student)
    assert client.get(reverse("lessons:list")).status_code == 200
    teacher_client = client.__class__()
    teacher_client.force_login(teacher)
    _reset(teacher_client, class_a, student)
    response = client.get(reverse("lessons:list"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.parametrize("persona", ["other_teacher", "student", "anonymous"])
def test_outsiders_cannot_reset(request, client, persona, student, class_a):
    before = _password_of(student)
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    responses = [
        client.get(_url(class_a, student)),
        client.post(_url(class_a, student), {"action": "reset"}),
        client.get(reverse("accounts:classroom_students", args=[class_a.pk])),
    ]
    expected = {"other_teacher": 404, "student": 403, "anonymous": 302}[persona]
    assert [r.status_code for r in responses] == [expected] * 3
    if persona == "anonymous":  # to the teachers' login
        assert all(r["Location"].startswith(reverse("admin:login")) for r in responses)
    assert _password_of(student) == before
    assert not PasswordReset.objects.exists()


def test_a_teacher_cannot_reset_another_teachers_student_through_their_own_class(
    client, teacher, class_a, class_b, other_student
):
    before = _password_of(other_student)
    client.force_login(teacher)
    assert _reset(client, class_a, other_student).status_code == 404
    assert _reset(client, class_b, other_student).status_code == 404
    assert _password_of(other_student) == before


def test_staff_in_a_class_are_never_reset(client, teacher, class_a):
    colleague = TeacherFactory(username="colleague")
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    class_a.students.add(colleague, admin)
    before = (_password_of(colleague), _password_of(admin))
    client.force_login(teacher)
    assert _reset(client, class_a, colleague).status_code == 404
    assert _reset(client, class_a, admin).status_code == 404
    assert (_password_of(colleague), _password_of(admin)) == before
    listing = client.get(reverse("accounts:classroom_students", args=[class_a.pk]))
    assert "colleague" not in listing.text and "root" not in listing.text


def test_a_superuser_resets_any_students_password(client, class_b, other_student):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    assert _reset(client, class_b, other_student).status_code == 200
    assert PasswordReset.objects.filter(user=other_student).exists()


def test_an_unknown_action_changes_nothing(client, teacher, student, class_a):
    before = _password_of(student)
    client.force_login(teacher)
    response = client.post(_url(class_a, student), {"action": "delete"})
    assert response.status_code == 400
    assert _password_of(student) == before


def test_the_class_logins_page_lists_the_class_in_fixed_queries(client, teacher, class_a):
    client.force_login(teacher)
    url = reverse("accounts:classroom_students", args=[class_a.pk])
    counts = []
    for size in (2, 40):
        class_a.students.add(*[UserFactory() for _ in range(size)])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_login_page_says_what_to_do_when_a_password_is_forgotten(client):
    page = client.get(reverse("login"))
    assert "Forgot your password? Ask your teacher to reset it" in page.text


def test_a_student_who_must_change_may_still_log_out(client, teacher, student, class_a):
    teacher_client = client.__class__()
    teacher_client.force_login(teacher)
    password = _one_time_password(_reset(teacher_client, class_a, student))
    client.post(reverse("login"), {"username": "student", "password": password})
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert SESSION_KEY not in client.session
    # The reset is still pending: the next login leads to the password change again.
    client.post(reverse("login"), {"username": "student", "password": password})
    assert client.get(reverse("lessons:list"))["Location"] == reverse("accounts:password_change")
