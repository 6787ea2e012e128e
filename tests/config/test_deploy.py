"""Deployment: check --deploy, HTTPS, the Content-Security-Policy, the Redis cache and
sessions shared by several processes."""

import re
import secrets
import socket
import subprocess
import sys

import pytest
from django.urls import reverse

from .subprocesses import ROOT, production_env, run_python

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379


def test_check_deploy_reports_nothing_under_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_warns_when_https_is_switched_off():
    # The variables really drive the settings: switching them off brings the warnings back.
    env = production_env(
        SECURE_SSL_REDIRECT="0", SECURE_HSTS_SECONDS="0", SESSION_COOKIE_SECURE="0"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "security.W004" in result.stderr
    assert "security.W008" in result.stderr
    assert "security.W012" in result.stderr


def test_http_is_redirected_to_https_in_production(client, settings, db):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get(reverse("login"))
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/accounts/login/"


def test_https_responses_carry_hsts(client, settings, db):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get(reverse("login"), secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


# --- Content-Security-Policy ------------------------------------------------------------


def test_pages_send_a_content_security_policy_without_unsafe_inline(student_client, quiz):
    for url in (
        reverse("login"),
        reverse("lessons:list"),
        reverse("lessons:detail", args=[quiz.lesson.slug]),
    ):
        policy = student_client.get(url)["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
        assert directives["script-src"] == "'self'"
        assert directives["style-src"] == "'self'"
        assert directives["object-src"] == "'none'"
        assert directives["frame-ancestors"] == "'none'"
        assert "unsafe-inline" not in policy
        assert "unsafe-eval" not in policy


TEMPLATE_FILES = sorted((ROOT / "templates").rglob("*.html"))


@pytest.mark.parametrize("path", TEMPLATE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_templates_hold_nothing_the_policy_would_block(path):
    html = path.read_text()
    inline_scripts = [
        tag for tag in re.findall(r"<script\b[^>]*>", html, flags=re.I) if "src=" not in tag
    ]
    assert inline_scripts == [], "inline <script>: move it to a file under static/"
    assert not re.search(r"\sstyle\s*=", html, flags=re.I), 'style="": use a class in site.css'
    assert not re.search(r"<style\b", html, flags=re.I), "<style>: move it to static/css"
    assert not re.search(r"\son[a-z]+\s*=", html, flags=re.I), "inline event handler"


# --- cache and sessions -----------------------------------------------------------------


def redis_reachable() -> bool:
    try:
        with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not redis_reachable(), reason=f"no Redis at {REDIS_HOST}:{REDIS_PORT}")
def test_the_cache_round_trips_through_a_real_redis():
    key = f"sourcewise-test-{secrets.token_hex(8)}"
    code = (
        "import django; django.setup(); from django.core.cache import cache; "
        f"cache.set({key!r}, {{'answer': 32}}, 30); print(cache.get({key!r})['answer']); "
        f"cache.delete({key!r})"
    )
    result = run_python(code, production_env(REDIS_URL=f"redis://{REDIS_HOST}:{REDIS_PORT}/15"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "32"


def test_a_session_made_by_one_process_is_read_by_another(student, client, db):
    # Two application processes share nothing but the database: a session saved through
    # one SessionStore is found by a fresh one, as another gunicorn worker would.
    from importlib import import_module

    from django.conf import settings

    engine = import_module(settings.SESSION_ENGINE)
    client.force_login(student)
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    other_process = engine.SessionStore(session_key=session_key)
    assert other_process["_auth_user_id"] == str(student.pk)
