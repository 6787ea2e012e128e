"""The session engines docs/performance.md ("Sessions") weighed, on the two properties the
choice turned on: a teacher's password reset ends a pupil's other sessions with every
engine (the user's session auth hash is checked on each request); a logout revokes the
session server-side with the database engines only, not with signed cookies."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.passwords import reset_password

pytestmark = pytest.mark.django_db

ENGINES = {
    "db": "django.contrib.sessions.backends.db",
    "cached_db": "django.contrib.sessions.backends.cached_db",
    "signed_cookies": "django.contrib.sessions.backends.signed_cookies",
}


@pytest.fixture(params=list(ENGINES), ids=list(ENGINES))
def engine(request, settings):
    settings.SESSION_ENGINE = ENGINES[request.param]
    return request.param


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    assert client.get(reverse("lessons:list")).status_code == 200
    return client


def test_a_password_reset_ends_the_other_sessions_with_every_engine(engine, student, teacher):
    pupil = logged_in(student)
    reset_password(learner=student, reset_by=teacher)
    response = pupil.get(reverse("lessons:list"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_only_a_stored_session_is_revoked_by_logging_out(engine, student):
    browser = logged_in(student)
    copied = browser.cookies["sessionid"].value  # a stolen or shared-computer copy
    assert browser.post(reverse("logout")).status_code == 302
    replay = Client()
    replay.cookies["sessionid"] = copied
    status = replay.get(reverse("lessons:list")).status_code
    # The database engines deleted the session; a signed cookie is valid until it expires.
    assert status == (200 if engine == "signed_cookies" else 302)
