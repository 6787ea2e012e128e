"""Shared school computers: no page is kept by the browser, a session ends with the browser
and after SESSION_IDLE_MINUTES idle, the marks switch is a CSRF-protected POST, and a short
SECRET_KEY is refused outside DEBUG."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from accounts.signals import LAST_SEEN_KEY
from lessons.views import MARKS_SESSION_KEY

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def _age_session(client, seconds):
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - seconds
    session.save()


def test_every_page_says_no_store(client, student_client, quiz):
    pages = [
        student_client.get(reverse("lessons:list")),
        student_client.get(quiz.lesson.get_absolute_url()),
        student_client.get(reverse("classes:work")),
        client.get(reverse("login")),
        client.get("/no-such-page/"),
    ]
    for response in pages:
        assert "no-store" in response["Cache-Control"], response.request["PATH_INFO"]


def test_static_files_stay_cacheable(settings, student):
    # WhiteNoise answers static files before the no-store middleware is reached (here it
    # finds them where they are, as it does in development, instead of collected).
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    client = Client()  # a new client loads the middleware with these settings
    client.force_login(student)
    response = client.get("/static/css/site.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_the_session_cookie_ends_with_the_browser(client, student):
    response = client.post(reverse("login"), {"username": "student", "password": "pass-for-tests"})
    cookie = response.cookies["sessionid"]
    assert cookie["expires"] == "" and cookie["max-age"] == ""


def test_an_idle_session_ends(settings, student_client, student):
    settings.SESSION_IDLE_MINUTES = 30
    _age_session(student_client, 31 * 60)
    response = student_client.get(reverse("lessons:list"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert SESSION_KEY not in student_client.session
    page = student_client.get(response["Location"])
    assert "logged out after 30 minutes without activity" in page.text


def test_an_active_session_goes_on_and_is_written_at_most_once_a_minute(
    settings, student_client, django_assert_num_queries
):
    settings.SESSION_IDLE_MINUTES = 30
    _age_session(student_client, 29 * 60)
    assert student_client.get(reverse("classes:work")).status_code == 200
    seen = student_client.session[LAST_SEEN_KEY]
    assert time.time() - seen < 5  # the clock restarted...
    # ...and the next request within the minute writes nothing: session, user, the
    # assignments (none, so no attempts to read), the classes.
    with django_assert_num_queries(4):
        assert student_client.get(reverse("classes:work")).status_code == 200
    assert student_client.session[LAST_SEEN_KEY] == seen


def test_the_marks_switch_is_a_post_with_csrf(student, quiz):
    client = Client(enforce_csrf_checks=True)
    client.force_login(student)
    url = quiz.lesson.get_absolute_url()
    # A link (GET) changes nothing.
    client.get(url, {"marks": "off"})
    assert MARKS_SESSION_KEY not in client.session
    # A POST without the token is refused, with the branded page.
    response = client.post(url, {"marks": "off"})
    assert response.status_code == 403 and "The form had expired" in response.text
    assert MARKS_SESSION_KEY not in client.session
    # The page's own form carries the token.
    page = client.get(url).text
    assert 'method="post" action="' + url + '" class="marks-toggle"' in page
    token = client.cookies["csrftoken"].value
    response = client.post(url, {"marks": "off", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert client.session[MARKS_SESSION_KEY] == "off"


def test_an_unknown_marks_value_is_a_400_and_changes_nothing(student_client, quiz):
    response = student_client.post(quiz.lesson.get_absolute_url(), {"marks": "maybe"})
    assert response.status_code == 400
    assert "either on or off" in response.text
    assert MARKS_SESSION_KEY not in student_client.session


def _start(secret_key, debug):
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    env.update(SECRET_KEY=secret_key, DEBUG=debug)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def test_a_short_secret_key_is_refused_outside_debug():
    result = _start("x" * 49, "0")
    assert result.returncode != 0
    assert (
        "ImproperlyConfigured" in result.stderr and "SECRET_KEY has 49 characters" in result.stderr
    )
    assert _start("x" * 50, "0").returncode == 0
    assert _start("short", "1").returncode == 0  # development may use anything
