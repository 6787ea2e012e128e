"""Throttles on class codes (django-ratelimit): wrong codes are counted per address (sign-up,
join) and per learner (join); at the limit every try is refused with a 429, a right code
included, and nothing is written until the window passes. Right codes are not counted."""

import time

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from classes.models import Classroom

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture
def limits(settings):
    settings.THROTTLE_WRONG_CODES_PER_ADDRESS = "5/15m"
    settings.THROTTLE_WRONG_CODES_PER_LEARNER = "3/15m"
    settings.THROTTLE_SIGNUPS = "100/h"
    return settings


@pytest.fixture
def later(monkeypatch):
    """Move django-ratelimit's clock past the current 15-minute window."""

    def move(seconds=15 * 60 + 1):
        now = time.time() + seconds
        monkeypatch.setattr("django_ratelimit.core.time.time", lambda: now)

    return move


def _signup(client, code, username="newbie", **extra):
    password = "a-long-pass-phrase-9"
    data = {
        "code": code,
        "first_name": "Nia",
        "username": username,
        "password1": password,
        "password2": password,
    }
    return client.post(reverse("classes:signup"), data, **extra)


def test_join_code_guessing_is_refused_at_the_limit_even_with_the_right_code(
    limits, later, student_client, student, class_b
):
    wrong = [student_client.post(reverse("classes:join"), {"code": "QQQQ-QQQQ"}) for _ in range(3)]
    assert [r.status_code for r in wrong] == [400, 400, 400]
    response = student_client.post(reverse("classes:join"), {"code": class_b.join_code})
    assert response.status_code == 429
    assert "Too many tries" in response.text and "Try again after" in response.text
    assert 0 < int(response["Retry-After"]) <= 15 * 60
    assert not class_b.students.filter(pk=student.pk).exists()
    later()
    response = student_client.post(reverse("classes:join"), {"code": class_b.join_code})
    assert response.status_code == 302
    assert class_b.students.filter(pk=student.pk).exists()


def test_join_throttle_is_per_learner(limits, client, student, other_student, class_b):
    client.force_login(student)
    for _ in range(3):
        client.post(reverse("classes:join"), {"code": "QQQQ-QQQQ"})
    assert client.post(reverse("classes:join"), {"code": "QQQQ-QQQQ"}).status_code == 429
    # Another learner on the same school computer is not slowed (below the address limit).
    client.force_login(other_student)
    classroom = Classroom.objects.create(name="Club", teacher=class_b.teacher)
    assert client.post(reverse("classes:join"), {"code": classroom.join_code}).status_code == 302


def test_join_throttle_also_counts_per_address(limits, client, class_b):
    # Five learners behind one address, one wrong code each: the address reaches its limit.
    for n in range(5):
        client.force_login(User.objects.create_user(f"pupil{n}", password="x" * 16))
        assert client.post(reverse("classes:join"), {"code": "QQQQ-QQQQ"}).status_code == 400
    client.force_login(User.objects.create_user("pupil-late", password="x" * 16))
    assert client.post(reverse("classes:join"), {"code": class_b.join_code}).status_code == 429


def test_signup_code_guessing_is_slowed_per_address(limits, later, client, class_a):
    for _ in range(5):
        assert _signup(client, "ZZZZ-ZZZZ").status_code == 400
    response = _signup(client, class_a.join_code)
    assert response.status_code == 429
    assert not User.objects.filter(username="newbie").exists()
    # Another address is not slowed.
    assert _signup(client, class_a.join_code, REMOTE_ADDR="10.1.2.3").status_code == 302
    later()
    client.post(reverse("logout"))
    assert _signup(client, class_a.join_code, username="second").status_code == 302


def test_right_codes_and_other_mistakes_are_not_counted(limits, client, class_a):
    """A whole class signs up from one address, some with a too-short password first."""
    for n in range(8):
        assert _signup(client.__class__(), class_a.join_code, username=f"s{n}").status_code == 302
        weak = client.post(
            reverse("classes:signup"),
            {
                "code": class_a.join_code,
                "first_name": "A",
                "username": f"w{n}",
                "password1": "short",
                "password2": "short",
            },
        )
        assert weak.status_code == 400
    assert class_a.students.count() == 8 + 1


def test_signups_have_a_ceiling_per_address(settings, client, class_a):
    settings.THROTTLE_SIGNUPS = "2/h"
    assert _signup(client.__class__(), class_a.join_code, username="one").status_code == 302
    assert _signup(client.__class__(), class_a.join_code, username="two").status_code == 302
    response = _signup(client.__class__(), class_a.join_code, username="three")
    assert response.status_code == 429
    assert not User.objects.filter(username="three").exists()


def test_a_get_is_never_throttled(limits, client, class_a):
    for _ in range(6):
        _signup(client, "ZZZZ-ZZZZ")
    assert client.get(reverse("classes:signup")).status_code == 200


def test_the_throttle_cache_must_be_shared(settings):
    from accounts.checks import throttle_cache_is_shared

    assert throttle_cache_is_shared(None) == []
    settings.CACHES = {
        **settings.CACHES,
        "throttle": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    assert [e.id for e in throttle_cache_is_shared(None)] == ["accounts.E002"]
    settings.RATELIMIT_USE_CACHE = "nowhere"
    assert [e.id for e in throttle_cache_is_shared(None)] == ["accounts.E001"]
