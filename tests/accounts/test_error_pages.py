"""Branded 400, 403, 404, 429 and 500 pages (and the lockout page), with DEBUG off: the
site's own layout, the status, a way back, and nothing the CSP would block."""

import re

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.accounts.error_urls")]

HEADINGS = {
    400: "Something in the request was wrong",
    403: "This page is not for your account",
    404: "There is no page here",
    500: "Something went wrong on our side",
}


def _assert_branded(response, status, heading):
    assert response.status_code == status
    html = response.content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert 'href="/static/css/site.css"' in html and 'class="brand"' in html
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert not re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script"
    assert not re.search(r"\sstyle\s*=", html, flags=re.I) and "<style" not in html
    assert not re.search(r"\son[a-z]+\s*=", html, flags=re.I), "inline event handler"


@pytest.mark.parametrize("status", [400, 403, 404, 500])
def test_error_pages_are_branded(settings, status, student):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    client.force_login(student)
    response = client.get(f"/fail/{status}/")
    _assert_branded(response, status, HEADINGS[status])
    assert "Traceback" not in response.content.decode()


def test_the_500_page_renders_without_a_request_context(settings):
    # Django renders 500.html with no context at all (the failure may be the database).
    settings.DEBUG = False
    response = Client(raise_request_exception=False).get("/fail/500/")
    _assert_branded(response, 500, HEADINGS[500])


def test_an_unknown_address_is_the_branded_404(client):
    _assert_branded(client.get("/lessons/no-such-lesson/x/"), 404, HEADINGS[404])


def test_the_429_and_lockout_pages_are_branded(client, student, class_a, settings):
    settings.THROTTLE_WRONG_CODES_PER_ADDRESS = "1/15m"
    signup = reverse("classes:signup")
    client.post(signup, {"code": "ZZZZ-ZZZZ"})
    _assert_branded(client.post(signup, {"code": "ZZZZ-ZZZZ"}), 429, "Too many tries: please wait")
    for _ in range(10):
        response = client.post(reverse("login"), {"username": "student", "password": "wrong"})
    _assert_branded(response, 429, "Logging in is paused for this account")
