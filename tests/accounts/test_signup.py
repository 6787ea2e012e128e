"""Sign-up checks the class code before anything else, and is no oracle for usernames."""

import re

import pytest
from django.urls import reverse

from classes.forms import SignupForm

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


def _data(code, username="newbie", password="a-long-pass-phrase-9", password2=None):
    return {
        "code": code,
        "first_name": "Nia",
        "username": username,
        "password1": password,
        "password2": password if password2 is None else password2,
    }


def _codes(form):
    return {field: {e.code for e in errors} for field, errors in form.errors.as_data().items()}


@pytest.mark.parametrize("code, queries", [("ZZZZ-ZZZZ", 1), ("ABC", 0), ("", 0)])
def test_a_wrong_code_is_the_only_error(code, queries, student, django_assert_num_queries):
    # Everything else is wrong too: a taken username, a weak and mismatched password.
    data = _data(code, username="student", password="123", password2="456")
    form = SignupForm(data)
    with django_assert_num_queries(queries):  # the code's class at most, no username
        assert not form.is_valid()
    assert list(form.errors) == ["code"]
    assert _codes(form)["code"] <= {"unknown_code", "bad_length", "required"}


def test_with_a_valid_code_the_other_fields_are_checked(class_a):
    form = SignupForm(_data(class_a.join_code, password="123", password2="456"))
    assert not form.is_valid()
    assert "code" not in form.errors and "password2" in form.errors


def test_a_taken_username_gets_a_neutral_answer_only_after_a_valid_code(student, class_a):
    form = SignupForm(_data(class_a.join_code, username="STUDENT"))
    assert not form.is_valid()
    assert _codes(form) == {"username": {"username_unavailable"}}
    text = " ".join(form.errors["username"])
    assert "exists" not in text and "already" not in text and "student" not in text.lower()


def test_the_page_for_a_wrong_code_is_the_same_whether_the_username_exists(client, student):
    UserFactory(username="taken")
    pages = [
        re.sub(
            r'name="csrfmiddlewaretoken" value="[^"]+"',
            "",
            client.post(reverse("classes:signup"), _data("ZZZZ-ZZZZ", username=name)).text,
        )
        for name in ("taken", "free-name")
    ]
    assert pages[0].replace("taken", "NAME") == pages[1].replace("free-name", "NAME")


def test_a_valid_sign_up_still_works(client, class_a):
    response = client.post(reverse("classes:signup"), _data(class_a.display_code))
    assert response.status_code == 302
    assert class_a.students.filter(username="newbie").exists()
